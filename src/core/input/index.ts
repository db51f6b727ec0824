/** The input layer: what a file is, unpacking it, and reading the table in it (see README.md). */
export { openTable, type OpenOptions, type Table } from './open';
export { bytesAccess } from './bytes';
export { describeKind, hasExtension, sniff, SNIFF_BYTES, type ContentKind } from './sniff';
export { MAX_IN_MEMORY_BYTES, MAX_RATIO, MAX_UNPACKED_BYTES, RATIO_FREE_BYTES } from './limits';
export {
  FileError,
  type FileErrorCode,
  type MemberInfo,
  type Platform,
  type RandomAccess,
  type TableSource,
} from './types';
