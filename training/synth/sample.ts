/** Drawing rows from a spec: the targets and the 200 feature values of each row, seeded. */
import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/core/schema';
import { Rng, streamSeed } from './prng';
import { buildSpec, checkSeed, type SynthSpec } from './spec';
import { toTenThousandths } from './format';

/** Which file the rows belong to: each has its own random stream, so test rows do not depend on train rows. */
export type Split = 'train' | 'test';

/**
 * Draws rows one at a time; the same spec, seed, split and row count always give the same sequence.
 * Exactly round(rows * prior) rows are positive (selection sampling: each row is positive with probability
 * positives left / rows left), so every file has the real data's 10.05% rather than 10.05% +- 0.07%.
 */
export class RowSampler {
  private readonly rng: Rng;
  private rowsLeft: number;
  private positivesLeft: number;
  // Per class and feature: flat component tables, and where each feature's components start.
  private readonly start: Int32Array[] = [];
  private readonly cumulative: Float64Array[] = [];
  private readonly means: Float64Array[] = [];
  private readonly sds: Float64Array[] = [];

  constructor(spec: SynthSpec, seed: number, split: Split, rows: number) {
    checkSeed(seed, 'seed');
    checkSeed(rows, 'rows');
    this.rng = new Rng(streamSeed(seed, `rows ${split}`));
    this.rowsLeft = rows;
    this.positivesLeft = Math.round(rows * spec.prior);
    for (const key of ['class0', 'class1'] as const) {
      const start = new Int32Array(FEATURE_COUNT + 1);
      spec.features.forEach((f, j) => (start[j + 1] = start[j] + f[key].weights.length));
      const n = start[FEATURE_COUNT];
      const cumulative = new Float64Array(n);
      const means = new Float64Array(n);
      const sds = new Float64Array(n);
      spec.features.forEach((f, j) => {
        let c = 0;
        f[key].weights.forEach((w, i) => {
          c += w;
          cumulative[start[j] + i] = c;
          means[start[j] + i] = f[key].means[i];
          sds[start[j] + i] = f[key].sds[i];
        });
        cumulative[start[j + 1] - 1] = Infinity; // rounding never leaves a draw without a component
      });
      this.start.push(start);
      this.cumulative.push(cumulative);
      this.means.push(means);
      this.sds.push(sds);
    }
  }

  /** Draws the next row: writes its 200 values (full precision) at out[offset..] and returns its target. */
  next(out: Float64Array, offset = 0): 0 | 1 {
    const rng = this.rng;
    if (this.rowsLeft <= 0) throw new RangeError('RowSampler: all rows drawn');
    const target = rng.uniform() * this.rowsLeft < this.positivesLeft ? 1 : 0;
    this.rowsLeft--;
    this.positivesLeft -= target;
    const start = this.start[target];
    const cumulative = this.cumulative[target];
    const means = this.means[target];
    const sds = this.sds[target];
    for (let j = 0; j < FEATURE_COUNT; j++) {
      let i = start[j];
      const u = rng.uniform();
      while (u >= cumulative[i]) i++;
      out[offset + j] = means[i] + sds[i] * rng.normal();
    }
    return target;
  }
}

/** Options of generate(). */
export interface GenerateOptions {
  rows: number;
  /** Seed of the rows (default 1). */
  seed?: number;
  /** Seed of the per-feature shapes (default 1). */
  shapeSeed?: number;
  /** 'train' (default) gives the rows of train.csv, 'test' those of test.csv. */
  split?: Split;
}

/** Rows in memory, exactly as the CLI writes them for the same seeds. */
export interface Generated {
  ids: string[];
  /** Row-major [rows, 200]: the 4-decimal values as float32, as a parser of the CSV would give them. */
  features: Float32Array;
  targets: Uint8Array;
  spec: SynthSpec;
}

/** Generates rows in memory (for tests and training code that do not need files). */
export function generate(options: GenerateOptions): Generated {
  const { rows, seed = 1, shapeSeed = 1, split = 'train' } = options;
  if (!Number.isSafeInteger(rows) || rows < 0)
    throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  const spec = buildSpec(shapeSeed);
  const sampler = new RowSampler(spec, seed, split, rows);
  const ids = new Array<string>(rows);
  const features = new Float32Array(rows * FEATURE_COUNT);
  const targets = new Uint8Array(rows);
  const row = new Float64Array(FEATURE_COUNT);
  for (let r = 0; r < rows; r++) {
    ids[r] = `${split}_${r}`;
    targets[r] = sampler.next(row);
    for (let j = 0; j < FEATURE_COUNT; j++)
      features[r * FEATURE_COUNT + j] = toTenThousandths(row[j]) / 10000;
  }
  return { ids, features, targets, spec };
}

/** The CSV header of a split: train.csv has the target column, test.csv has not. */
export function csvHeader(split: Split): string {
  return ['ID_code', ...(split === 'train' ? ['target'] : []), ...FEATURE_NAMES].join(',');
}
