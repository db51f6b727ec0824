/** The predictions file as Kaggle expects it (`ID_code,target`), written batch by batch. */
import { idAt, type PackedIds } from '../ids';
import { PREDICTIONS_HEADER as HEADER, predictionLine } from '../output';

/** First line of predictions.csv, with its line break. */
export const PREDICTIONS_HEADER = `${HEADER}\n`;

/** The lines for rows [start, end), each ending in a line break (ids made safe for spreadsheets). */
export function predictionLines(
  ids: PackedIds,
  probabilities: Float32Array,
  start = 0,
  end = Math.min(ids.count, probabilities.length),
): string {
  let out = '';
  for (let i = start; i < end; i++) out += `${predictionLine(idAt(ids, i), probabilities[i])}\n`;
  return out;
}
