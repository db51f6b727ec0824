/**
 * "Where to draw the line": flag the top share of customers, or everyone at or above a probability.
 * Every line resolves to a count k and flags the first k rows of one ranking (score descending, ties: earlier row
 * first), so the counts shown, the `flagged` column and the confusion table always agree.
 */
import { descendingOrder } from '../metrics';

/** The user's rule. */
export type LineRule = { mode: 'share'; share: number } | { mode: 'probability'; threshold: number };

/** A scored file ranked once, so any line is answered in O(log n). */
export interface Ranking {
  /** Row indices, best first (ties: earlier row first; NaN scores last). */
  order: Uint32Array;
  /** Probabilities in the same order (descending, NaN last). */
  sorted: Float32Array;
  /** cumulative[k] = sum of the k highest probabilities (the model's own expected transactions among them). */
  cumulative: Float64Array;
}

/** A rule applied to a file. */
export interface ResolvedLine {
  /** Customers flagged. */
  count: number;
  /** Share of the file's customers flagged. */
  share: number;
  /** Lowest flagged probability (NaN when nobody is flagged). */
  lowest: number;
  /** Sum of the flagged customers' probabilities: transactions the model expects among them. */
  expected: number;
}

/**
 * Ranks a file's probabilities (done once, in the worker): score descending, ties by row, NaN last (metrics'
 * descendingOrder; `packedRowLimit` is for tests).
 */
export function rankScores(probabilities: Float32Array, packedRowLimit?: number): Ranking {
  const n = probabilities.length;
  const order = descendingOrder(probabilities, { nanLast: true, packedRowLimit });
  const sorted = new Float32Array(n);
  const cumulative = new Float64Array(n + 1);
  for (let r = 0; r < n; r++) {
    const p = probabilities[order[r]];
    sorted[r] = p;
    cumulative[r + 1] = cumulative[r] + (Number.isNaN(p) ? 0 : p);
  }
  return { order, sorted, cumulative };
}

/**
 * Rows with probability >= threshold (a binary search on the descending scores). The threshold is compared in
 * float32, like the scores: "70%" then includes a score stored as 0.699999988 (float32 of 0.7).
 */
export function countAtLeast(sorted: Float32Array, threshold: number): number {
  threshold = Math.fround(threshold);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // NaN fails the comparison, so it counts as below every threshold.
    if (sorted[mid] >= threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The count a rule flags in a file of `sorted.length` rows. A share flags round(share * n) rows, and at least one
 * when the share is above 0: "the top 10%" of a 4-row file is its best customer, not nobody.
 */
export function lineCount(sorted: Float32Array, rule: LineRule): number {
  const n = sorted.length;
  if (rule.mode === 'share') {
    const share = Math.min(1, Math.max(0, rule.share));
    const count = Math.round(share * n);
    return Math.min(n, share > 0 ? Math.max(1, count) : count);
  }
  return countAtLeast(sorted, rule.threshold);
}

/** Applies a rule to a ranked file. */
export function resolveLine(ranking: Pick<Ranking, 'sorted' | 'cumulative'>, rule: LineRule): ResolvedLine {
  const n = ranking.sorted.length;
  const count = lineCount(ranking.sorted, rule);
  return {
    count,
    share: n === 0 ? 0 : count / n,
    lowest: count === 0 ? NaN : ranking.sorted[count - 1],
    expected: ranking.cumulative[count],
  };
}

/** 1 for each flagged row (file order): the first `count` rows of the ranking. */
export function flagMask(order: Uint32Array, count: number): Uint8Array {
  const mask = new Uint8Array(order.length);
  for (let r = 0; r < count && r < order.length; r++) mask[order[r]] = 1;
  return mask;
}
