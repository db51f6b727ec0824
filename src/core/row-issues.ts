/**
 * The app's policy for problem rows, as pure code.
 *
 * Policy: every row with an ID_code is scored and nothing is silently dropped or changed. A bad or missing cell
 * (empty, a missing-value word such as NA, non-numeric, inf/overflow, or missing because the row is short)
 * reaches the model as NaN, which the model turns into the neutral contribution 0 ("an average customer on this
 * feature"); extra fields are ignored; a target that is not 0 or 1 leaves the row out of the evaluation only. A
 * row with values but no ID_code cannot be given a prediction: it is not scored, and listed. Each affected row
 * is marked and listed: counts per kind, the first examples with row numbers, and a downloadable "affected rows"
 * CSV (row, ID_code, column, kind, value). A repeated ID_code is a warning: both rows are kept and scored, and
 * listed. Problems with the whole file (not a CSV, missing columns, a column that cannot be read as numbers:
 * see cell-policy.ts) are not row issues: the file is refused with a precise message (see fileProblemMessage).
 *
 * Memory is bounded whatever the file: counts are numbers; the affected row numbers are a growable Uint32Array
 * (4 bytes per affected row); ID_codes and details (column, kind, value) are kept for the first `detailLimit`
 * affected rows / issues (rows past that are still listed by number, marked `not-listed`); the repeated-id check
 * remembers the first `idLimit` distinct ids (packed bytes in a hash table, about 30 bytes per id), and says so when
 * a bigger file outgrows it.
 */

import { withRoom } from './grow';
import { idAt, IdSet, type PackedIds } from './ids';
import { csvField, safeSpreadsheetCell } from './output';

/** One problem cell or row, as the CSV reader reports it (RowIssue in src/core/csv). */
export interface IssueLike {
  /** 1-based data-row number (row 1 = the first row after the header). */
  row: number;
  column: string;
  value: string;
  kind: string;
}

/** The rows of a batch, as far as this module needs them (the reader's RowBatch fits). */
export interface BatchIds {
  firstRow: number;
  count: number;
  ids: PackedIds;
}

/** Kind used for a row whose ID_code appeared on an earlier row. */
export const DUPLICATE_ID = 'duplicate-id';
/** Kind written in the affected-rows CSV for rows whose details were not kept (over `detailLimit`). */
export const NOT_LISTED = 'not-listed';

/** Limits that bound memory; the defaults suit a 200,000-row file with room to spare. */
export interface RowIssueLimits {
  /** Examples kept for display. */
  examples?: number;
  /** Issues whose column, kind and value are kept for the affected-rows CSV. */
  detailLimit?: number;
  /** Distinct ids remembered for the repeated-id check. */
  idLimit?: number;
}

/** A repeated ID_code. */
export interface DuplicateExample {
  id: string;
  row: number;
  /** Row where the id first appeared. */
  firstRow: number;
}

/** What the app shows about a file's problem rows. */
export interface RowIssueDigest {
  /** Issues reported, repeated ids included. */
  total: number;
  /** Distinct affected rows. */
  rows: number;
  byKind: Record<string, number>;
  /** The first issues, in file order (repeated ids included). */
  examples: IssueLike[];
  duplicates: {
    /** Rows whose id appeared earlier. */
    rows: number;
    examples: DuplicateExample[];
    /** Rows the repeated-id check covered; less than the file's rows when it outgrew `idLimit`. */
    checkedRows: number;
    complete: boolean;
  };
  /** False when some issues' details were not kept (the CSV marks those rows `not-listed`). */
  detailsComplete: boolean;
  /** Plain-language summary for the results page; empty when nothing is wrong. */
  message: string;
}

/** Kind of a row with values but an empty ID_code (not scored). */
export const NO_ID = 'no-id';

const KIND_TEXT: Record<string, [one: string, many: string]> = {
  empty: ['empty cell', 'empty cells'],
  missing: ['missing value (NA, null, …)', 'missing values (NA, null, …)'],
  'non-numeric': ['non-numeric cell', 'non-numeric cells'],
  'non-finite': ['non-finite value (NaN, inf or too large)', 'non-finite values (NaN, inf or too large)'],
  'too-few-fields': ['row with too few fields', 'rows with too few fields'],
  'too-many-fields': [
    'row with too many fields (extras ignored)',
    'rows with too many fields (extras ignored)',
  ],
  'bad-target': [
    'target not 0 or 1 (left out of the evaluation)',
    'targets not 0 or 1 (left out of the evaluation)',
  ],
  [DUPLICATE_ID]: ['repeated ID_code', 'repeated ID_codes'],
  [NO_ID]: ['row without an ID_code (not scored)', 'rows without an ID_code (not scored)'],
};

function plural(n: number, kind: string): string {
  const [one, many] = KIND_TEXT[kind] ?? [`${kind} issue`, `${kind} issues`];
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** One issue in words, e.g. `row 12, var_3: "abc" is not a number`. */
export function describeIssue(issue: IssueLike): string {
  const at = `row ${issue.row}, ${issue.column}`;
  const value = JSON.stringify(issue.value);
  switch (issue.kind) {
    case 'empty':
      return `${at}: empty`;
    case 'missing':
      return `${at}: ${value} (a missing value)`;
    case 'non-numeric':
      return `${at}: ${value} is not a number`;
    case 'non-finite':
      return `${at}: ${value} is not a finite number`;
    case 'too-few-fields':
      return `row ${issue.row}: too few fields${issue.value ? ` (${issue.value})` : ''}; the missing cells count as missing`;
    case 'too-many-fields':
      return `row ${issue.row}: too many fields${issue.value ? ` (${issue.value})` : ''}; the extra ones are ignored`;
    case 'bad-target':
      return `${at}: ${value} is not 0 or 1`;
    case DUPLICATE_ID:
      return `row ${issue.row}: ID_code ${value} appeared before`;
    case NO_ID:
      return `row ${issue.row}: no ID_code`;
    default:
      return `${at}: ${issue.kind} ${value}`;
  }
}

/** Uint32 list that grows by doubling, kept sorted by its callers. */
class GrowableU32 {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    this.data = withRoom(this.data, this.length, this.length + 1);
    this.data[this.length++] = v;
  }
  insertAt(at: number, v: number): void {
    this.data = withRoom(this.data, this.length, this.length + 1);
    this.data.copyWithin(at + 1, at, this.length);
    this.data[at] = v;
    this.length++;
  }
  /** First index whose value is >= v. */
  lowerBound(v: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Neutralises a cell for spreadsheets (leading = + - @ tab CR get a ') and quotes it for CSV when needed. */
export function csvCell(text: string): string {
  return csvField(safeSpreadsheetCell(text));
}

/**
 * Collects a file's row issues with bounded memory. Feed it every issue (`add`) and every batch (`noteBatch`,
 * after that batch's issues, as the reader emits them); then read `digest()` and `csvChunks()`.
 */
export class RowIssues {
  private total = 0;
  private readonly byKind: Record<string, number> = {};
  private readonly examples: IssueLike[] = [];
  private readonly affected = new GrowableU32();
  /** ID_code of each affected row, once its batch was seen. */
  private readonly idOf = new Map<number, string>();
  private lastBatch: BatchIds | null = null;
  // Details of the first `detailLimit` issues, column-wise: no object per issue.
  private readonly detailRow = new GrowableU32();
  private readonly detailColumn: number[] = [];
  private readonly detailKind: number[] = [];
  private readonly detailValue: string[] = [];
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private detailsDropped = 0;
  // Repeated ids: id -> first row, for the first `idLimit` distinct ids.
  private readonly firstRowOf = new IdSet();
  private idsFull = false;
  private checkedRows = 0;
  private duplicateRows = 0;
  private readonly duplicateExamples: DuplicateExample[] = [];
  private readonly limits: Required<RowIssueLimits>;

  constructor(limits: RowIssueLimits = {}) {
    this.limits = { examples: 20, detailLimit: 100_000, idLimit: 500_000, ...limits };
  }

  /** Records one cell or row problem. */
  add(issue: IssueLike): void {
    this.record(issue.row, issue.column, issue.kind, issue.value);
    // An issue that arrives after its batch was noted still gets its id.
    const b = this.lastBatch;
    if (b && issue.row >= b.firstRow && issue.row < b.firstRow + b.count) {
      this.keepId(issue.row, idAt(b.ids, issue.row - b.firstRow));
    }
  }

  private record(row: number, column: string, kind: string, value: string): void {
    this.total++;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    if (this.examples.length < this.limits.examples) this.examples.push({ row, column, value, kind });
    this.mark(row);
    if (this.detailRow.length < this.limits.detailLimit) {
      this.detailRow.push(row);
      this.detailColumn.push(this.intern(column));
      this.detailKind.push(this.intern(kind));
      this.detailValue.push(value);
    } else this.detailsDropped++;
  }

  private intern(name: string): number {
    let at = this.nameIndex.get(name);
    if (at === undefined) {
      at = this.names.length;
      this.names.push(name);
      this.nameIndex.set(name, at);
    }
    return at;
  }

  /** Marks a row as affected; rows mostly arrive in order, so this is an append. */
  private mark(row: number): void {
    const a = this.affected;
    if (a.length === 0 || row > a.data[a.length - 1]) a.push(row);
    else {
      const at = a.lowerBound(row);
      if (a.data[at] !== row) a.insertAt(at, row);
    }
  }

  /** Takes the ids of a batch: remembers them for affected rows and checks them for repeats. */
  noteBatch(batch: BatchIds): void {
    const { firstRow, count, ids } = batch;
    for (let i = 0; i < count; i++) {
      const row = firstRow + i;
      if (this.idsFull) continue;
      const first = this.firstRowOf.firstRow(ids, i);
      if (first >= 0) {
        const id = idAt(ids, i);
        this.duplicateRows++;
        if (this.duplicateExamples.length < this.limits.examples)
          this.duplicateExamples.push({ id, row, firstRow: first });
        this.record(row, 'ID_code', DUPLICATE_ID, id);
      } else if (this.firstRowOf.size < this.limits.idLimit) this.firstRowOf.add(ids, i, row);
      else {
        // Out of room: stop here rather than report a partial check as complete.
        this.idsFull = true;
        continue;
      }
      this.checkedRows++;
    }
    const a = this.affected;
    for (let k = a.lowerBound(firstRow); k < a.length && a.data[k] < firstRow + count; k++) {
      this.keepId(a.data[k], idAt(ids, a.data[k] - firstRow));
    }
    this.lastBatch = batch;
  }

  /** Remembers an affected row's id, for the first `detailLimit` affected rows only (memory stays bounded). */
  private keepId(row: number, id: string): void {
    if (this.idOf.size < this.limits.detailLimit || this.idOf.has(row)) this.idOf.set(row, id);
  }

  /** Sorted, distinct numbers of the affected rows (a copy). */
  affectedRows(): Uint32Array {
    return this.affected.data.slice(0, this.affected.length);
  }

  /** Counts, examples and a plain-language message. */
  digest(): RowIssueDigest {
    const digest: RowIssueDigest = {
      total: this.total,
      rows: this.affected.length,
      byKind: { ...this.byKind },
      examples: this.examples.map((e) => ({ ...e })),
      duplicates: {
        rows: this.duplicateRows,
        examples: this.duplicateExamples.map((e) => ({ ...e })),
        checkedRows: this.checkedRows,
        complete: !this.idsFull,
      },
      detailsComplete: this.detailsDropped === 0,
      message: '',
    };
    digest.message = summarize(digest, this.limits.idLimit);
    return digest;
  }

  /**
   * The affected-rows CSV as chunks for a Blob: header `row,ID_code,column,kind,value`, one line per issue in row
   * order, then one `not-listed` line per affected row whose details were not kept. Cells are spreadsheet-safe.
   */
  csvChunks(linesPerChunk = 10_000): string[] {
    const chunks: string[] = [];
    let lines: string[] = ['row,ID_code,column,kind,value'];
    const flush = () => {
      chunks.push(lines.join('\n') + '\n');
      lines = [];
    };
    const n = this.detailRow.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const rows = this.detailRow.data;
    // Stable: issues of one row keep their reported order.
    order.sort((a, b) => rows[a] - rows[b] || a - b);
    const listed = new Set<number>();
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const row = rows[i];
      listed.add(row);
      lines.push(
        [
          String(row),
          csvCell(this.idOf.get(row) ?? ''),
          csvCell(this.names[this.detailColumn[i]]),
          this.names[this.detailKind[i]],
          csvCell(this.detailValue[i]),
        ].join(','),
      );
      if (lines.length >= linesPerChunk) flush();
    }
    if (this.detailsDropped > 0) {
      const a = this.affected;
      for (let k = 0; k < a.length; k++) {
        const row = a.data[k];
        if (listed.has(row)) continue;
        lines.push(`${row},${csvCell(this.idOf.get(row) ?? '')},,${NOT_LISTED},`);
        if (lines.length >= linesPerChunk) flush();
      }
    }
    if (lines.length > 0) flush();
    return chunks;
  }
}

function summarize(d: RowIssueDigest, idLimit: number): string {
  const parts: string[] = [];
  const kinds = Object.keys(d.byKind);
  if (kinds.length > 0) {
    const counts = kinds.map((k) => plural(d.byKind[k], k)).join(', ');
    parts.push(`${d.rows.toLocaleString('en-US')} row${d.rows === 1 ? '' : 's'} affected: ${counts}.`);
  }
  const noId = d.byKind[NO_ID] ?? 0;
  if (noId > 0) {
    const first = d.examples.filter((e) => e.kind === NO_ID).slice(0, 3);
    parts.push(
      'Rows with values but no ID_code were not scored (predictions.csv could not name them)' +
        `${first.length > 0 ? `. First: ${first.map(describeIssue).join('; ')}` : ''}.`,
    );
  }
  const cellExamples = d.examples.filter((e) => e.kind !== DUPLICATE_ID && e.kind !== NO_ID);
  if (cellExamples.length > 0) {
    parts.push(
      `${noId > 0 ? 'Every other row was scored' : 'Every row was scored and none was dropped'}: a bad or ` +
        'missing cell counts as missing, which gives the neutral contribution. First: ' +
        `${cellExamples.slice(0, 3).map(describeIssue).join('; ')}.`,
    );
  }
  if (d.duplicates.rows > 0) {
    const first = d.duplicates.examples[0];
    parts.push(
      `Rows with a repeated ID_code were all kept and scored (first: ${JSON.stringify(first.id)} at row ` +
        `${first.row}, first seen at row ${first.firstRow}).`,
    );
  }
  if (!d.duplicates.complete) {
    parts.push(
      `Repeated ids were checked on the first ${d.duplicates.checkedRows.toLocaleString('en-US')} rows only ` +
        `(${idLimit.toLocaleString('en-US')} distinct ids is the limit).`,
    );
  }
  if (!d.detailsComplete) parts.push('The affected-rows list gives full details for the first issues only.');
  return parts.join(' ');
}

/** What a thrown error means to the user when a whole file cannot be scored. */
export function fileProblemMessage(error: unknown, fileName: string): string {
  const e = error instanceof Error ? error : new Error(String(error));
  if (e.name === 'AbortError') return `Cancelled: ${fileName} was not scored.`;
  if (e.name === 'CsvError' || e.name === 'SchemaError' || e.name === 'FileError') {
    return `Cannot score ${fileName}: ${e.message}`;
  }
  if (/\.gz$/i.test(fileName)) {
    return `Cannot score ${fileName}: it is not a valid gzip file (${e.message}).`;
  }
  return `Cannot score ${fileName}: ${e.message}`;
}
