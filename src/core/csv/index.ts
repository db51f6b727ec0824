/** The streaming CSV reader shared by training, the CLIs and the browser worker. */
export { parseCsv } from './parse-csv';
export { CsvError } from './types';
export type { ParseInfo, ParseOptions, ParseSummary, RowIssue } from './types';
