/**
 * The fast path: plain comma-separated CSV without quotes, parsed byte by byte straight into the batch's
 * Float32Array. Line ends are found and runs of feature cells read by the CSV kernel (WebAssembly,
 * csv-kernel.ts), so the lines are parsed in the kernel's memory; anything the kernel does not take goes
 * through the shared cell rules. Only ids (and problem cells) become strings.
 */
import { decodeUtf8 } from '../ids';
import { FEATURE_COUNT } from '../schema';
import { readNumber, targetOfText } from './cell';
import { ROLE_ID, ROLE_TARGET, type RowSink } from './row-sink';
import { lineTooLong } from './byte-source';
import type { CsvKernel } from './csv-kernel';
import type { IssueKind } from './types';

const COMMA = 44;
const LF = 10;
const CR = 13;

/** Parses complete lines into a RowSink. */
export class FastParser {
  /** Value of the last slow(): the float32 value, NaN when bad. */
  private num = 0;
  /** Why the last slow() failed, or null. */
  private kind: IssueKind | null = null;
  /** Text of the last failed cell. */
  private text = '';

  /** For each field: how many fields from it on hold consecutive features (var_j, var_j+1, ...); 0 for others. */
  private readonly runs: Int32Array;

  constructor(
    private readonly sink: RowSink,
    private readonly maxLine: number,
    /** Reads the feature cells; the lines handed to parseLines are in its memory. */
    private readonly kernel: CsvKernel,
  ) {
    const roles = sink.roles;
    this.runs = new Int32Array(roles.length);
    for (let c = roles.length - 1; c >= 0; c--) {
      if (roles[c] < 0) continue;
      this.runs[c] = c + 1 < roles.length && roles[c + 1] === roles[c] + 1 ? this.runs[c + 1] + 1 : 1;
    }
  }

  /**
   * Parses the lines of buf[pos, end) until the batch is full; `buf` is the kernel's memory and `end` is just past
   * a '\n' (the number loops rely on it). Returns where it stopped.
   */
  parseLines(buf: Uint8Array, pos: number, end: number): number {
    const sink = this.sink;
    while (pos < end && !sink.full) {
      let nl = this.kernel.find(pos, end, LF);
      let next: number;
      if (nl < 0) {
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
      else if ((first === 0x1a || first === 32 || first === 9) && isMarkLine(buf, pos, lineEnd))
        sink.endOfFileMark();
      else this.parseLine(buf, pos, lineEnd);
      pos = next;
    }
    return pos;
  }

  private parseLine(buf: Uint8Array, start: number, end: number): void {
    const sink = this.sink;
    const kernel = this.kernel;
    const roles = sink.roles;
    const fieldCount = sink.fieldCount;
    const features = sink.features;
    const base = sink.count * FEATURE_COUNT;
    let p = start;
    let c = 0;
    for (;;) {
      if (c === fieldCount) {
        // More fields than the header: count them and see whether any holds something (then the row's values may
        // be shifted: RowSink.fieldCountIssue), not what (but its encoding is checked).
        c++;
        let high = 0;
        let held = false;
        for (let i = p; i < end; i++) {
          const b = buf[i];
          high |= b;
          if (b === COMMA) c++;
          else if (b !== 32 && b !== 9) held = true;
        }
        if (high >= 0x80) sink.rules.cellBytes(buf, p, end);
        sink.fieldCountIssue(c, held);
        sink.endRow();
        return;
      }
      let role = roles[c];
      let fieldEnd: number;
      if (role >= 0) {
        // The run of feature cells from here through the kernel, straight into the batch.
        const run = this.runs[c];
        const read = kernel.cells(p, end, run);
        if (read > 0) {
          kernel.copy(features, base + role, read);
          c += read;
          fieldEnd = kernel.stop;
          if (fieldEnd >= end) break;
          p = fieldEnd + 1;
          if (read === run) continue;
          role = roles[c];
        }
        // The cell at p (field c) is one the kernel did not take (spaces, exponents, many digits, bad cells).
        fieldEnd = this.slow(buf, p, end);
        features[base + role] = this.num;
        if (this.kind !== null) sink.badCell(c, this.text, this.kind);
      } else if (role === ROLE_ID) {
        fieldEnd = commaOrEnd(buf, p, end);
        if (sink.ids.pushBytes(buf, p, fieldEnd)) sink.rules.id(sink.ids, sink.row);
      } else if (role === ROLE_TARGET) {
        fieldEnd = commaOrEnd(buf, p, end);
        const b = buf[p];
        if (fieldEnd === p + 1 && (b === 48 || b === 49)) sink.storeTarget(b - 48, '', c);
        else {
          // Anything but a bare 0 or 1 is judged on its text, as the papaparse path judges it.
          sink.rules.cellBytes(buf, p, fieldEnd);
          const text = decodeUtf8(buf, p, fieldEnd);
          sink.storeTarget(targetOfText(text), text, c);
        }
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

  /** A feature cell the kernel does not take (spaces, exponents, many digits, bad cells): the shared rules. */
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

/** Only end-of-file marks (Ctrl-Z, 0x1A), at least one, and blanks: the end of a DOS text file, not a row. */
function isMarkLine(buf: Uint8Array, start: number, end: number): boolean {
  let mark = false;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b === 0x1a) mark = true;
    else if (b !== 32 && b !== 9) return false;
  }
  return mark;
}

/** True when buf[start, end) holds only commas, spaces and tabs. */
function isEmptyLine(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== COMMA && b !== 32 && b !== 9) return false;
  }
  return true;
}
