/**
 * Generated rows against the real data's published per-class figures: each feature's per-class mean, sd and
 * 1%/99% quantiles, with the standard errors that say how far apart two samples of those sizes may honestly be.
 */
import { FEATURE_COUNT } from '../../src/core/schema';
import type { FeatureFigures } from './figures';
import { type Mixture, mixtureQuantile, pieces, prepare, mixtureLogDensity } from './mixture';
import { normalCdf } from './normal';

/** The four per-class statistics, in the order they are reported. */
export const STATISTICS = ['mean', 'sd', 'q01', 'q99'] as const;
export type Statistic = (typeof STATISTICS)[number];

/** The real train.csv's rows per class (179,902 negatives, 20,098 positives). */
export const REAL_CLASS_ROWS: readonly [number, number] = [179_902, 20_098];

/** The published figures of one feature and class. */
export function publishedFigures(f: FeatureFigures, cls: 0 | 1): Record<Statistic, number> {
  return cls === 0
    ? { mean: f.meanClass0, sd: f.stdClass0, q01: f.q01Class0, q99: f.q99Class0 }
    : { mean: f.meanClass1, sd: f.stdClass1, q01: f.q01Class1, q99: f.q99Class1 };
}

/** The same four figures of a density, computed from it (moments by quadrature; quantiles by bisection). */
export function densityFigures(m: Mixture): Record<Statistic, number> & { kurtosis: number } {
  const { mean, sd, kurtosis } = gridMoments(m);
  return { mean, sd, q01: mixtureQuantile(m, 0.01), q99: mixtureQuantile(m, 0.99), kurtosis };
}

/** Mean, sd and kurtosis (E[(X - mean)^4] / sd^4) of a density by the midpoint rule over +-12 sd. */
function gridMoments(m: Mixture): { mean: number; sd: number; kurtosis: number } {
  let lo = Infinity;
  let hi = -Infinity;
  m.means.forEach((mu, i) => {
    lo = Math.min(lo, mu - 12 * m.sds[i]);
    hi = Math.max(hi, mu + 12 * m.sds[i]);
  });
  // 8,000 cells (0.003 sd each): enough for a standard error; the figures themselves are tested exactly.
  const cells = 8000;
  const dx = (hi - lo) / cells;
  const p = prepare(m);
  const xs = new Float64Array(cells);
  const ws = new Float64Array(cells);
  let total = 0;
  let first = 0;
  for (let g = 0; g < cells; g++) {
    xs[g] = lo + (g + 0.5) * dx;
    ws[g] = Math.exp(mixtureLogDensity(p, xs[g])) * dx;
    total += ws[g];
    first += ws[g] * xs[g];
  }
  const mean = first / total;
  let second = 0;
  let fourth = 0;
  for (let g = 0; g < cells; g++) {
    const d2 = (xs[g] - mean) ** 2;
    second += ws[g] * d2;
    fourth += ws[g] * d2 * d2;
  }
  second /= total;
  fourth /= total;
  return { mean, sd: Math.sqrt(second), kurtosis: fourth / (second * second) };
}

/** The density at x; at a break, the smaller of the two sides (the side that makes a quantile vary most). */
function densityNear(m: Mixture, x: number): number {
  const p = prepare(m);
  const at = (v: number) => Math.exp(mixtureLogDensity(p, v));
  const onBreak = pieces(m).some((piece) => Math.abs(piece.high - x) < 1e-9 * (1 + Math.abs(x)));
  if (!onBreak) return at(x);
  const eps = 1e-7 * (1 + Math.abs(x));
  return Math.min(at(x - eps), at(x + eps));
}

/**
 * Standard errors of the four statistics of n rows drawn from density m (large-sample formulas):
 * mean sd/sqrt(n); sd sd * sqrt((kurtosis - 1) / (4 n)); a p-quantile sqrt(p (1 - p) / n) / f(x_p).
 */
export function standardErrors(m: Mixture, n: number): Record<Statistic, number> {
  const d = densityFigures(m);
  return {
    mean: d.sd / Math.sqrt(n),
    sd: d.sd * Math.sqrt((d.kurtosis - 1) / (4 * n)),
    q01: Math.sqrt((0.01 * 0.99) / n) / densityNear(m, d.q01),
    q99: Math.sqrt((0.99 * 0.01) / n) / densityNear(m, d.q99),
  };
}

/**
 * The k-th smallest value (0-based), by quickselect with a median-of-three pivot: expected linear time, and it
 * reorders `values` so everything before k is <= it and everything after is >= it.
 */
export function kthSmallest(values: Float32Array | Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const [a, b, c] = [values[lo], values[mid], values[hi]];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** The p-quantile, interpolated linearly between order statistics as pandas and numpy do; reorders `values`. */
export function quantileOf(values: Float32Array | Float64Array, p: number): number {
  const h = (values.length - 1) * p;
  const below = Math.floor(h);
  const low = kthSmallest(values, below);
  if (below + 1 >= values.length || h === below) return low;
  // After the selection, the next order statistic is the smallest value to the right of `below`.
  let next = Infinity;
  for (let i = below + 1; i < values.length; i++) if (values[i] < next) next = values[i];
  return low + (h - below) * (next - low);
}

/** The four statistics of one feature and class, and how many rows they come from. */
export type SampleFigures = Record<Statistic, number> & { count: number };

/** Features gathered per pass over the rows (measured: 8 beats 16 and 32 on a 2-core machine). */
const BLOCK = 8;

/**
 * The four statistics of every feature's values per class ([feature][class]; sd with divisor n, as
 * published), reading the row-major [rows, 200] array in a few passes rather than once per feature.
 */
export function sampleFigures(features: Float32Array, targets: Uint8Array, rows: number): SampleFigures[][] {
  const counts = [0, 0];
  for (let r = 0; r < rows; r++) counts[targets[r]]++;
  const out: SampleFigures[][] = [];
  for (let first = 0; first < FEATURE_COUNT; first += BLOCK) {
    const width = Math.min(BLOCK, FEATURE_COUNT - first);
    // Per class, the block's columns one after the other: column i of class c at [i * counts[c], ...).
    const blocks = [new Float32Array(width * counts[0]), new Float32Array(width * counts[1])];
    const filled = [0, 0];
    for (let r = 0; r < rows; r++) {
      const c = targets[r];
      const block = blocks[c];
      const count = counts[c];
      const k = filled[c]++;
      const row = r * FEATURE_COUNT + first;
      for (let i = 0; i < width; i++) block[i * count + k] = features[row + i];
    }
    for (let i = 0; i < width; i++) {
      out.push(
        [0, 1].map((c) => {
          const values = blocks[c].subarray(i * counts[c], (i + 1) * counts[c]);
          let sum = 0;
          for (let k = 0; k < values.length; k++) sum += values[k];
          const mean = sum / values.length;
          let squares = 0;
          for (let k = 0; k < values.length; k++) squares += (values[k] - mean) ** 2;
          return {
            count: values.length,
            mean,
            sd: Math.sqrt(squares / values.length),
            q01: quantileOf(values, 0.01),
            q99: quantileOf(values, 0.99),
          };
        }),
      );
    }
  }
  return out;
}

/**
 * The z-value that `checks` two-sided tests may all stay below with probability 1 - familyRisk when nothing is
 * wrong (Bonferroni), e.g. 1,600 checks at 0.001: 4.98.
 */
export function bonferroniZ(checks: number, familyRisk: number): number {
  const tail = familyRisk / (2 * checks);
  let lo = 0;
  let hi = 40;
  for (let it = 0; it < 100; it++) {
    const mid = 0.5 * (lo + hi);
    if (normalCdf(-mid) > tail) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
