/**
 * The model in use before a training run, measured on the new model's holdout rows for switchVerdict, leaving out
 * the rows it was fitted on when it has a record of them (fitted-rows.bin). Shared by the app's training worker
 * (which scores with onnxruntime-web) and the tests (which score with the TypeScript reference).
 */
import { FittedRows } from '../fit/fitted-rows';
import { chanceCeiling, expectedFalsePositives } from '../insights/fitted-labels';
import { auc } from '../metrics';
import { FEATURE_COUNT } from '../schema';
import { comparable, type PreviousOnHoldout } from './policy';
import type { TrainingRows } from './training-rows';

/** The model in use: its record of fitted rows (fitted-rows.bin; null: none) and how to score rows of the data. */
export interface PreviousModel {
  fittedRows: Uint8Array | null;
  /** Ranking scores (log-odds, or log-odds less a constant) of rows `rows` of the data, in that order. */
  score: (rows: Uint32Array) => Promise<ArrayLike<number>>;
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}

/** Rounded as the card rounds the new model's AUC, so the two compare as the page shows them. */
function round6(value: number): number {
  return Number(value.toPrecision(6));
}

/**
 * The previous model's AUC on holdout rows `holdout` of `data` and, when it has a record, the new model's AUC
 * on the same rows without those it was fitted on (`trainedScores`: the new model's scores of `holdout`, in
 * that order). Never throws: a failure to score is a `problem`.
 */
export async function previousOnHoldout(
  data: TrainingRows,
  holdout: Uint32Array,
  trainedScores: ArrayLike<number>,
  previous: PreviousModel,
): Promise<PreviousOnHoldout> {
  try {
    const record = previous.fittedRows ? FittedRows.parse(previous.fittedRows) : null;
    let keep = holdout;
    let kept = Array.from({ length: holdout.length }, (_, k) => k);
    if (record) {
      kept = kept.filter((k) => !record.has(data.features, holdout[k]));
      keep = Uint32Array.from(kept, (k) => holdout[k]);
    }
    const labels = Uint8Array.from(keep, (r) => data.targets[r]);
    const positives = labels.reduce((a, b) => a + b, 0);
    const leftOut = holdout.length - keep.length;
    if (record && !comparable(positives, keep.length - positives)) {
      return { tooFew: { leftOut, positives, negatives: keep.length - positives } };
    }
    const theirs = round6(auc(Float64Array.from(await previous.score(keep)), labels));
    if (!record) return { auc: theirs };
    const mine = round6(
      auc(
        Float64Array.from(kept, (k) => trainedScores[k]),
        labels,
      ),
    );
    // As many matches as the record's false positives give fresh rows: the model may not have seen any of them.
    const chance = leftOut < chanceCeiling(expectedFalsePositives(record, holdout.length));
    return {
      auc: theirs,
      fitted: { rows: keep.length, leftOut, trained: mine, ...(chance ? { chance } : {}) },
    };
  } catch (error) {
    return { problem: messageOf(error) };
  }
}

/** Rows `rows` of a row-major [n, 200] array, copied into a new array in that order. */
export function gatherRows(features: Float32Array, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * FEATURE_COUNT);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    out.set(features.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT), k * FEATURE_COUNT);
  }
  return out;
}
