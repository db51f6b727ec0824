/**
 * "Why this score": a customer's log-odds = intercept + sum of 200 per-feature contributions, laid out as a
 * waterfall (largest pushes first, the small rest in one bar) with each value's place in the training data.
 */
import { farLimits } from '../scoring/far-values';
import { QUANTILE_LEVELS } from '../model-card';
import { FEATURE_COUNT, FEATURE_NAMES } from '../schema';

/** One bar of the waterfall. */
export interface WaterfallStep {
  /** Feature name, or e.g. "172 other features". */
  label: string;
  /** Feature index; -1 for the aggregated rest. */
  feature: number;
  /** The feature's value (NaN for the rest, or a missing value). */
  value: number;
  /** Contribution to the log-odds. */
  contribution: number;
  /** Running log-odds before and after this bar. */
  start: number;
  end: number;
  /** Where the value sits among the training rows, 0..1 (NaN when unknown). */
  percentile: number;
}

/** A value beyond every training row's, low or high (the model gives it the push of the training range's edge). */
export interface OutsideValue {
  feature: number;
  value: number;
  side: 'below' | 'above';
  /** The training minimum (below) or maximum (above). */
  edge: number;
  /**
   * Beyond the edge by more than the training range's width: taken for an error and scored as missing
   * (scoring/far-values.ts), not given the edge's push.
   */
  far: boolean;
}

/** A customer's explanation. */
export interface Waterfall {
  /** Log-odds of a customer whose every contribution is 0. */
  intercept: number;
  steps: WaterfallStep[];
  /** Every feature whose value lies outside its training range, in feature order (empty without quantiles). */
  outside: OutsideValue[];
  /** intercept + sum of all contributions. */
  logOdds: number;
  probability: number;
}

/** Position of `value` among training rows from the card's quantiles (linear between stored levels). */
export function percentileOf(
  value: number,
  quantiles: readonly number[],
  levels: readonly number[] = QUANTILE_LEVELS,
): number {
  if (!Number.isFinite(value) || quantiles.length !== levels.length || quantiles.length === 0) return NaN;
  const n = quantiles.length;
  if (value <= quantiles[0]) return levels[0];
  if (value >= quantiles[n - 1]) return levels[n - 1];
  for (let i = 1; i < n; i++) {
    if (value <= quantiles[i]) {
      const lo = quantiles[i - 1];
      const hi = quantiles[i];
      // Equal quantiles (a point mass): the value sits at the upper level.
      return hi === lo ? levels[i] : levels[i - 1] + ((levels[i] - levels[i - 1]) * (value - lo)) / (hi - lo);
    }
  }
  return levels[n - 1];
}

/**
 * The values outside the training range: below the card's 0 quantile or above its 1 quantile (the training
 * minimum and maximum). `quantiles[j]` at `levels`; none when the levels do not run from 0 to 1.
 */
export function outsideTraining(
  features: ArrayLike<number>,
  quantiles: readonly (readonly number[])[],
  levels: readonly number[] = QUANTILE_LEVELS,
): OutsideValue[] {
  if (levels[0] !== 0 || levels.at(-1) !== 1) return [];
  const out: OutsideValue[] = [];
  const m = Math.min(features.length, FEATURE_COUNT);
  for (let j = 0; j < m; j++) {
    const q = quantiles[j];
    const value = features[j];
    if (!q || q.length !== levels.length || !Number.isFinite(value)) continue;
    const [min, max] = [q[0], q[q.length - 1]];
    const [low, high] = farLimits(min, max);
    if (value < min) out.push({ feature: j, value, side: 'below', edge: min, far: value < low });
    else if (value > max) out.push({ feature: j, value, side: 'above', edge: max, far: value > high });
  }
  return out;
}

/**
 * Builds the waterfall: the `shown` features with the largest |contribution| in that order, then the rest in
 * one bar. `quantiles[j]` are feature j's training quantiles at QUANTILE_LEVELS (may be empty).
 */
export function waterfall(
  contributions: ArrayLike<number>,
  features: ArrayLike<number>,
  intercept: number,
  quantiles: readonly (readonly number[])[] = [],
  shown = 15,
): Waterfall {
  const m = Math.min(contributions.length, FEATURE_COUNT);
  const order = Array.from({ length: m }, (_, j) => j).sort(
    (a, b) => Math.abs(contributions[b]) - Math.abs(contributions[a]) || a - b,
  );
  const steps: WaterfallStep[] = [];
  // The sum runs in float64 over every feature; the bars are cumulative so the last end is the log-odds.
  let running = intercept;
  const top = order.slice(0, Math.min(shown, m));
  for (const j of top) {
    const c = contributions[j];
    steps.push({
      label: FEATURE_NAMES[j],
      feature: j,
      value: features[j],
      contribution: c,
      start: running,
      end: running + c,
      percentile: percentileOf(features[j], quantiles[j] ?? []),
    });
    running += c;
  }
  const rest = order.slice(top.length);
  if (rest.length > 0) {
    let c = 0;
    for (const j of rest) c += contributions[j];
    steps.push({
      label: `${rest.length} other features`,
      feature: -1,
      value: NaN,
      contribution: c,
      start: running,
      end: running + c,
      percentile: NaN,
    });
    running += c;
  }
  return {
    intercept,
    steps,
    outside: outsideTraining(features, quantiles),
    logOdds: running,
    probability: 1 / (1 + Math.exp(-running)),
  };
}

/** One of a customer's top reasons, in log-odds and in probability. */
export interface Reason {
  label: string;
  feature: number;
  value: number;
  percentile: number;
  /** Push on the log-odds. */
  contribution: number;
  /** The score without this push (this feature at an average customer's contribution, 0), 0..1. */
  without: number;
  /** probability - without: the change in the score this feature makes, -1..1. */
  change: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * The top `count` reasons pushing the score up and down: the waterfall's feature bars (not the aggregated
 * rest), largest push first, each with the score the customer would have without it.
 */
export function topReasons(w: Waterfall, count = 5): { up: Reason[]; down: Reason[] } {
  const reasons = w.steps
    .filter((s) => s.feature >= 0 && s.contribution !== 0)
    .map((s): Reason => {
      const without = sigmoid(w.logOdds - s.contribution);
      return {
        label: s.label,
        feature: s.feature,
        value: s.value,
        percentile: s.percentile,
        contribution: s.contribution,
        without,
        change: w.probability - without,
      };
    });
  const up = reasons.filter((r) => r.contribution > 0).sort((a, b) => b.contribution - a.contribution);
  const down = reasons.filter((r) => r.contribution < 0).sort((a, b) => a.contribution - b.contribution);
  return { up: up.slice(0, count), down: down.slice(0, count) };
}
