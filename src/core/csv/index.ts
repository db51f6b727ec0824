/** The streaming CSV reader shared by training, the CLIs and the browser worker. */
export { parseCsv } from './parse-csv';
export { MAX_LINE_BYTES } from './byte-source';
export { readNumber, cutValue } from './cell';
export { CsvError } from './types';
export type {
  CsvErrorCode,
  IssueKind,
  ParseInfo,
  ParseOptions,
  ParseSummary,
  RowBatch,
  RowIssue,
} from './types';
