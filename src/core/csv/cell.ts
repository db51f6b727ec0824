/**
 * Cell semantics shared by both parsers (the fast path must give exactly what this gives):
 * - number: optional surrounding spaces/tabs around [+-]?(digits[.,digits?] | [.,]digits)([eE][+-]?digits)?,
 *   read as Math.fround(Number(text)). The decimal mark is '.' or ','. A ',' can only be inside a field when
 *   it does not separate fields (';', tab or '|' files, or a quoted "1,5" as pandas writes with decimal=','),
 *   and there it can only be a decimal mark. (A file whose numbers use both marks, one of them only where it
 *   could separate thousands, is refused by the row sink: RowSink.ambiguousMark.)
 * - empty (or spaces/tabs only) -> NaN + 'empty'; a missing-value word (pandas' default list: NA, N/A, NaN,
 *   null, None, #N/A, ...) -> NaN + 'missing'; `inf`, `infinity`, `nan` in other spellings (any case, signed)
 *   or a value that is not finite as float32 (1e39, 1e400) -> NaN + 'non-finite'; anything else -> NaN +
 *   'non-numeric'. Words are only looked up once the number rule has failed, so numbers pay nothing for them.
 * - target: a number whose text is exactly 0 or 1 (judged on its digits, not rounded: 0.99999999 and 1e-46 are
 *   not labels), else NaN + 'bad-target'.
 */
import type { IssueKind } from './types';

/** Longest cell text an issue carries. */
const ISSUE_VALUE_CHARS = 60;

/** Cuts a cell's text for an issue report. */
export function cutValue(text: string): string {
  return text.length > ISSUE_VALUE_CHARS ? `${text.slice(0, ISSUE_VALUE_CHARS)}…` : text;
}

const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * Words that stand for a missing value: pandas' default `na_values` (pandas 2.x, io.navaluesconst in the
 * read_csv docs), which covers R's `NA`, Excel's `#N/A`, SQL's `NULL` and Python's `None`. Exact spellings,
 * as pandas matches them; other spellings of nan stay 'non-finite'.
 */
export const MISSING_WORDS: ReadonlySet<string> = new Set([
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Index after the digits starting at i. */
function skipDigits(s: string, i: number, end: number): number {
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** True when s[start, end) follows the number grammar (decimal mark '.' or ','). */
function isNumberText(s: string, start: number, end: number): boolean {
  let i = start;
  let c = s.charCodeAt(i);
  if (c === 43 || c === 45) i++;
  const intEnd = skipDigits(s, i, end);
  let digits = intEnd - i;
  i = intEnd;
  c = i < end ? s.charCodeAt(i) : -1;
  if (c === 46 || c === 44) {
    const fracEnd = skipDigits(s, i + 1, end);
    digits += fracEnd - i - 1;
    i = fracEnd;
  }
  if (digits === 0) return false;
  if (i < end) {
    c = s.charCodeAt(i);
    if (c !== 101 && c !== 69) return false;
    i++;
    c = i < end ? s.charCodeAt(i) : -1;
    if (c === 43 || c === 45) i++;
    const expEnd = skipDigits(s, i, end);
    if (expEnd === i) return false;
    i = expEnd;
  }
  return i === end;
}

/**
 * Reads one numeric cell. Returns the float32 value, or the IssueKind when the cell is not a finite number
 * (the caller stores NaN).
 */
export function readNumber(text: string): number | IssueKind {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start === end) return 'empty';
  if (!isNumberText(text, start, end)) {
    const word = text.slice(start, end);
    return MISSING_WORDS.has(word) ? 'missing' : NON_FINITE.test(word) ? 'non-finite' : 'non-numeric';
  }
  let body = start === 0 && end === text.length ? text : text.slice(start, end);
  // Only a cell that has a comma pays for the replace.
  if (body.indexOf(',') >= 0) body = body.replace(',', '.');
  const value = Math.fround(Number(body));
  return Number.isFinite(value) ? value : 'non-finite';
}

/**
 * The label a target cell's text stands for: 0 or 1 when the text is a number (the same grammar as readNumber,
 * decimal comma included) whose value is exactly 0 or 1 (`1`, `1.0`, `10e-1`, `-0`, `0,0`), judged on its digits
 * and not on a rounded value; -1 for anything else, including numbers that round to 0 or 1 as float32 or as a
 * double (`0.99999999`, `1e-46`, `1.0000000000000001`). The words `true` and `false` in any case are 1 and 0:
 * what pandas (`True`), R and Excel (`TRUE`) write for a boolean column, which a Parquet file holds as a boolean
 * and the Parquet reader takes as a label too.
 */
export function targetOfText(text: string): number {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (end - start === 4 || end - start === 5) {
    const word = text.slice(start, end).toLowerCase();
    if (word === 'true') return 1;
    if (word === 'false') return 0;
  }
  if (start === end || !isNumberText(text, start, end)) return -1;
  // isNumberText has checked the grammar: the groups are the integer digits, the fraction and the exponent.
  const [, whole, fraction = '', exponent = '0'] = /^[+-]?(\d*)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?$/.exec(
    text.slice(start, end),
  )!;
  // The value is digits x 10^(exponent - fraction.length), exactly.
  const digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return 0; // every digit zero: 0 whatever the sign and exponent
  if (text.charCodeAt(start) === 45) return -1; // negative and not zero
  const significant = digits.replace(/0+$/, '');
  const power = Number(exponent) - fraction.length + (digits.length - significant.length);
  return significant === '1' && power === 0 ? 1 : -1;
}
