/** Writing predictions: Kaggle's `ID_code,target` lines, safe to open in a spreadsheet. */

/** Characters that make a spreadsheet read a cell as a formula (or strip it) when they lead it. */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Neutralises a cell for spreadsheets (CSV injection): a value starting with = + - @ tab or CR gets a leading
 * single quote, which Excel, LibreOffice and Google Sheets show as text and do not evaluate.
 */
export function safeSpreadsheetCell(value: string): string {
  return value.length > 0 && FORMULA_START.has(value[0]) ? `'${value}` : value;
}

/** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A probability with 6 significant digits, as in the submission file. */
export function formatProbability(p: number): string {
  return Number.isFinite(p) ? String(Number(p.toPrecision(6))) : 'NaN';
}

/** The header of a predictions file, without its line break: every writer (app, CLI, DuckDB) starts from it. */
export const PREDICTIONS_HEADER = 'ID_code,target';

/** One `ID_code,target` line (without line break) for an id as read from the input and its probability. */
export function predictionLine(id: string, probability: number): string {
  return `${csvField(safeSpreadsheetCell(id))},${formatProbability(probability)}`;
}

/** Neutralises a cell for spreadsheets (leading = + - @ tab CR get a ') and quotes it for CSV when needed. */
export function csvCell(text: string): string {
  return csvField(safeSpreadsheetCell(text));
}
