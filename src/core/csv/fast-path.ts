/**
 * The fast path: plain comma-separated CSV without quotes, parsed byte by byte from Uint8Array chunks straight
 * into the batch's Float32Array. Only ids (and problem cells) become strings.
 */
import { decodeUtf8 } from '../ids';
import { FEATURE_COUNT } from '../schema';
import { readNumber, targetOf } from './cell';
import { ROLE_ID, ROLE_TARGET, type RowSink } from './row-sink';
import { lineTooLong } from './byte-source';
import type { IssueKind } from './types';

const COMMA = 44;
const LF = 10;
const CR = 13;

// 10^0..10^22 are exact doubles: m * 10^k or m / 10^k with m < 2^53 is then one correctly rounded operation,
// which is what Number(text) gives (Clinger's fast path).
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MAX_EXACT_DIGITS = 15;

/** Parses complete lines into a RowSink. */
export class FastParser {
  /** Value of the last number(): the float32 value, NaN when bad. */
  private num = 0;
  /** Why the last number() failed, or null. */
  private kind: IssueKind | null = null;
  /** Text of the last failed cell. */
  private text = '';

  constructor(
    private readonly sink: RowSink,
    private readonly maxLine: number,
  ) {}

  /**
   * Parses the lines of buf[pos, end) until the batch is full; `end` is just past a '\n' (the number loop
   * relies on it). Returns where it stopped.
   */
  parseLines(buf: Uint8Array, pos: number, end: number): number {
    const sink = this.sink;
    while (pos < end && !sink.full) {
      let nl = buf.indexOf(LF, pos);
      let next: number;
      if (nl < 0 || nl >= end) {
        nl = end;
        next = end;
      } else next = nl + 1;
      const lineEnd = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
      if (lineEnd - pos > this.maxLine) throw lineTooLong(sink.row, this.maxLine);
      // A line with no value (blank, or only separators as Excel leaves for deleted rows) is not a row. Rows
      // start with their id, so only a line starting with a separator or a space pays for the scan.
      const first = buf[pos];
      if (
        lineEnd === pos ||
        ((first === COMMA || first === 32 || first === 9) && isEmptyLine(buf, pos, lineEnd))
      )
        sink.emptyLine();
      else this.parseLine(buf, pos, lineEnd);
      pos = next;
    }
    return pos;
  }

  private parseLine(buf: Uint8Array, start: number, end: number): void {
    const sink = this.sink;
    const roles = sink.roles;
    const fieldCount = sink.fieldCount;
    const features = sink.features;
    const base = sink.count * FEATURE_COUNT;
    let p = start;
    let c = 0;
    for (;;) {
      if (c === fieldCount) {
        // More fields than the header: count them for the report, ignore their content (but not its encoding).
        c++;
        let high = 0;
        for (let i = p; i < end; i++) {
          const b = buf[i];
          high |= b;
          if (b === COMMA) c++;
        }
        if (high >= 0x80) sink.rules.cellBytes(buf, p, end);
        break;
      }
      const role = roles[c];
      let fieldEnd: number;
      if (role >= 0) {
        fieldEnd = this.number(buf, p, end);
        features[base + role] = this.num;
        if (this.kind !== null) sink.badCell(c, this.text, this.kind);
      } else if (role === ROLE_ID) {
        fieldEnd = commaOrEnd(buf, p, end);
        if (sink.ids.pushBytes(buf, p, fieldEnd)) sink.rules.id(sink.ids, sink.row);
      } else if (role === ROLE_TARGET) {
        fieldEnd = this.number(buf, p, end);
        const value = this.kind ?? this.num;
        if (this.kind === null && targetOf(value) < 0) this.text = decodeUtf8(buf, p, fieldEnd);
        sink.storeTarget(value, this.text, c);
      } else {
        // A column the model does not use: skipped, but its bytes still decide whether the file is UTF-8.
        let high = 0;
        fieldEnd = p;
        while (fieldEnd < end) {
          const b = buf[fieldEnd];
          if (b === COMMA) break;
          high |= b;
          fieldEnd++;
        }
        if (high >= 0x80) sink.rules.cellBytes(buf, p, fieldEnd);
      }
      c++;
      if (fieldEnd >= end) break;
      p = fieldEnd + 1;
    }
    if (c !== fieldCount) sink.fieldCountIssue(c);
    sink.endRow();
  }

  /**
   * Reads the numeric field starting at p; sets num/kind/text; returns the field's end.
   * No bounds checks: the byte at `end` is the line's CR or LF (a sentinel none of the loops accepts).
   */
  private number(buf: Uint8Array, p: number, end: number): number {
    let i = p;
    let b = buf[i];
    let negative = false;
    if (b === 45 || b === 43) {
      negative = b === 45;
      b = buf[++i];
    }
    let mantissa = 0;
    const first = i;
    while (b >= 48 && b <= 57) {
      mantissa = mantissa * 10 + (b - 48);
      b = buf[++i];
    }
    let digits = i - first;
    let fraction = 0;
    if (b === 46) {
      const dot = ++i;
      b = buf[i];
      while (b >= 48 && b <= 57) {
        mantissa = mantissa * 10 + (b - 48);
        b = buf[++i];
      }
      fraction = i - dot;
      digits += fraction;
    }
    let exponent = -fraction;
    if (b === 101 || b === 69) {
      b = buf[++i];
      let expNegative = false;
      if (b === 45 || b === 43) {
        expNegative = b === 45;
        b = buf[++i];
      }
      const expFirst = i;
      let value = 0;
      while (b >= 48 && b <= 57) {
        // Capped: anything this large goes to the slow path anyway.
        if (value < 1e6) value = value * 10 + (b - 48);
        b = buf[++i];
      }
      if (i === expFirst) return this.slow(buf, p, end);
      exponent += expNegative ? -value : value;
    }
    // Digits, not significant digits: leading zeros count too, which only sends a few more cells to slow().
    if ((b !== COMMA && i !== end) || i > end || digits === 0 || digits > MAX_EXACT_DIGITS) {
      return this.slow(buf, p, end);
    }
    let value: number;
    if (mantissa === 0 || exponent === 0) value = mantissa;
    else if (exponent > 0) {
      if (exponent > 22) return this.slow(buf, p, end);
      value = mantissa * POW10[exponent];
    } else {
      if (exponent < -22) return this.slow(buf, p, end);
      value = mantissa / POW10[-exponent];
    }
    const f = Math.fround(negative ? -value : value);
    if (f - f !== 0) return this.slow(buf, p, end);
    this.num = f;
    this.kind = null;
    return i;
  }

  /** Anything the byte loop does not take (spaces, many digits, big exponents, bad cells): the shared rules. */
  private slow(buf: Uint8Array, p: number, end: number): number {
    const fieldEnd = commaOrEnd(buf, p, end);
    const text = decodeUtf8(buf, p, fieldEnd);
    const value = readNumber(text);
    if (typeof value === 'number') {
      this.num = value;
      this.kind = null;
    } else {
      // Kept as text for the report: it must be UTF-8 (a number never has a byte above 0x7F).
      this.sink.rules.cellBytes(buf, p, fieldEnd);
      this.num = NaN;
      this.kind = value;
      this.text = text;
    }
    return fieldEnd;
  }
}

function commaOrEnd(buf: Uint8Array, p: number, end: number): number {
  while (p < end && buf[p] !== COMMA) p++;
  return p;
}

/** True when buf[start, end) holds only commas, spaces and tabs. */
function isEmptyLine(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== COMMA && b !== 32 && b !== 9) return false;
  }
  return true;
}
