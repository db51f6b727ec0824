/**
 * Cell semantics shared by both parsers (the fast path must give exactly what this gives):
 * - number: optional surrounding spaces/tabs around [+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?,
 *   read as Math.fround(Number(text)); with decimalComma a ',' may stand for the decimal point.
 * - empty (or spaces/tabs only) -> NaN + 'empty'; `nan`, `inf`, `infinity` (any case, signed) or a value that
 *   is not finite as float32 (1e39, 1e400) -> NaN + 'non-finite'; anything else -> NaN + 'non-numeric'.
 * - target: a number equal to 0 or 1, else NaN + 'bad-target'.
 */
import type { IssueKind } from './types';

/** Longest cell text an issue carries. */
const ISSUE_VALUE_CHARS = 60;

/** Cuts a cell's text for an issue report. */
export function cutValue(text: string): string {
  return text.length > ISSUE_VALUE_CHARS ? `${text.slice(0, ISSUE_VALUE_CHARS)}…` : text;
}

const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

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

/** True when s[start, end) follows the number grammar (decimal mark '.' or, with decimalComma, ','). */
function isNumberText(s: string, start: number, end: number, decimalComma: boolean): boolean {
  let i = start;
  let c = s.charCodeAt(i);
  if (c === 43 || c === 45) i++;
  const intEnd = skipDigits(s, i, end);
  let digits = intEnd - i;
  i = intEnd;
  c = i < end ? s.charCodeAt(i) : -1;
  if (c === 46 || (decimalComma && c === 44)) {
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
export function readNumber(text: string, decimalComma: boolean): number | IssueKind {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start === end) return 'empty';
  if (!isNumberText(text, start, end, decimalComma)) {
    return NON_FINITE.test(text.slice(start, end)) ? 'non-finite' : 'non-numeric';
  }
  let body = start === 0 && end === text.length ? text : text.slice(start, end);
  if (decimalComma) body = body.replace(',', '.');
  const value = Math.fround(Number(body));
  return Number.isFinite(value) ? value : 'non-finite';
}

/** Target of a parsed cell: 0 or 1, else -1 (bad). -0 reads as 0. */
export function targetOf(value: number | IssueKind): number {
  return value === 0 ? 0 : value === 1 ? 1 : -1;
}
