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

/** 10^6..10^11: exact doubles. */
const SCALE = [1e6, 1e7, 1e8, 1e9, 1e10, 1e11];
/** The doubles nearest 10^-1..10^-6 (no float32 lies between one of them and the power of ten it stands for). */
const DECADE = [0.1, 0.01, 0.001, 0.0001, 0.00001, 0.000001];

/**
 * A probability with 6 significant digits, as in the submission file: `String(Number(p.toPrecision(6)))`, 'NaN'
 * when not finite. A float32 in [1e-6, 1) (every probability the model gives) takes a path about twice as fast
 * with the same text: its 24-bit significand times 10^k (k <= 11, 5^11 < 2^26) is exact, so Math.round rounds the
 * exact value half up, as toPrecision does; the division gives the double nearest that 6-digit decimal, which is
 * what Number reads from toPrecision's text. A unit test holds the two to the same text.
 */
export function formatProbability(p: number): string {
  if (p >= 1e-6 && p < 1 && Math.fround(p) === p) {
    let k = 0;
    while (p < DECADE[k]) k++;
    return String(Math.round(p * SCALE[k]) / SCALE[k]);
  }
  return Number.isFinite(p) ? String(Number(p.toPrecision(6))) : 'NaN';
}

/**
 * Writes formatProbability(p)'s text as ASCII bytes into `out` from `at` and returns where it ends, for a float32 p
 * in [1e-6, 1) (every probability the model gives); returns -1 for any other p, which then takes formatProbability.
 * The same digits without a string per value: round(p * 10^(6+k)) is the 6-digit significand (see
 * formatProbability), and the text is "0." and its 6+k digits without trailing zeros ("1" when p rounds up to 1).
 * `out` needs 14 bytes of room from `at` ("0." and up to 12 digits). A unit test holds the two to the same text.
 */
export function writeProbability(p: number, out: Uint8Array, at: number): number {
  if (!(p >= 1e-6 && p < 1 && Math.fround(p) === p)) return -1;
  let k = 0;
  while (p < DECADE[k]) k++;
  let n = Math.round(p * SCALE[k]);
  let digits = 6 + k;
  while (n % 10 === 0) {
    n /= 10;
    digits--;
  }
  if (digits === 0) {
    out[at] = DIGIT_ONE;
    return at + 1;
  }
  out[at++] = DIGIT_ZERO;
  out[at++] = DOT;
  const end = at + digits;
  for (let i = end - 1; i >= at; i--) {
    out[i] = DIGIT_ZERO + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

const DIGIT_ZERO = 48;
const DIGIT_ONE = 49;
const DOT = 46;

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
