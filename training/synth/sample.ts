/** Drawing rows from a spec: the targets and the 200 feature values of each row, seeded. */
import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/core/schema';
import { Rng, streamSeed } from './prng';
import { pieces } from './mixture';
import { checkSeed, type GeneratorKind, specOf, type SynthSpec } from './spec';
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
  // Per class and feature, for piecewise densities: flat breaks and acceptance probabilities (factor / largest
  // factor) of each piece, and where each feature's pieces start (one piece: no breaks, drawn directly).
  private readonly pieceStart: Int32Array[] = [];
  private readonly breaks: Float64Array[] = [];
  private readonly accept: Float64Array[] = [];

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
      const pieceStart = new Int32Array(FEATURE_COUNT + 1);
      const breaks: number[] = [];
      const accept: number[] = [];
      spec.features.forEach((f, j) => {
        const all = pieces(f[key]);
        const top = Math.max(...all.map((p) => p.factor));
        for (const p of all) {
          accept.push(p.factor / top);
          if (p.high < Infinity) breaks.push(p.high);
        }
        pieceStart[j + 1] = pieceStart[j] + all.length;
      });
      this.pieceStart.push(pieceStart);
      this.breaks.push(Float64Array.from(breaks));
      this.accept.push(Float64Array.from(accept));
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
    const pieceStart = this.pieceStart[target];
    const breaks = this.breaks[target];
    const accept = this.accept[target];
    for (let j = 0; j < FEATURE_COUNT; j++) {
      const first = pieceStart[j];
      const count = pieceStart[j + 1] - first;
      for (;;) {
        let i = start[j];
        const u = rng.uniform();
        while (u >= cumulative[i]) i++;
        const x = means[i] + sds[i] * rng.normal();
        if (count === 1) {
          out[offset + j] = x;
          break;
        }
        // Rejection: a draw from the unscaled mixture is kept with probability factor / largest factor, which
        // leaves exactly the piecewise-scaled density. Breaks of feature j sit at breaks[first - j ...].
        let piece = 0;
        while (piece < count - 1 && x > breaks[first - j + piece]) piece++;
        if (rng.uniform() < accept[first + piece]) {
          out[offset + j] = x;
          break;
        }
      }
    }
    return target;
  }
}

/** Options of generate(). */
export interface GenerateOptions {
  rows: number;
  /** Seed of the rows (default 1). */
  seed?: number;
  /**
   * Which generator (default "shapes" here, the kind the fitter's tests use; the data CLI defaults to
   * "realistic").
   */
  kind?: GeneratorKind;
  /** Seed of the per-feature shapes of the shapes kind (default 1). */
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
  const { rows, seed = 1, kind = 'shapes', shapeSeed = 1, split = 'train' } = options;
  if (!Number.isSafeInteger(rows) || rows < 0)
    throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  const spec = specOf(kind, shapeSeed);
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
