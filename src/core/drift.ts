/**
 * Drift: does an uploaded file look like the data the model was trained on?
 *
 * Per feature we compare the file's distribution with the training quantiles stored in the model card, using the
 * population stability index over the card's quantile bins (the bins between consecutive QUANTILE_LEVELS, so the
 * training share of each bin is known exactly: 1%, 4%, 5%, 10%, ...). The file is read once, in batches, and only
 * counts per bin per feature are kept: memory does not grow with the file.
 *
 * PSI = sum over bins of (a - e) * ln(a / e), with e the training share and a the file's share of the bin.
 * Convention (credit scoring, where PSI comes from): below 0.1 stable, 0.1-0.25 "moved", above 0.25 "shifted".
 * On a small file PSI is noisy even without drift, so a feature is flagged only when its PSI also exceeds a noise
 * floor of 75 / n (n = the feature's finite values). Why 75: over 200,000 simulated undrifted features per size,
 * the 99.995th percentile of n * PSI on these 14 bins was 52-73 for n from 200 to 1,500 (its mean is about 13,
 * a chi-square with 13 degrees of freedom would put it near 45: the 1% bins give PSI a heavier tail). With 200
 * features that keeps false alarms on an undrifted file near one in a hundred files or fewer. From 750 values up
 * the floor is under 0.1 and the convention alone decides; below MIN_DRIFT_ROWS rows no verdict is given.
 */
import type { FeatureInfo } from './model-card';
import { QUANTILE_LEVELS } from './model-card';
import { DRIFT_KERNEL_WASM } from './drift-kernel-wasm';
import { FEATURE_COUNT, FEATURE_NAMES } from './schema';
import { growTo, instantiate, type KernelMemory } from './wasm';

/** PSI above which a feature is reported as "moved". */
export const PSI_MOVED = 0.1;
/** PSI above which a feature is reported as "shifted" (a strong change). */
export const PSI_SHIFTED = 0.25;
/** Fewer rows than this give no drift verdict: the estimate would be mostly noise. */
export const MIN_DRIFT_ROWS = 200;
/** Floor for a file's bin share with no rows, so an empty bin costs a finite, large PSI term. */
const EMPTY_SHARE = 1e-4;
/** n * PSI that undrifted data exceeds about once in 20,000 features, measured by simulation (see the top). */
const NOISE_FLOOR_SCALE = 75;

/** One feature whose distribution differs from training. */
export interface FeatureDrift {
  /** Index in model order (var_j). */
  feature: number;
  name: string;
  psi: number;
  level: 'moved' | 'shifted';
  /** Share of the file's values below the training median (0.5 when it matches training). */
  belowTrainingMedian: number;
  /** Finite values of this feature that were counted. */
  values: number;
}

/** The outcome of a drift check on one file. */
export interface DriftReport {
  /** Rows seen. */
  rows: number;
  /** False when no verdict is given (too few rows, or the card holds no quantiles); `reason` says why. */
  checked: boolean;
  reason?: string;
  /** PSI per feature in model order; NaN for a feature without quantiles or finite values. */
  psi: Float64Array;
  /** The smallest PSI that was flagged for this file: max(PSI_MOVED, noise floor). */
  threshold: number;
  /** Features beyond the threshold, highest PSI first. */
  moved: FeatureDrift[];
  /** Features with quantiles but fewer than MIN_DRIFT_ROWS finite values in the file (mostly missing): not judged. */
  unjudged: number;
}

/** Bin count: the intervals between consecutive quantile levels. */
const BINS = QUANTILE_LEVELS.length - 1;
/** Interior edges per feature: the quantiles strictly inside (0, 1). */
const EDGES = BINS - 1;
/** Grid cells per feature for the bin lookup (1024 x 200 bytes stays in cache). */
const GRID = 1024;
/** Flag bit of a grid cell: an edge lies in or next to it. */
const MIXED = 0x80;

// The counting loop runs in drift-kernel.wat, whose sizes are fixed: it reads its tables from these addresses of
// its memory, and the rows from ROWS_AT, up to KERNEL_ROWS at a time.
const EDGES_AT = 0;
const LO_AT = EDGES_AT + FEATURE_COUNT * EDGES * 8;
const SCALE_AT = LO_AT + FEATURE_COUNT * 8;
const GRID_AT = SCALE_AT + FEATURE_COUNT * 8;
const COUNTS_AT = GRID_AT + FEATURE_COUNT * GRID;
const ROWS_AT = COUNTS_AT + FEATURE_COUNT * BINS * 4;
const KERNEL_ROWS = 1024;

interface DriftKernel {
  memory: KernelMemory;
  add(
    rows: number,
    count: number,
    edges: number,
    lo: number,
    scale: number,
    grid: number,
    counts: number,
  ): void;
}

/** PSI that `n` undrifted values over the card's bins exceed about once in 20,000 features (see the top). */
export function psiNoiseFloor(n: number): number {
  return n > 0 ? NOISE_FLOOR_SCALE / n : Infinity;
}

/** PSI between expected shares and observed counts; bins with no expected share and no count are ignored. */
export function psi(expected: ArrayLike<number>, counts: ArrayLike<number>): number {
  let n = 0;
  for (let k = 0; k < counts.length; k++) n += counts[k];
  if (n === 0) return NaN;
  let sum = 0;
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k];
    if (e <= 0 && counts[k] === 0) continue;
    const a = Math.max(counts[k] / n, EMPTY_SHARE);
    const ee = Math.max(e, EMPTY_SHARE);
    sum += (a - ee) * Math.log(a / ee);
  }
  return sum;
}

/**
 * Streaming drift check: feed every batch's features (row-major, FEATURE_COUNT per row, model order, NaN for a
 * missing cell, exactly the parser's RowBatch.features), then read the report. Missing cells are left out of
 * the feature's counts (they are reported as row issues instead).
 */
export class DriftAccumulator {
  /** The counting loop and its memory, which holds the tables below (its size never changes). */
  private readonly kernel = instantiate<DriftKernel>(DRIFT_KERNEL_WASM);
  private readonly buffer = growTo(this.kernel.memory, ROWS_AT + KERNEL_ROWS * FEATURE_COUNT * 4);
  /** Interior edges, EDGES per feature, distinct and ascending, padded with +Infinity. */
  private readonly edges = new Float64Array(this.buffer, EDGES_AT, FEATURE_COUNT * EDGES).fill(Infinity);
  /** Training share of each bin after merging zero-width bins. */
  private readonly expected = new Float64Array(FEATURE_COUNT * BINS);
  private readonly counts = new Uint32Array(this.buffer, COUNTS_AT, FEATURE_COUNT * BINS);
  /** Bins below the training median, per feature (values sitting in them are below it). */
  private readonly medianBin = new Int32Array(FEATURE_COUNT);
  private readonly usable = new Uint8Array(FEATURE_COUNT);
  // A uniform grid per feature over [first edge, last edge]: gridBin holds the bin at each grid cell's start, so
  // a value needs one multiply and a step or two instead of a binary search (40M cells per full-size file).
  private readonly gridLo = new Float64Array(this.buffer, LO_AT, FEATURE_COUNT);
  private readonly gridScale = new Float64Array(this.buffer, SCALE_AT, FEATURE_COUNT);
  private readonly gridBin = new Uint8Array(this.buffer, GRID_AT, FEATURE_COUNT * GRID).fill(MIXED);
  /** Where the kernel reads the rows it counts. */
  private readonly rowsIn = new Float32Array(this.buffer, ROWS_AT, KERNEL_ROWS * FEATURE_COUNT);
  private rows = 0;

  /** `features` is the card's list; matched to model order by name, so the card's order does not matter. */
  constructor(features: readonly Pick<FeatureInfo, 'name' | 'quantiles'>[]) {
    const byName = new Map(features.map((f) => [f.name, f.quantiles]));
    const medianLevel = QUANTILE_LEVELS.indexOf(0.5);
    FEATURE_NAMES.forEach((name, j) => {
      const q = byName.get(name);
      if (!q || q.length !== QUANTILE_LEVELS.length || !q.every(Number.isFinite)) return;
      for (let k = 1; k < q.length; k++) if (q[k] < q[k - 1]) return;
      // Distinct interior edges: tied quantiles (a point mass in training) make zero-width bins, whose training
      // share sits at the tied value, so it belongs to the bin that value falls in (an edge value goes up).
      const distinct: number[] = [];
      for (let k = 1; k <= EDGES; k++)
        if (distinct.length === 0 || q[k] > distinct[distinct.length - 1]) distinct.push(q[k]);
      distinct.forEach((e, i) => (this.edges[j * EDGES + i] = e));
      // The training share between q[k] and q[k+1] lies in the bin of q[k] (q[0] is the training minimum).
      for (let k = 0; k < BINS; k++) {
        this.expected[j * BINS + this.binOf(j, q[k])] += QUANTILE_LEVELS[k + 1] - QUANTILE_LEVELS[k];
      }
      this.medianBin[j] = medianLevel > 0 ? this.binOf(j, q[medianLevel]) : -1;
      this.usable[j] = 1;
      const lo = distinct[0];
      const hi = distinct[distinct.length - 1];
      this.gridLo[j] = lo;
      this.gridScale[j] = hi > lo ? GRID / (hi - lo) : 0;
      const binAt = (g: number) => this.binOf(j, lo + (g * (hi - lo)) / GRID);
      for (let g = 0; g < GRID; g++) {
        // A cell with an edge inside or next to it (rounding may put a value one cell off) is settled by comparing.
        const mixed = g === 0 || g >= GRID - 2 || binAt(g + 2) !== binAt(g - 1);
        this.gridBin[j * GRID + g] = binAt(g) | (mixed ? MIXED : 0);
      }
    });
  }

  /** Bin index of value x for feature j: the number of interior edges <= x. */
  private binOf(j: number, x: number): number {
    const base = j * EDGES;
    let lo = 0;
    let hi = EDGES;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.edges[base + mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds `count` rows of row-major features. */
  add(features: Float32Array, count: number): void {
    if (features.length < count * FEATURE_COUNT) {
      throw new RangeError(
        `drift: ${count} rows need ${count * FEATURE_COUNT} values, got ${features.length}`,
      );
    }
    // In blocks of KERNEL_ROWS rows copied into the kernel's memory: the bins and counts as described above,
    // feature by feature (one feature's grid and counts stay in the cache while its column is read); values
    // that are NaN or infinite (row issues, not evidence about the distribution) are not counted.
    for (let row = 0; row < count; row += KERNEL_ROWS) {
      const rows = Math.min(KERNEL_ROWS, count - row);
      this.rowsIn.set(features.subarray(row * FEATURE_COUNT, (row + rows) * FEATURE_COUNT));
      this.kernel.add(ROWS_AT, rows, EDGES_AT, LO_AT, SCALE_AT, GRID_AT, COUNTS_AT);
    }
    this.rows += count;
  }

  /** The drift verdict for everything added so far. */
  report(): DriftReport {
    const psiAll = new Float64Array(FEATURE_COUNT).fill(NaN);
    const moved: FeatureDrift[] = [];
    let unjudged = 0;
    const usableCount = this.usable.reduce((s, u) => s + u, 0);
    const threshold = Math.max(PSI_MOVED, psiNoiseFloor(this.rows));
    for (let j = 0; j < FEATURE_COUNT; j++) {
      if (!this.usable[j]) continue;
      const counts = this.counts.subarray(j * BINS, (j + 1) * BINS);
      const expected = this.expected.subarray(j * BINS, (j + 1) * BINS);
      const value = psi(expected, counts);
      psiAll[j] = value;
      let n = 0;
      let below = 0;
      for (let k = 0; k < BINS; k++) {
        n += counts[k];
        if (k < this.medianBin[j]) below += counts[k];
      }
      // Each feature is judged on its own finite values: a column full of blanks has few of them.
      const featureThreshold = Math.max(threshold, psiNoiseFloor(n));
      if (n < MIN_DRIFT_ROWS) unjudged++;
      if (n >= MIN_DRIFT_ROWS && value > featureThreshold) {
        moved.push({
          feature: j,
          name: FEATURE_NAMES[j],
          psi: value,
          level: value > PSI_SHIFTED ? 'shifted' : 'moved',
          belowTrainingMedian: below / n,
          values: n,
        });
      }
    }
    moved.sort((a, b) => b.psi - a.psi || a.feature - b.feature);
    const base = { rows: this.rows, psi: psiAll, threshold, moved, unjudged };
    if (usableCount === 0) {
      return { ...base, checked: false, moved: [], reason: 'the model card holds no training quantiles' };
    }
    if (this.rows < MIN_DRIFT_ROWS) {
      return {
        ...base,
        checked: false,
        moved: [],
        reason: `too few rows to judge drift (${this.rows}; at least ${MIN_DRIFT_ROWS} needed)`,
      };
    }
    return { ...base, checked: true };
  }
}

/** One line for the UI, e.g. "3 features differ from the training data: var_5 (PSI 0.82), ...". */
export function describeDrift(report: DriftReport, max = 10): string {
  if (!report.checked) return `Drift not checked: ${report.reason}.`;
  const u = report.unjudged;
  const unjudged =
    u === 0
      ? ''
      : ` ${u} feature${u === 1 ? ' has' : 's have'} fewer than ${MIN_DRIFT_ROWS} values in this file (the rest ` +
        'missing), too few to compare.';
  if (report.moved.length === 0) {
    const which = u === 0 ? 'No feature' : `Of the features with enough values, none`;
    return `${which} differs from the training data (every PSI at or below ${report.threshold.toFixed(2)}).${unjudged}`;
  }
  const shown = report.moved
    .slice(0, max)
    .map((d) => `${d.name} (PSI ${d.psi.toFixed(2)}${d.level === 'shifted' ? ', shifted' : ''})`);
  const more = report.moved.length > max ? ` and ${report.moved.length - max} more` : '';
  const n = report.moved.length;
  return (
    `${n} feature${n === 1 ? '' : 's'} differ${n === 1 ? 's' : ''} from the training data: ${shown.join(', ')}${more}. ` +
    `Scores for these customers may be less reliable.${unjudged}`
  );
}
