/**
 * Evaluation metrics on typed arrays (no row objects: the worker runs these on 200k rows).
 * `labels` are 0/1 values; `scores` can be probabilities or log-odds (rank metrics only use their order).
 */
import type { CalibrationBin, CurvePoint, ThresholdRow } from './model-card';

/** Scores or probabilities, one per row. */
export type Scores = Float32Array | Float64Array;
/** 0/1 labels, one per row. */
export type Labels = Uint8Array | Float32Array | Float64Array | Int32Array;

function checkLengths(scores: Scores, labels: Labels): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`scores has ${scores.length} values but labels has ${labels.length}`);
  }
}

/**
 * The rows whose target is 0 or 1 (a bad target is NaN): their scores and labels, and how many are positive.
 * The inputs themselves when every row is labelled.
 */
export function labelledRows(
  scores: Float32Array,
  targets: Float32Array,
): { scores: Float32Array; labels: Float32Array; positives: number } {
  checkLengths(scores, targets);
  let labelled = 0;
  let positives = 0;
  for (let i = 0; i < targets.length; i++) {
    if (targets[i] === 0 || targets[i] === 1) {
      labelled++;
      positives += targets[i];
    }
  }
  if (labelled === targets.length) return { scores, labels: targets, positives };
  const kept = new Float32Array(labelled);
  const labels = new Float32Array(labelled);
  for (let i = 0, k = 0; i < targets.length; i++) {
    if (targets[i] === 0 || targets[i] === 1) {
      kept[k] = scores[i];
      labels[k++] = targets[i];
    }
  }
  return { scores: kept, labels, positives };
}

/** Rows the packed-key sort handles: a row index takes the low 21 bits of a 53-bit integer key. */
const PACKED_ROWS = 2 ** 21;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * A float32 as a uint32 in the same order (-0 as +0), complemented so higher scores come first: the usual
 * sign-flip trick on the IEEE bits.
 */
function descendingBits(x: number): number {
  f32[0] = x === 0 ? 0 : x;
  const bits = u32[0];
  const ascending = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
  return 0xffffffff - ascending;
}

/** How descendingOrder treats NaN and when it packs keys. */
export interface OrderOptions {
  /** NaN ranks as -Infinity (last); otherwise a NaN's place is whatever a comparator sort gives it. */
  nanLast?: boolean;
  /** Most rows for the packed-key sort (for tests; capped at 2^21). */
  packedRowLimit?: number;
}

/**
 * Row indices by descending score, ties by row (so results are deterministic). Float32 scores (the app's) become
 * exact integer keys (descending float32 bits * 2^21 + row) sorted natively, so no comparator runs and nothing is
 * allocated per comparison; float64 scores, NaN without `nanLast`, or more rows take a comparator sort with the
 * same order.
 */
export function descendingOrder(scores: Scores, options: OrderOptions = {}): Uint32Array {
  const n = scores.length;
  const order = new Uint32Array(n);
  if (scores instanceof Float32Array && n <= Math.min(options.packedRowLimit ?? PACKED_ROWS, PACKED_ROWS)) {
    const keys = new Float64Array(n);
    let packed = true;
    for (let i = 0; i < n; i++) {
      let x = scores[i];
      if (Number.isNaN(x)) {
        if (!options.nanLast) {
          packed = false;
          break;
        }
        x = -Infinity;
      }
      keys[i] = descendingBits(x) * PACKED_ROWS + i;
    }
    if (packed) {
      keys.sort();
      for (let r = 0; r < n; r++) order[r] = keys[r] % PACKED_ROWS;
      return order;
    }
  }
  for (let i = 0; i < n; i++) order[i] = i;
  if (!options.nanLast) return order.sort((a, b) => scores[b] - scores[a] || a - b);
  const keys = Float64Array.from(scores, (x) => (Number.isNaN(x) ? -Infinity : x));
  return order.sort((a, b) => keys[b] - keys[a] || a - b);
}

function countPositives(labels: Labels): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > 0.5) p++;
  return p;
}

/**
 * Checks an order given by the caller: one index per row (its content is the caller's word: descendingOrder's
 * order of the same scores, e.g. a ranking computed once for several metrics).
 */
function orderFor(scores: Scores, order: Uint32Array | undefined): Uint32Array {
  if (!order) return descendingOrder(scores);
  if (order.length !== scores.length) {
    throw new RangeError(`order has ${order.length} values but scores has ${scores.length}`);
  }
  return order;
}

/**
 * Area under the ROC curve by the rank-sum (Mann-Whitney) formula, tied scores sharing their mean rank.
 * NaN when one class is absent. `order` (descendingOrder of `scores`, computed once by the caller) saves the sort.
 */
export function auc(scores: Scores, labels: Labels, order?: Uint32Array): number {
  checkLengths(scores, labels);
  const n = scores.length;
  order = orderFor(scores, order);
  const positives = countPositives(labels);
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  // Ascending rank r (1-based) of row order[n-1-k]; walk descending and assign midranks per tie group.
  let rankSum = 0;
  let k = 0;
  while (k < n) {
    let end = k + 1;
    while (end < n && scores[order[end]] === scores[order[k]]) end++;
    // Descending positions k..end-1 are ascending ranks n-end+1 .. n-k; their mean:
    const midrank = (n - end + 1 + (n - k)) / 2;
    for (let t = k; t < end; t++) if (labels[order[t]] > 0.5) rankSum += midrank;
    k = end;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary cross-entropy of probabilities (clipped to [1e-15, 1 - 1e-15]). */
export function logLoss(probabilities: Scores, labels: Labels): number {
  checkLengths(probabilities, labels);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probabilities[i], 1e-15), 1 - 1e-15);
    sum -= labels[i] > 0.5 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

/** Walks tie groups in descending score order, calling back with cumulative true/false positives. */
function sweep(
  scores: Scores,
  labels: Labels,
  visit: (tp: number, fp: number, threshold: number) => void,
  given?: Uint32Array,
): void {
  const order = orderFor(scores, given);
  let tp = 0;
  let fp = 0;
  let k = 0;
  while (k < order.length) {
    const s = scores[order[k]];
    while (k < order.length && scores[order[k]] === s) {
      if (labels[order[k]] > 0.5) tp++;
      else fp++;
      k++;
    }
    visit(tp, fp, s);
  }
}

/** Average precision (area under the precision-recall step curve, as scikit-learn defines it). `order` as in auc. */
export function prAuc(scores: Scores, labels: Labels, order?: Uint32Array): number {
  checkLengths(scores, labels);
  const positives = countPositives(labels);
  if (positives === 0) return NaN;
  let ap = 0;
  let lastRecall = 0;
  sweep(
    scores,
    labels,
    (tp, fp) => {
      const recall = tp / positives;
      ap += (recall - lastRecall) * (tp / (tp + fp));
      lastRecall = recall;
    },
    order,
  );
  return ap;
}

/** Keeps about `maxPoints` of a curve, always the first and last point. */
function thin(points: CurvePoint[], maxPoints: number): CurvePoint[] {
  if (points.length <= maxPoints) return points;
  const out: CurvePoint[] = [];
  const step = (points.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(points[Math.round(i * step)]);
  return out;
}

/**
 * ROC curve (x = false positive rate, y = true positive rate) from (0,0) to (1,1), thinned to maxPoints. `order`
 * as in auc.
 */
export function rocPoints(
  scores: Scores,
  labels: Labels,
  maxPoints = 200,
  order?: Uint32Array,
): CurvePoint[] {
  checkLengths(scores, labels);
  const positives = countPositives(labels);
  const negatives = labels.length - positives;
  const points: CurvePoint[] = [{ x: 0, y: 0 }];
  sweep(
    scores,
    labels,
    (tp, fp) => points.push({ x: fp / Math.max(negatives, 1), y: tp / Math.max(positives, 1) }),
    order,
  );
  return thin(points, maxPoints);
}

/** Precision-recall curve (x = recall, y = precision) in order of falling threshold, thinned to maxPoints. */
export function prPoints(scores: Scores, labels: Labels, maxPoints = 200): CurvePoint[] {
  checkLengths(scores, labels);
  const positives = Math.max(countPositives(labels), 1);
  const points: CurvePoint[] = [];
  sweep(scores, labels, (tp, fp) => points.push({ x: tp / positives, y: tp / (tp + fp) }));
  return thin(points, maxPoints);
}

/**
 * Reliability table: rows sorted by predicted probability and cut into `bins` groups of (nearly) equal size;
 * equal counts rather than equal widths because with 10% positives most rows sit below 0.1. `order` as in auc.
 */
export function calibrationTable(
  probabilities: Scores,
  labels: Labels,
  bins = 10,
  descending?: Uint32Array,
): CalibrationBin[] {
  checkLengths(probabilities, labels);
  const n = labels.length;
  const order = orderFor(probabilities, descending).slice().reverse();
  const table: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const start = Math.floor((b * n) / bins);
    const end = Math.floor(((b + 1) * n) / bins);
    if (end <= start) continue;
    let p = 0;
    let y = 0;
    for (let k = start; k < end; k++) {
      p += probabilities[order[k]];
      y += labels[order[k]] > 0.5 ? 1 : 0;
    }
    table.push({ predicted: p / (end - start), observed: y / (end - start), count: end - start });
  }
  return table;
}

/** Precision and recall when flagging the top `share` of rows by score, for each share in `shares`. */
export function thresholdTable(scores: Scores, labels: Labels, shares: readonly number[]): ThresholdRow[] {
  checkLengths(scores, labels);
  const n = labels.length;
  const order = descendingOrder(scores);
  const positives = Math.max(countPositives(labels), 1);
  const cumulative = new Uint32Array(n + 1);
  for (let k = 0; k < n; k++) cumulative[k + 1] = cumulative[k] + (labels[order[k]] > 0.5 ? 1 : 0);
  return shares.map((share) => {
    const k = Math.min(n, Math.max(1, Math.round(share * n)));
    const tp = cumulative[k];
    return { share, threshold: scores[order[k - 1]], precision: tp / k, recall: tp / positives };
  });
}

/** Histogram of values over `bins` equal-width bins spanning [lo, hi]; values outside go to the end bins. */
export function histogram(
  values: Scores,
  bins: number,
  lo = 0,
  hi = 1,
): { edges: number[]; counts: number[] } {
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const b = Math.floor(((v - lo) / (hi - lo)) * bins);
    counts[b < 0 ? 0 : b >= bins ? bins - 1 : b]++;
  }
  return { edges, counts };
}
