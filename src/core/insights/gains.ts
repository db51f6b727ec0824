/**
 * The cumulative gains chart: contact the top share of customers by score, what share of the transactions do
 * you reach? Expected from the file's own probabilities (the model's own forecast of where the transactions
 * are), actual from the file's labels when it has them, and the model card's holdout curve for comparison.
 */
import type { Ranking } from './cut-line';
import { atShare, type ValidationCurve } from './holdout-figures';

/** A gains curve sampled at fixed shares of customers, ready to chart (uPlot's aligned data). */
export interface GainsCurve {
  /** Share of customers contacted, 0..1 ascending (k / n at the sampled ranks k). */
  shares: Float64Array;
  /** Expected share of the file's transactions among them: sum of their probabilities / sum of all. */
  expected: Float64Array;
  /** Share of the labelled positives among them (null when the file has no usable labels). */
  actual: Float64Array | null;
  /** The card's holdout recall at the same shares (null when no curve was given). */
  holdout: Float64Array | null;
}

/** Running positive counts along the ranking, as `evaluateLabels` gives them. */
export interface RankedLabels {
  /** cumulativePositives[k] = positives among the first k rows of the ranking. */
  cumulativePositives: Uint32Array;
  positives: number;
}

/**
 * Expected capture at a line that flags the first `count` rows: sum of their probabilities over the file's
 * total (0 when the file's probabilities sum to 0). The line control and the chart's marker both use this.
 */
export function expectedCapture(ranking: Pick<Ranking, 'cumulative'>, count: number): number {
  const { cumulative } = ranking;
  const n = cumulative.length - 1;
  const k = Math.min(n, Math.max(0, Math.round(count)));
  const total = cumulative[n];
  return total > 0 ? cumulative[k] / total : 0;
}

/** Share of the labelled positives in the first `count` rows of the ranking. */
export function actualCapture(labels: RankedLabels, count: number): number {
  const n = labels.cumulativePositives.length - 1;
  const k = Math.min(n, Math.max(0, Math.round(count)));
  return labels.positives > 0 ? labels.cumulativePositives[k] / labels.positives : 0;
}

/**
 * Samples the gains curves at `points` + 1 ranks k = round(i * n / points) (every rank when the file is
 * smaller), so a 200,000-row file charts as a few hundred points. O(points), from the running sums the ranking
 * already holds.
 */
export function gainsCurve(
  ranking: Pick<Ranking, 'cumulative'>,
  labels: RankedLabels | null,
  holdout: ValidationCurve | null,
  points = 200,
): GainsCurve {
  const n = ranking.cumulative.length - 1;
  const steps = Math.max(1, Math.min(points, n));
  const shares = new Float64Array(steps + 1);
  const expected = new Float64Array(steps + 1);
  const actual = labels && labels.positives > 0 ? new Float64Array(steps + 1) : null;
  const card = holdout ? new Float64Array(steps + 1) : null;
  for (let i = 0; i <= steps; i++) {
    const k = n === 0 ? 0 : Math.round((i * n) / steps);
    const share = n === 0 ? i / steps : k / n;
    shares[i] = share;
    expected[i] = expectedCapture(ranking, k);
    if (actual && labels) actual[i] = actualCapture(labels, k);
    if (card && holdout) card[i] = atShare(holdout, share).recall;
  }
  return { shares, expected, actual, holdout: card };
}
