/** Shared types of the input layer: a file as random-access bytes, what was found in it, and its refusals. */

/**
 * A file (or a part of one) that can be read at any offset and streamed: a browser `File` (slice) or a Node
 * file handle behind two functions. No DOM or Node types, so the same readers run in the worker and the CLI.
 */
export interface RandomAccess {
  /** Size in bytes. */
  readonly size: number;
  /** Bytes [start, end), end clamped to the size; the caller owns the result. */
  read(start: number, end: number): Promise<Uint8Array>;
  /**
   * Bytes [start, end) (default: all) as chunks in order. A chunk is valid until the next one is asked for
   * (a reader may reuse one buffer); stopping early (`return()`) closes what is open.
   */
  stream(start?: number, end?: number): AsyncIterable<Uint8Array>;
}

/**
 * Decompressors the platform does best, passed in so core stays free of Node and browser APIs (Node: zlib;
 * the browser: DecompressionStream). Each returns the decompressed chunks of the compressed ones; a damaged
 * stream rejects (its message says why).
 */
export interface Platform {
  gunzip(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  /**
   * Inflates raw deflate (a zip member's data). Absent: DecompressionStream('deflate-raw') (platform.ts), the
   * browser's choice; Node's takes all of its input before its first output, so the CLI passes zlib's.
   */
  inflateRaw?: (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;
  /**
   * Streams a member of the zip archive that is the opened file itself (not one inside another container),
   * unpacked, from another thread: the browser reads and inflates it in a worker of its own while the CSV reader
   * parses in this thread (in one thread, or with zip.js's request-and-answer codec worker, they take turns).
   * Absent in Node and in tests: members inflate in the calling thread. The same checks and refusals apply.
   */
  unzipMember?: (name: string) => MemberStream;
}

/** A zip member's unpacked bytes from another thread, and the archive's packed bytes read for them so far. */
export interface MemberStream {
  chunks: AsyncIterable<Uint8Array>;
  packed(): number;
}

/** Why a file was refused before its rows were read. */
export type FileErrorCode =
  | 'not-a-table'
  | 'damaged'
  | 'encrypted'
  | 'too-large'
  | 'zip-bomb'
  | 'choose-member'
  | 'no-member'
  | 'unsupported';

/** A container member the reader can offer (a zip archive's file). */
export interface MemberInfo {
  /** The member's path inside the archive, as stored (folders included: `data/test.csv`). */
  name: string;
  /** Unpacked size in bytes, as the archive declares it. */
  size: number;
  /** Packed size in bytes. */
  compressedSize: number;
  /** What the reader makes of it: a table it can read, or something else it lists but will not read. */
  kind: 'csv' | 'parquet' | 'other';
  /**
   * From its first line (CSV) or schema (Parquet), when the member could be looked at: customers to score
   * (`score`), customers with labels (`evaluate`: scored and evaluated on its labels), or not a customer file
   * (`none`, e.g. Kaggle's sample_submission.csv). Null when not looked at.
   */
  use: 'score' | 'evaluate' | 'none' | null;
  /** Why `use` is `none`, in words. */
  note?: string;
}

/** A refusal of the whole file before (or instead of) reading rows: the message says what it is and what to do. */
export class FileError extends Error {
  readonly code: FileErrorCode;
  /** For `choose-member` and `no-member`: the archive's tables, best first. */
  readonly members: MemberInfo[];

  constructor(message: string, code: FileErrorCode, members: MemberInfo[] = []) {
    super(message);
    this.name = 'FileError';
    this.code = code;
    this.members = members;
  }
}

/** How the rows were reached: what the page and the CLI say about the file. */
export interface TableSource {
  /** The table's own format. */
  format: 'csv' | 'parquet';
  /** The container it was unpacked from, outermost first (e.g. ['zip'], ['gzip'], []). */
  containers: ('gzip' | 'zip')[];
  /**
   * The archive member read, for a zip: the outermost archive's, which `--member` names and reading the file
   * again with it reaches the same table.
   */
  member: string | null;
  /** For a zip inside a zip: the inner archive's member read (its only table); else null. */
  inner: string | null;
  /** Text in UTF-16 converted to UTF-8 before reading (Excel's "Unicode text"). */
  utf16: 'le' | 'be' | null;
  /** The table's rows when known ahead (Parquet's footer), else null. */
  rows: number | null;
  /** The table's own bytes when known ahead (unpacked size), else null. */
  bytes: number | null;
}
