/**
 * What the model card's holdout tables say about a line: the expected precision (share of flagged customers who
 * make a transaction) and the share of all transactions captured (recall), by linear interpolation between the
 * card's points. The ROC curve covers shares the threshold table does not (below 1% and above 50%).
 */
import type { ModelCard } from '../model-card';

/** Holdout figures at one share of customers flagged. */
export interface ValidationPoint {
  share: number;
  precision: number;
  recall: number;
}

/** The card's holdout evidence, arranged for look-ups. */
export interface ValidationCurve {
  /** Positive rate of the holdout rows. */
  prevalence: number;
  /** (share, recall) points, share ascending from 0 to 1. */
  shares: Float64Array;
  recalls: Float64Array;
  /** (threshold descending, share ascending) from the threshold table. */
  thresholds: Float64Array;
  thresholdShares: Float64Array;
  /** The holdout score histogram, for thresholds outside the threshold table. */
  histogram: { edges: number[]; counts: number[] };
}

/** Builds the curve from a card's charts and holdout metrics. */
export function validationCurve(card: Pick<ModelCard, 'charts' | 'metrics'>): ValidationCurve {
  const { holdout } = card.metrics;
  const prevalence = holdout.positives / holdout.rows;
  const points: { share: number; recall: number }[] = [
    { share: 0, recall: 0 },
    { share: 1, recall: 1 },
  ];
  for (const { x: fpr, y: tpr } of card.charts.roc) {
    points.push({ share: prevalence * tpr + (1 - prevalence) * fpr, recall: tpr });
  }
  for (const row of card.charts.thresholds) points.push({ share: row.share, recall: row.recall });
  points.sort((a, b) => a.share - b.share || a.recall - b.recall);
  const rows = [...card.charts.thresholds].sort((a, b) => a.share - b.share);
  return {
    prevalence,
    shares: Float64Array.from(points, (p) => p.share),
    recalls: Float64Array.from(points, (p) => p.recall),
    thresholds: Float64Array.from(rows, (r) => r.threshold),
    thresholdShares: Float64Array.from(rows, (r) => r.share),
    histogram: card.charts.scoreHistogram,
  };
}

/** Linear interpolation of ys over ascending xs, clamped at the ends. */
function interpolate(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number): number {
  const n = xs.length;
  if (n === 0) return NaN;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const span = xs[hi] - xs[lo];
  return span === 0 ? ys[hi] : ys[lo] + ((ys[hi] - ys[lo]) * (x - xs[lo])) / span;
}

/** Holdout precision and recall when flagging the top `share` of customers. */
export function atShare(curve: ValidationCurve, share: number): ValidationPoint {
  const s = Math.min(1, Math.max(0, share));
  const recall = interpolate(curve.shares, curve.recalls, s);
  // precision = true positives / flagged = prevalence * recall / share; at share 0 take the first point's.
  const precision = s > 0 ? Math.min(1, (curve.prevalence * recall) / s) : firstPrecision(curve);
  return { share: s, precision, recall };
}

function firstPrecision(curve: ValidationCurve): number {
  for (let i = 0; i < curve.shares.length; i++) {
    if (curve.shares[i] > 0) return Math.min(1, (curve.prevalence * curve.recalls[i]) / curve.shares[i]);
  }
  return curve.prevalence;
}

/** Share of holdout customers scoring at or above `threshold`. */
export function shareAtThreshold(curve: ValidationCurve, threshold: number): number {
  const t = curve.thresholds;
  const last = t.length - 1;
  // Inside the table: interpolate share against the (descending) thresholds.
  if (last >= 0 && threshold <= t[0] && threshold >= t[last]) {
    const xs = Array.from(t).reverse();
    const ys = Array.from(curve.thresholdShares).reverse();
    return interpolate(xs, ys, threshold);
  }
  return histogramShareAbove(curve.histogram, threshold);
}

/** Share of a histogram's mass at or above x, spreading each bin's count evenly over its width. */
export function histogramShareAbove(histogram: { edges: number[]; counts: number[] }, x: number): number {
  const { edges, counts } = histogram;
  let total = 0;
  let above = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i];
    const lo = edges[i];
    const hi = edges[i + 1];
    if (x <= lo) above += counts[i];
    else if (x < hi) above += (counts[i] * (hi - x)) / (hi - lo);
  }
  return total > 0 ? above / total : 0;
}

/** Holdout figures for everyone at or above a probability. */
export function atThreshold(curve: ValidationCurve, threshold: number): ValidationPoint {
  return atShare(curve, shareAtThreshold(curve, threshold));
}
