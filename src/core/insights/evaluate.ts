/**
 * Evaluation mode: how the model does on the user's own labels (rows whose target is 0 or 1), and the
 * confusion table at any line in O(1) from cumulative counts along the file's ranking.
 */
import { auc, calibrationTable, labelledRows, logLoss, prAuc, rocPoints } from '../metrics';
import type { CalibrationBin, CurvePoint } from '../model-card';

/** Figures on the labelled rows of a file. */
export interface LabelEvaluation {
  labelled: number;
  positives: number;
  auc: number;
  logLoss: number;
  prAuc: number;
  roc: CurvePoint[];
  calibration: CalibrationBin[];
  /** Along the ranking (Ranking.order): positives among the first k rows, k = 0..n. */
  cumulativePositives: Uint32Array;
  /** Along the ranking: labelled rows among the first k rows. */
  cumulativeLabelled: Uint32Array;
}

/** Counts at a line, over the labelled rows. */
export interface Confusion {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

const isLabel = (t: number) => t === 0 || t === 1;

/** A file's labels against its scores: what remains to say when there is no evaluation (one class only). */
export interface LabelTally {
  /** Rows whose target is 0 or 1. */
  labelled: number;
  /** Of them, target 1. */
  positives: number;
  /** The sum of their scores: the transactions the model expected among them. */
  expected: number;
}

/** Counts the labelled rows and their positives, and sums their scores (arrays of one value per row). */
export function labelTally(probabilities: Float32Array, targets: Float32Array): LabelTally {
  if (targets.length !== probabilities.length) throw new RangeError('one target per probability');
  let labelled = 0;
  let positives = 0;
  let expected = 0;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if (t !== 0 && t !== 1) continue;
    labelled++;
    positives += t;
    expected += probabilities[i];
  }
  return { labelled, positives, expected };
}

/**
 * Evaluates probabilities against targets along the file's one ranking (`order`: Ranking.order, score descending,
 * ties by row, NaN last): every figure reads the rows in that order, so the file is sorted once for the ranking,
 * the AUC, the curves and the calibration table. Null when fewer than both classes are present.
 */
export function evaluateLabels(
  probabilities: Float32Array,
  targets: Float32Array,
  order: Uint32Array,
): LabelEvaluation | null {
  if (targets.length !== probabilities.length || order.length !== probabilities.length) {
    throw new RangeError('probabilities, targets and order must have one value per row');
  }
  const { scores, labels, positives } = labelledRows(probabilities, targets);
  const labelled = labels.length;
  if (positives === 0 || positives === labelled) return null;
  const n = order.length;
  const cumulativePositives = new Uint32Array(n + 1);
  const cumulativeLabelled = new Uint32Array(n + 1);
  for (let r = 0; r < n; r++) {
    const t = targets[order[r]];
    cumulativePositives[r + 1] = cumulativePositives[r] + (t === 1 ? 1 : 0);
    cumulativeLabelled[r + 1] = cumulativeLabelled[r] + (isLabel(t) ? 1 : 0);
  }
  const ranked = labelledOrder(targets, order, labelled);
  return {
    labelled,
    positives,
    auc: auc(scores, labels, ranked),
    logLoss: logLoss(scores, labels),
    prAuc: prAuc(scores, labels, ranked),
    roc: rocPoints(scores, labels, 200, ranked),
    calibration: calibrationTable(scores, labels, 10, ranked),
    cumulativePositives,
    cumulativeLabelled,
  };
}

/**
 * The ranking restricted to the labelled rows, as indices into labelledRows' arrays (which keep the labelled
 * rows in file order): the order a sort of those rows alone would give, since ties stay in row order.
 */
function labelledOrder(targets: Float32Array, order: Uint32Array, labelled: number): Uint32Array {
  if (labelled === targets.length) return order;
  const position = new Int32Array(targets.length).fill(-1);
  for (let i = 0, k = 0; i < targets.length; i++) if (isLabel(targets[i])) position[i] = k++;
  const out = new Uint32Array(labelled);
  for (let r = 0, k = 0; r < order.length; r++) {
    const at = position[order[r]];
    if (at >= 0) out[k++] = at;
  }
  return out;
}

/** The confusion table when the first `count` rows of the ranking are flagged. */
export function confusionAt(
  evaluation: Pick<LabelEvaluation, 'cumulativePositives' | 'cumulativeLabelled' | 'labelled' | 'positives'>,
  count: number,
): Confusion {
  const k = Math.min(Math.max(0, Math.round(count)), evaluation.cumulativePositives.length - 1);
  const truePositives = evaluation.cumulativePositives[k];
  const falsePositives = evaluation.cumulativeLabelled[k] - truePositives;
  const falseNegatives = evaluation.positives - truePositives;
  const trueNegatives = evaluation.labelled - evaluation.positives - falsePositives;
  return { truePositives, falsePositives, falseNegatives, trueNegatives };
}
