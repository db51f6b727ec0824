/** Public types of the streaming CSV reader: batches, cell issues, file-level errors. */
import type { PackedIds } from '../ids';
import type { ColumnMap } from '../schema';

/** Rows of one file, column-mapped into typed arrays. Each batch owns its buffers: they may be transferred. */
export interface RowBatch {
  /** 1-based data-row number of batch row 0 (row 1 = first row after the header; blank lines are not rows). */
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
  'empty' | 'non-numeric' | 'non-finite' | 'too-few-fields' | 'too-many-fields' | 'bad-target';

/** One problem cell or row; the cell reads as NaN and parsing goes on. */
export interface RowIssue {
  /** 1-based data-row number. */
  row: number;
  /** Column name; for too-few-fields the first missing one; '' for too-many-fields. */
  column: string;
  /** The cell as in the file, cut to about 60 characters; for field-count issues "N of M fields". */
  value: string;
  kind: IssueKind;
}

/** What the header told us; known before any row is read. */
export interface ParseInfo {
  columns: ColumnMap;
  delimiter: ',' | ';' | '\t';
  /** True with ';' files: a decimal comma (`1,5`) is read as a decimal point. */
  decimalComma: boolean;
  /** 'parquet': a Parquet table, read through the same row rules by src/core/input. */
  parser: 'fast' | 'papaparse' | 'parquet';
  /** The file started with a UTF-8 byte order mark (stripped). */
  bom: boolean;
}

/** The outcome of a whole file. */
export interface ParseSummary extends ParseInfo {
  rows: number;
  /** Bytes read in the final run (the whole file, BOM included). */
  bytes: number;
  issueCount: number;
}

/** How to read a file and where its rows go. */
export interface ParseOptions {
  /** Rows per batch; default 8192. */
  batchRows?: number;
  /** Training: a file without a target column is a SchemaError. */
  requireTarget?: boolean;
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
  /** Discard everything received so far (info, batches, issues): the file is being read again with papaparse. */
  onRestart?(): void;
  /** 'papaparse' skips the fast path (benchmarks, tests); default 'auto'. */
  parser?: 'auto' | 'papaparse';
  /** Longest line accepted, in bytes (UTF-16 units on the papaparse path); default 1 MiB. */
  maxLineBytes?: number;
}

/** Why a whole file was refused. */
export type CsvErrorCode = 'empty-file' | 'no-rows' | 'not-text' | 'line-too-long';

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
