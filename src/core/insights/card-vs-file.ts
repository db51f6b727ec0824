/**
 * Does the model fit the user's labelled file as well as its card says? Two checks, each beyond what the
 * sampling error of the row counts could explain:
 *
 * - AUC: the card's holdout AUC minus the file's, against 2.33 (one-sided 1%) times the combined standard error
 *   of the two AUCs, each from its own positives and negatives by Hanley & McNeil (1982, Radiology 143:29-36):
 *   SE^2 = (A(1-A) + (n1-1)(Q1-A^2) + (n0-1)(Q2-A^2)) / (n1 n0), Q1 = A/(2-A), Q2 = 2A^2/(1+A).
 * - Calibration, per probability group (the file's own ten equal-size groups): the number of transactions
 *   observed against a binomial with the group's size and mean predicted probability, by an exact two-sided
 *   binomial test at 1% overall (Bonferroni: 0.1% per group of ten). Exact rather than normal, because the
 *   lowest groups expect only a handful of transactions, where a normal approximation cries wolf.
 */
import type { CalibrationBin } from '../model-card';

/** One-sided 1%: how many combined standard errors the card's AUC may exceed the file's by chance. */
export const AUC_Z = 2.326;
/** Overall false-alarm rate of the calibration check, split evenly over the groups. */
export const CALIBRATION_ALPHA = 0.01;
/** Below this many positives or negatives in the file, the AUC comparison is not made. */
export const MIN_CLASS_ROWS = 20;

/** Hanley & McNeil's standard error of an AUC measured on `positives` and `negatives` rows. */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  if (!(positives > 0 && negatives > 0) || !Number.isFinite(auc)) return NaN;
  const a = Math.min(1, Math.max(0, auc));
  const q1 = a / (2 - a);
  const q2 = (2 * a * a) / (1 + a);
  const v =
    (a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a)) / (positives * negatives);
  return Math.sqrt(Math.max(0, v));
}

/** AUC, positives and negatives of one set of rows. */
export interface AucFigure {
  auc: number;
  positives: number;
  negatives: number;
}

/** The file's AUC against the card's. */
export interface AucComparison {
  /** card AUC - file AUC (positive: the file scores lower). */
  gap: number;
  /** AUC_Z times the combined standard error: a gap beyond it is more than chance. */
  margin: number;
  /** 'below': clearly lower than the card; 'consistent': within chance (or higher); 'too-few': not compared. */
  verdict: 'below' | 'consistent' | 'too-few';
}

/** Compares the file's AUC with the card's holdout AUC. */
export function compareAuc(file: AucFigure, card: AucFigure, z = AUC_Z): AucComparison {
  const gap = card.auc - file.auc;
  if (file.positives < MIN_CLASS_ROWS || file.negatives < MIN_CLASS_ROWS) {
    return { gap, margin: NaN, verdict: 'too-few' };
  }
  const se = Math.hypot(
    aucStandardError(file.auc, file.positives, file.negatives),
    aucStandardError(card.auc, card.positives, card.negatives),
  );
  const margin = z * se;
  return { gap, margin, verdict: gap > margin ? 'below' : 'consistent' };
}

/** log(n choose k) through a sum of logs, exact enough for the tails below (n up to a few million). */
function logChoose(n: number, k: number, logFactorial: Float64Array): number {
  return logFactorial[n] - logFactorial[k] - logFactorial[n - k];
}

function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) out[i] = out[i - 1] + Math.log(i);
  return out;
}

/**
 * Two-sided exact binomial p-value of `observed` successes in `n` trials with success probability `p`: the
 * total probability of every count no more likely than the one observed (the usual "minimum-likelihood"
 * definition, as R's binom.test).
 */
export function binomialTwoSided(observed: number, n: number, p: number): number {
  if (n <= 0) return 1;
  if (p <= 0) return observed === 0 ? 1 : 0;
  if (p >= 1) return observed === n ? 1 : 0;
  const lf = logFactorials(n);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const logPmf = (k: number) => logChoose(n, k, lf) + k * lp + (n - k) * lq;
  const threshold = logPmf(observed) + 1e-7; // relative tolerance for ties in floating point
  let total = 0;
  for (let k = 0; k <= n; k++) {
    const l = logPmf(k);
    if (l <= threshold) total += Math.exp(l);
  }
  return Math.min(1, total);
}

/** One probability group of the file that is clearly off. */
export interface OffGroup {
  predicted: number;
  observed: number;
  count: number;
  pValue: number;
}

/** The calibration check on the file's groups. */
export interface CalibrationCheck {
  /** Per-group significance level (CALIBRATION_ALPHA / groups). */
  alpha: number;
  /** Groups whose observed rate is clearly not what the model predicted, worst first. */
  off: OffGroup[];
}

/** Tests each calibration group's observed count against Binomial(count, predicted). */
export function checkCalibration(
  bins: readonly CalibrationBin[],
  alpha = CALIBRATION_ALPHA,
): CalibrationCheck {
  const used = bins.filter((b) => b.count > 0);
  const perGroup = used.length > 0 ? alpha / used.length : alpha;
  const off: OffGroup[] = [];
  for (const b of used) {
    const successes = Math.round(b.observed * b.count);
    const pValue = binomialTwoSided(successes, b.count, b.predicted);
    if (pValue < perGroup) off.push({ predicted: b.predicted, observed: b.observed, count: b.count, pValue });
  }
  off.sort((a, b) => a.pValue - b.pValue);
  return { alpha: perGroup, off };
}

/** Everything the page says about the file against the card. */
export interface CardCheck {
  auc: AucComparison;
  calibration: CalibrationCheck;
  /** True when either check finds the file clearly worse than the card. */
  fitsWorse: boolean;
}

/** Both checks of a labelled file against the card's holdout. */
export function checkAgainstCard(
  file: AucFigure & { calibration: readonly CalibrationBin[] },
  card: AucFigure,
): CardCheck {
  const auc = compareAuc(file, card);
  const calibration = checkCalibration(file.calibration);
  return { auc, calibration, fitsWorse: auc.verdict === 'below' || calibration.off.length > 0 };
}
