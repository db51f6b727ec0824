/** The predictions file as Kaggle expects it (`ID_code,target`), written batch by batch. */
import { safeSpreadsheetCell } from '../output';

/** First line of predictions.csv. */
export const PREDICTIONS_HEADER = 'ID_code,target\n';

/** A probability with 6 significant digits and no trailing zeros ("0.0123457", "1e-7"). */
export function formatProbability(p: number): string {
  return String(Number(p.toPrecision(6)));
}

/** A CSV field: quoted when it holds a delimiter, quote or line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The lines for rows [start, end): ids made safe for spreadsheets, then quoted as CSV needs. */
export function predictionLines(
  ids: readonly string[],
  probabilities: Float32Array,
  start = 0,
  end = Math.min(ids.length, probabilities.length),
): string {
  let out = '';
  for (let i = start; i < end; i++) {
    out += `${csvField(safeSpreadsheetCell(ids[i]))},${formatProbability(probabilities[i])}\n`;
  }
  return out;
}
