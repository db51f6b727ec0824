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

import { GrowableU32 } from '../grow';
import { idAt, IdSet } from '../ids';
import { csvCell } from '../output';
import {
  DUPLICATE_ID,
  isYesNoWord,
  NOT_LISTED,
  type BatchIds,
  type DuplicateExample,
  type IssueLike,
  type RowIssueDigest,
  type RowIssueLimits,
  type YesNoTargets,
} from './types';
import { summarizeIssues } from './wording';

/** The affected-rows CSV's header line (without its line break). */
export const AFFECTED_ROWS_HEADER = 'row,ID_code,column,kind,value';

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
  /** Rows delivered in batches (every scored row). */
  private scoredRows = 0;
  private emptyTargets = 0;
  private yesNo: YesNoTargets | null = null;

  constructor(limits: RowIssueLimits = {}) {
    this.limits = { examples: 20, detailLimit: 100_000, idLimit: 500_000, ...limits };
  }

  /** Records one cell or row problem. */
  add(issue: IssueLike): void {
    this.record(issue.row, issue.column, issue.kind, issue.value);
    if (issue.kind === 'bad-target') this.noteTarget(issue);
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

  /** Tells an empty target (no label) and a yes/no word (a label written in words) from other bad targets. */
  private noteTarget(issue: IssueLike): void {
    const word = issue.value.trim();
    if (word === '') this.emptyTargets++;
    else if (isYesNoWord(word)) {
      this.yesNo ??= { count: 0, words: [], first: { ...issue } };
      this.yesNo.count++;
      // At most 8 + 4 + 2 + 2 spellings: the list stays small.
      if (!this.yesNo.words.includes(word)) this.yesNo.words.push(word);
    }
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
    this.scoredRows += count;
    for (let i = 0; i < count; i++) {
      const row = firstRow + i;
      if (this.idsFull) continue;
      const first = this.firstRowOf.firstRowOrAdd(ids, i, row, this.limits.idLimit);
      if (first >= 0) {
        const id = idAt(ids, i);
        this.duplicateRows++;
        if (this.duplicateExamples.length < this.limits.examples)
          this.duplicateExamples.push({ id, row, firstRow: first });
        this.record(row, 'ID_code', DUPLICATE_ID, id);
      } else if (first === -2) {
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
      emptyTargets: this.emptyTargets,
      targetColumnEmpty: this.emptyTargets > 0 && this.emptyTargets === this.scoredRows,
      yesNoTargets: this.yesNo ? { ...this.yesNo, words: [...this.yesNo.words] } : null,
      message: '',
    };
    digest.message = summarizeIssues(digest, this.limits.idLimit);
    return digest;
  }

  /**
   * The affected-rows CSV as chunks for a Blob: header `row,ID_code,column,kind,value`, one line per issue in row
   * order, then one `not-listed` line per affected row whose details were not kept. Cells are spreadsheet-safe.
   */
  csvChunks(linesPerChunk = 10_000): string[] {
    const chunks: string[] = [];
    let lines: string[] = [AFFECTED_ROWS_HEADER];
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
