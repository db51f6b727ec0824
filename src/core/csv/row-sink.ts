/** Where both parsers put rows: batch arrays, issue reports and row rules, so they cannot drift apart. */
import { IdWriter } from '../ids';
import { FEATURE_COUNT, type ColumnMap } from '../schema';
import { cutValue, readNumber, targetOfText } from './cell';
import type { TextRules } from './text-encoding';
import { ID_COLUMN } from '../schema';
import {
  CsvError,
  type IssueKind,
  type ParseInfo,
  type ParseOptions,
  type ParseSummary,
  type RowBatch,
  type RowIssue,
} from './types';

/** Role of a header position: a feature index (>= 0) or one of these. */
const ROLE_IGNORE = -1;
/** The ID_code column. */
export const ROLE_ID = -2;
/** The target column. */
export const ROLE_TARGET = -3;

/** Role of each header position. */
function columnRoles(columns: ColumnMap): Int32Array {
  const roles = new Int32Array(columns.fieldCount).fill(ROLE_IGNORE);
  roles[columns.idIndex] = ROLE_ID;
  if (columns.targetIndex >= 0) roles[columns.targetIndex] = ROLE_TARGET;
  columns.featureIndex.forEach((at, j) => (roles[at] = j));
  return roles;
}

const isBlankChar = (c: number) => c === 32 || c === 9;

/** A line holding only end-of-file marks (Ctrl-Z, SUB, 0x1A: DOS-era programs end a text file with it), and blanks. */
function isMarkLine(text: string): boolean {
  let mark = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x1a) mark = true;
    else if (!isBlankChar(c)) return false;
  }
  return mark;
}

/** True when every field is empty or only spaces/tabs: an empty line, not a row. */
function allBlank(fields: readonly string[]): boolean {
  for (const field of fields) {
    for (let i = 0; i < field.length; i++) if (!isBlankChar(field.charCodeAt(i))) return false;
  }
  return true;
}

/** A carriage return that does not start a CRLF line break. */
const LONE_CR = /\r(?!\n)/;

/**
 * The refusal of a file in which a lone CR (classic Mac OS's line break) sits inside a line of LF or CRLF lines:
 * the line after it ran into this one (its ID_code read as part of the cell), so a customer would be lost.
 */
function loneCrError(row: number, column: string, text: string): CsvError {
  return new CsvError(
    `Row ${row}, ${column}: ${JSON.stringify(cutValue(text))} holds a carriage return (CR) that does not end a ` +
      'line, so two lines run together there: the file mixes line breaks (a lone CR, as classic Mac OS wrote, ' +
      'among LF or CRLF ones). Save it with LF or CRLF line breaks.',
    'lone-cr',
    { row, column },
  );
}

/** A number that could be read with its mark as a decimal mark or as a thousands separator. */
interface AmbiguousCell {
  row: number;
  column: string;
  text: string;
}

/**
 * True when a number's text (the number grammar of cell.ts, its mark at `at`) could also be an integer written
 * with a thousands separator: 1 to 3 digits, the first not 0, before the mark and exactly 3 after it, no
 * exponent (1,500 and -12.345, not 0,500, 1,5, 1234,567 or 1,500e2).
 */
function couldSeparateThousands(text: string, at: number): boolean {
  let start = 0;
  let end = text.length;
  while (start < end && isBlankChar(text.charCodeAt(start))) start++;
  while (end > start && isBlankChar(text.charCodeAt(end - 1))) end--;
  const sign = text.charCodeAt(start);
  if (sign === 43 || sign === 45) start++;
  const before = at - start;
  return (
    before >= 1 &&
    before <= 3 &&
    text.charCodeAt(start) !== 48 &&
    end - at - 1 === 3 &&
    isDigits(text, at + 1, end)
  );
}

function isDigits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Accumulates rows into batches of typed arrays and reports issues; owned by one parse run. */
export class RowSink {
  readonly roles: Int32Array;
  readonly fieldCount: number;
  readonly hasTarget: boolean;
  /** Header names (trimmed), for issue reports. */
  readonly names: string[];
  private readonly idName: string;
  readonly capacity: number;
  features!: Float32Array;
  targets!: Float32Array | null;
  /** The current batch's ids (reused: each batch gets a copy). */
  readonly ids: IdWriter;
  /** Rows in the current batch. */
  count = 0;
  /** Rows delivered in the whole run. */
  rows = 0;
  issueCount = 0;
  emptyLines = 0;
  firstEmptyAfterRow = 0;
  endOfFileMarks = 0;
  lastMarkAfterRow = 0;
  rowsWithoutId = 0;
  repeatedHeaders = 0;
  firstRepeatedHeader = 0;
  decimalCommas = 0;
  rowsWithEmptyExtras = 0;
  firstEmptyExtrasRow = 0;
  /**
   * Per decimal mark (0: '.', 1: ','): a number has used it where it can only be a decimal mark (1.5, 13.8280,
   * 1234.5), and the first number that could also be read with it as a thousands separator (1,500: 1.5 or
   * 1500), for the refusal of a file that proves one mark and has such numbers only with the other
   * (ambiguousMark).
   */
  private readonly markProven = [false, false];
  private readonly markAmbiguous: [AmbiguousCell | null, AmbiguousCell | null] = [null, null];
  /** The batch is handed out once `count` reaches this: `capacity`, or less when a skipped row ends it early. */
  private limit: number;
  /** 1-based number of the row being filled (rows without an ID_code are numbered too). */
  private next = 1;
  private firstRow = 1;
  /** Issues of the row being filled: reported when the row ends, dropped if the row is not delivered. */
  private pending: RowIssue[] = [];

  constructor(
    columns: ColumnMap,
    header: readonly string[],
    private readonly options: ParseOptions,
    /** The run's encoding rules: checks every id that is not plain ASCII and every cell kept as text. */
    readonly rules: TextRules,
  ) {
    this.roles = columnRoles(columns);
    this.fieldCount = columns.fieldCount;
    this.hasTarget = columns.targetIndex >= 0;
    this.names = header.map((h) => h.trim());
    this.idName = this.names[columns.idIndex];
    this.capacity = Math.max(1, Math.floor(options.batchRows ?? 8192));
    this.limit = this.capacity;
    this.ids = new IdWriter(this.capacity);
    this.allocate();
  }

  private allocate(): void {
    const length = this.capacity * FEATURE_COUNT;
    const recycled = this.options.featureBuffer?.(length * 4);
    this.features =
      recycled?.byteLength === length * 4 ? new Float32Array(recycled) : new Float32Array(length);
    this.targets = this.hasTarget ? new Float32Array(this.capacity) : null;
    this.ids.reset();
    this.count = 0;
    this.limit = this.capacity;
  }

  /** The batch must be handed out before the next row. */
  get full(): boolean {
    return this.count >= this.limit;
  }

  /** 1-based number of the row being filled. */
  get row(): number {
    return this.next;
  }

  issue(column: string, value: string, kind: IssueKind): void {
    this.pending.push({ row: this.next, column, value: cutValue(value), kind });
  }

  /** A line with no value in any field: counted, not a row. */
  emptyLine(): void {
    if (this.emptyLines++ === 0) this.firstEmptyAfterRow = this.next - 1;
  }

  /**
   * A line holding only end-of-file marks (0x1A) and blanks, or the run of them the file ended with: counted, not
   * a row (it had become a customer `\x1a`, or part of the last cell).
   */
  endOfFileMark(): void {
    this.endOfFileMarks++;
    this.lastMarkAfterRow = this.next - 1;
  }

  /**
   * Ends the row being filled: delivers it, or, when its ID_code is empty, reports it as `no-id` and leaves it
   * out (its slot is reused; a batch with rows in it is handed out first so batch rows stay consecutive).
   */
  endRow(): void {
    const pending = this.pending;
    if (this.repeatsHeader()) {
      this.ids.pop();
      pending.length = 0;
      if (this.repeatedHeaders++ === 0) this.firstRepeatedHeader = this.next;
      this.next++;
      if (this.count > 0) this.limit = this.count;
      return;
    }
    if (this.ids.lastIsBlank()) {
      this.ids.pop();
      pending.length = 0;
      this.report({ row: this.next, column: this.idName, value: '', kind: 'no-id' });
      this.rowsWithoutId++;
      this.next++;
      if (this.count > 0) this.limit = this.count;
      return;
    }
    if (pending.length > 0) {
      for (const issue of pending) this.report(issue);
      pending.length = 0;
    }
    if (this.count === 0) this.firstRow = this.next;
    this.count++;
    this.rows++;
    this.next++;
  }

  /**
   * The row being filled is the header line again: its ID_code is the header's, and every feature (and target)
   * cell failed as a number holding its own column's name, so nothing of it is data.
   */
  private repeatsHeader(): boolean {
    const pending = this.pending;
    if (pending.length !== FEATURE_COUNT + (this.hasTarget ? 1 : 0)) return false;
    if (!pending.every((i) => (i.kind === 'non-numeric' || i.kind === 'bad-target') && i.value === i.column))
      return false;
    const id = this.ids.lastBytes();
    return id.length === this.idName.length && String.fromCharCode(...id) === this.idName;
  }

  private report(issue: RowIssue): void {
    this.issueCount++;
    this.options.onIssue?.(issue);
  }

  /**
   * Fills what a short row lacks (from field `present` on) with NaN and reports it; reports a long row. A long row
   * whose extra fields hold something (`extraValues`: an unquoted comma in an id or a number, a cell split in two)
   * may have every value after the split in the next column: none of its features (nor its target) is used, so
   * it scores as a customer with every value missing instead of on shifted values (which ranked such rows first).
   * Extra fields that are all empty (a trailing separator) shift nothing and hold nothing: counted for the notes,
   * not an issue. Nor is a short row that lacks only columns without a name (the header ends with a separator the
   * data lines do not have). Call after the present fields are stored, before endRow.
   */
  fieldCountIssue(present: number, extraValues = false): void {
    if (present < this.fieldCount) {
      const base = this.count * FEATURE_COUNT;
      let unnamedOnly = true;
      for (let c = present; c < this.fieldCount; c++) {
        const role = this.roles[c];
        if (role >= 0) this.features[base + role] = NaN;
        else if (role === ROLE_ID) this.ids.push('');
        else if (role === ROLE_TARGET) this.targets![this.count] = NaN;
        if (role !== ROLE_IGNORE || this.names[c] !== '') unnamedOnly = false;
      }
      if (!unnamedOnly)
        this.issue(this.names[present], `${present} of ${this.fieldCount} fields`, 'too-few-fields');
    } else if (present > this.fieldCount) {
      if (extraValues) {
        const base = this.count * FEATURE_COUNT;
        this.features.fill(NaN, base, base + FEATURE_COUNT);
        if (this.targets) this.targets[this.count] = NaN;
        this.issue('', `${present} of ${this.fieldCount} fields`, 'too-many-fields');
      } else if (this.rowsWithEmptyExtras++ === 0) this.firstEmptyExtrasRow = this.next;
    }
  }

  /** Stores one row given as strings (the papaparse path); a line of empty fields is counted, not stored. */
  addFields(fields: readonly string[]): void {
    if (allBlank(fields)) {
      this.emptyLine();
      return;
    }
    if (fields.length === 1 && isMarkLine(fields[0])) {
      this.endOfFileMark();
      return;
    }
    const n = Math.min(fields.length, this.fieldCount);
    const base = this.count * FEATURE_COUNT;
    for (let c = 0; c < n; c++) {
      const role = this.roles[c];
      if (role === ROLE_IGNORE) continue;
      const text = fields[c];
      if (role === ROLE_ID) {
        this.ids.push(text);
        if (this.ids.lastIsNonAscii()) this.rules.id(this.ids, this.next);
        continue;
      }
      if (role === ROLE_TARGET) {
        this.storeTarget(targetOfText(text), text, c);
        continue;
      }
      const value = readNumber(text);
      if (typeof value === 'number') {
        this.features[base + role] = value;
        this.noteMark(text, c);
      } else {
        this.features[base + role] = NaN;
        this.badCell(c, text, value);
      }
    }
    this.fieldCountIssue(
      fields.length,
      fields.length > this.fieldCount && !allBlank(fields.slice(this.fieldCount)),
    );
    this.endRow();
  }

  /**
   * Notes the decimal mark of a feature cell read as a number (the papaparse path: the fast path's cells cannot
   * hold a comma, so its files never have two marks): counts decimal commas, and keeps what markProven and
   * markAmbiguous need.
   */
  private noteMark(text: string, column: number): void {
    const comma = text.indexOf(',');
    if (comma >= 0) this.decimalCommas++;
    const mark = comma >= 0 ? 1 : 0;
    if (this.markProven[mark]) return;
    const at = comma >= 0 ? comma : text.indexOf('.');
    if (at < 0) return;
    if (!couldSeparateThousands(text, at)) this.markProven[mark] = true;
    else this.markAmbiguous[mark] ??= { row: this.next, column: this.names[column], text };
  }

  /**
   * The refusal of a file that uses one decimal mark where it can only be one (12.5) and has numbers with the
   * other mark only where it could separate thousands ("1,500": 1.5 or 1500?); null for any other file. Reading
   * such a number either way could change the user's value a thousandfold, so the file is refused, naming it.
   */
  ambiguousMark(): CsvError | null {
    for (const mark of [0, 1]) {
      const cell = this.markAmbiguous[mark];
      if (!cell || this.markProven[mark] || !this.markProven[1 - mark]) continue;
      const [used, other] = mark === 1 ? ['comma', 'point'] : ['point', 'comma'];
      const value = cell.text.trim();
      const asDecimal = Number(value.replace(/[.,]/, '.'));
      const asThousands = Number(value.replace(/[.,]/, ''));
      return new CsvError(
        `Row ${cell.row}, ${cell.column}: ${JSON.stringify(cutValue(cell.text))} could be ${asDecimal} (the ` +
          `${used} as a decimal mark) or ${asThousands} (the ${used} between thousands), while the file's other ` +
          `numbers write decimals with a ${other}. Save the file with one decimal mark and no thousands separators.`,
        'ambiguous-decimal',
        { row: cell.row, column: cell.column },
      );
    }
    return null;
  }

  /**
   * Reports a feature cell that is not a number (its text is checked by the encoding rules first). The first
   * with a lone CR in it is kept to refuse the file at the end (loneCrError): two lines ran together there.
   */
  badCell(column: number, text: string, kind: IssueKind): void {
    this.rules.cellText(text, this.next, this.names[column]);
    this.checkCr(column, text);
    this.issue(this.names[column], text, kind);
  }

  /**
   * The refusal of a lone CR found in a cell, raised by summaryOf once the file is read: the two parsers meet a
   * file's other refusals (encodings, line lengths) at different points of a row, so one refusal raised at the
   * end keeps their answers the same.
   */
  loneCr: CsvError | null = null;

  private checkCr(column: number, text: string): void {
    if (this.loneCr === null && LONE_CR.test(text))
      this.loneCr = loneCrError(this.next, this.names[column], text);
  }

  /** Stores the target cell of the row being filled: `target` 0 or 1 (from targetOfText), or -1 for a bad one. */
  storeTarget(target: number, text: string, column: number): void {
    if (target >= 0) this.targets![this.count] = target;
    else {
      this.targets![this.count] = NaN;
      this.rules.cellText(text, this.next, this.names[column]);
      this.checkCr(column, text);
      this.issue(this.names[column], text, 'bad-target');
    }
  }

  /** Hands the filled rows to onBatch (awaited) and starts a new batch. */
  async flush(last = false): Promise<void> {
    if (this.count === 0) {
      this.limit = this.capacity;
      return;
    }
    const count = this.count;
    const batch: RowBatch = {
      firstRow: this.firstRow,
      count,
      ids: this.ids.finish(),
      // A short batch gets exact-size buffers, so a transferred buffer holds no stale rows.
      features: count === this.capacity ? this.features : this.features.slice(0, count * FEATURE_COUNT),
      targets: this.targets && (count === this.capacity ? this.targets : this.targets.slice(0, count)),
    };
    if (!last) this.allocate();
    await this.options.onBatch(batch);
  }
}

/** The summary of a finished run; throws the lone-CR refusal the sink kept (RowSink.loneCr). */
export function summaryOf(info: ParseInfo, sink: RowSink, bytes: number): ParseSummary {
  if (sink.loneCr) throw sink.loneCr;
  const ambiguous = sink.ambiguousMark();
  if (ambiguous) throw ambiguous;
  return {
    ...info,
    rows: sink.rows,
    bytes,
    issueCount: sink.issueCount,
    emptyLines: sink.emptyLines,
    firstEmptyAfterRow: sink.firstEmptyAfterRow,
    endOfFileMarks: sink.endOfFileMarks,
    lastMarkAfterRow: sink.lastMarkAfterRow,
    rowsWithoutId: sink.rowsWithoutId,
    repeatedHeaders: sink.repeatedHeaders,
    firstRepeatedHeader: sink.firstRepeatedHeader,
    decimalCommas: sink.decimalCommas,
    rowsWithEmptyExtras: sink.rowsWithEmptyExtras,
    firstEmptyExtrasRow: sink.firstEmptyExtrasRow,
  };
}

/** The error for a file that delivered no row. */
export function noRows(sink: RowSink): CsvError {
  if (sink.rowsWithoutId > 0) {
    const n = sink.rowsWithoutId;
    return new CsvError(
      `None of the file's ${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'} has an ${ID_COLUMN}: there is ` +
        'nothing to score.',
      'no-rows',
    );
  }
  return new CsvError('The file has a header but no data rows.', 'no-rows');
}
