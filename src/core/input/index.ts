/** The input layer: what a file is, unpacking it, and reading the table in it (see README.md). */
export { openTable, type Table } from './open';
export { bytesAccess } from './bytes';
export {
  FileError,
  type FileErrorCode,
  type MemberInfo,
  type MemberStream,
  type Platform,
  type RandomAccess,
  type TableSource,
} from './types';
