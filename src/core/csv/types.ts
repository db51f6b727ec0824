/** Public types of the streaming CSV reader: batches, cell issues, file-level errors. */
import type { PackedIds } from '../ids';
import type { ColumnMap } from '../schema';

/** Rows of one file, column-mapped into typed arrays. Each batch owns its buffers: they may be transferred. */
export interface RowBatch {
  /**
   * 1-based data-row number of batch row 0 (row 1 = first row after the header; empty lines are not rows). The
   * rows of a batch are consecutive: a row without an ID_code, which is numbered but not delivered, ends a batch.
   */
  firstRow: number;
  count: number;
  /** ID_code as in the file (unquoted), unchanged; packed (see ../ids). */
  ids: PackedIds;
  /** count*200, row-major, model order var_0..var_199; NaN where a cell is missing/bad. */
  features: Float32Array;
  /** null when the file has no target column; NaN where the cell is bad. */
  targets: Float32Array | null;
}

/** What is wrong with one cell or row. */
export type IssueKind =
  | 'empty'
  | 'missing'
  | 'non-numeric'
  | 'non-finite'
  | 'too-few-fields'
  | 'too-many-fields'
  | 'bad-target'
  | 'no-id'
  /** Not the reader's: a value far outside the model's training range, scored as missing (scoring/far-values). */
  | 'far-outside';

/**
 * One problem cell or row; the cell reads as NaN and parsing goes on. A `no-id` row (values but an empty
 * ID_code) is not delivered at all: it is the only issue reported for that row.
 */
export interface RowIssue {
  /** 1-based data-row number. */
  row: number;
  /** Column name; for too-few-fields the first missing one; '' for too-many-fields; ID_code for no-id. */
  column: string;
  /** The cell as in the file, cut to about 60 characters; for field-count issues "N of M fields". */
  value: string;
  kind: IssueKind;
}

/** Field separators the reader knows: sniffed from the header in this order, or named by a `sep=` line. */
export type Delimiter = ',' | ';' | '\t' | '|';

/** How the file's bytes were decoded. */
export type TextEncodingName = 'utf-8' | 'windows-1252';

/** A line above the header that is not part of the table. */
export interface SkippedLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line as in the file, cut to about 60 characters. */
  text: string;
  /**
   * `sep`: Excel's `sep=X` hint, which names the separator; `sep-ignored`: such a hint naming a separator the
   * header does not use (the header's own one, which finds ID_code, was used); `above-header`: a title, comment
   * or banner line.
   */
  reason: 'sep' | 'sep-ignored' | 'above-header';
}

/** What the header told us; known before any row is read. */
export interface ParseInfo {
  columns: ColumnMap;
  delimiter: Delimiter;
  /** 'parquet': a Parquet table, read through the same row rules by src/core/input. */
  parser: 'fast' | 'papaparse' | 'parquet';
  /** The file started with a UTF-8 byte order mark (stripped). */
  bom: boolean;
  /** Byte order marks right after the first (stripped too, and said in the notes): an encoding artefact. */
  extraBoms: number;
  /** 'windows-1252' when the file is not valid UTF-8 but is valid Windows-1252 (as Excel on Windows saves CSV). */
  encoding: TextEncodingName;
  /** 1-based line number of the header in the file. */
  headerLine: number;
  /** Lines above the header (blank lines aside), in file order. */
  skippedLines: SkippedLine[];
}

/** The outcome of a whole file. */
export interface ParseSummary extends ParseInfo {
  /** Rows delivered in batches (rows without an ID_code are numbered but not delivered). */
  rows: number;
  /** Bytes read in the final run (the whole file, BOM included). */
  bytes: number;
  issueCount: number;
  /** Lines after the header with no value in any field (blank, or only separators such as `,,,,`): not rows. */
  emptyLines: number;
  /** The data row the first empty line came after (0: before row 1); 0 when there is none. */
  firstEmptyAfterRow: number;
  /**
   * End-of-file marks (Ctrl-Z, byte 0x1A, as DOS-era programs end a text file): lines holding only marks (and
   * blanks), and a run of marks the file ends with (even right after the last value): not rows, nor part of one;
   * and the data row the last came after.
   */
  endOfFileMarks: number;
  lastMarkAfterRow: number;
  /** Rows with values but an empty ID_code: numbered, reported as `no-id`, not delivered. */
  rowsWithoutId: number;
  /**
   * Rows that repeat the header line (its ID_code, feature and target names, as when two CSV files are joined):
   * numbered, not delivered, said in the notes.
   */
  repeatedHeaders: number;
  /** The data row number of the first repeated header; 0 when there is none. */
  firstRepeatedHeader: number;
  /** Numbers read with a decimal comma (`1,5`). */
  decimalCommas: number;
  /**
   * Rows with more fields than the header, every extra one empty (a separator ending the line): their values are
   * used, the empty fields ignored, said in the notes; and the first such row (0 when there is none).
   */
  rowsWithEmptyExtras: number;
  firstEmptyExtrasRow: number;
}

/** How to read a file and where its rows go. */
export interface ParseOptions {
  /** Rows per batch; default 8192. */
  batchRows?: number;
  /** Training: a file without a target column is a SchemaError. */
  requireTarget?: boolean;
  /**
   * The column read as the labels, `target` unless given: training's check of a column that may hold them under
   * another name (src/core/train/label-hint.ts), never a silent rename.
   */
  targetColumn?: string;
  /** Cancel: stop at once and reject with the signal's reason (an AbortError by default). */
  signal?: AbortSignal;
  /** After the header; called again after onRestart. */
  onInfo?(info: ParseInfo): void;
  /** Awaited before more is read: back-pressure for async consumers. */
  onBatch(batch: RowBatch): void | Promise<void>;
  /** Every problem cell/row, in file order. */
  onIssue?(issue: RowIssue): void;
  /** Bytes read so far in the current run (starts again from 0 after onRestart). */
  onProgress?(bytesRead: number): void;
  /**
   * Discard everything received so far (info, batches, issues): the file is being read again from the top, with
   * papaparse (a quote turned up) or as Windows-1252 (bytes that are not UTF-8 turned up).
   */
  onRestart?(): void;
  /** 'papaparse' skips the fast path (benchmarks, tests); default 'auto'. */
  parser?: 'auto' | 'papaparse';
  /** Longest line accepted, in bytes (UTF-16 units on the papaparse path); default 1 MiB. */
  maxLineBytes?: number;
  /**
   * Where the next batch's features go: a buffer of exactly `bytes` (rows x 200 x 4) the consumer is done with, or
   * undefined for a fresh one. The reader writes every feature of every row it delivers, so old values never leak.
   */
  featureBuffer?(bytes: number): ArrayBuffer | undefined;
}

/** Why a whole file was refused. */
export type CsvErrorCode =
  | 'empty-file'
  | 'no-rows'
  | 'not-text'
  | 'line-too-long'
  | 'mixed-encoding'
  | 'unreadable-columns'
  | 'shifted-rows'
  | 'lone-cr'
  | 'ambiguous-decimal'
  | 'unclosed-quote';

/** A problem with the whole file (not one cell); the message says what and where. */
export class CsvError extends Error {
  /** 1-based data-row number the problem was found at, when it is about a row. */
  readonly row?: number;
  /** Column name, when it is about a column. */
  readonly column?: string;
  /** Machine-readable reason. */
  readonly code: CsvErrorCode;

  constructor(message: string, code: CsvErrorCode, where: { row?: number; column?: string } = {}) {
    super(message);
    this.name = 'CsvError';
    this.code = code;
    if (where.row !== undefined) this.row = where.row;
    if (where.column !== undefined) this.column = where.column;
  }
}
