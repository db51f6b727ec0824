/**
 * The bytes both CSV paths read, and the limits on them: the byte source of one run, the longest line accepted,
 * and what the header read leaves for the row parser. parse-csv.ts reads the header and picks a path;
 * fast-path.ts and papa-path.ts only import this module (and the row rules), never each other or parse-csv.ts.
 */
import type { ColumnMap } from '../schema';
import { windows1252ToUtf8 } from './text-encoding';
import { CsvError, type Delimiter, type ParseInfo, type ParseOptions, type TextEncodingName } from './types';

/** Ctrl-Z (SUB, 0x1A): DOS-era programs end a text file with it. */
const END_OF_FILE_MARK = 0x1a;

const EMPTY = new Uint8Array(0);

/** a then b in one array (a may be null). */
function concat(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (a === null) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Default longest line: a real row is about 2.5 KB, so anything near this is not a customer file. */
export const MAX_LINE_BYTES = 1 << 20;

/** The byte source of one run: counts bytes, reports progress, honours the abort signal, decodes 8-bit text. */
export class ByteSource {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private done = false;
  /** The file's own bytes read so far (before any transcoding). */
  bytes = 0;
  /**
   * The run of end-of-file marks (Ctrl-Z, 0x1A) the file ended with, held back from the parsers (a run right after
   * the last value, with no line end, had become part of the last cell): its length, once the file is read.
   */
  endMarks = 0;
  /** Trailing 0x1A bytes of the chunks so far, handed out before the next chunk if the file goes on. */
  private held: Uint8Array | null = null;

  constructor(
    open: () => AsyncIterable<Uint8Array>,
    private readonly options: ParseOptions,
    /** windows-1252: each chunk is turned into UTF-8 as it is read. */
    readonly encoding: TextEncodingName = 'utf-8',
  ) {
    this.iterator = open()[Symbol.asyncIterator]();
  }

  /** The next non-empty chunk, or null at the end. */
  async next(): Promise<Uint8Array | null> {
    const signal = this.options.signal;
    for (;;) {
      signal?.throwIfAborted();
      if (this.done) return null;
      const result = await this.iterator.next();
      signal?.throwIfAborted();
      if (result.done) {
        this.done = true;
        this.endMarks = this.held?.length ?? 0;
        this.held = null;
        return null;
      }
      // An ArrayBuffer is accepted too (some stream sources hand those out).
      let chunk: Uint8Array =
        result.value instanceof Uint8Array ? result.value : new Uint8Array(result.value);
      if (chunk.length === 0) continue;
      this.bytes += chunk.length;
      this.options.onProgress?.(this.bytes);
      chunk = this.holdMarks(chunk);
      if (chunk.length === 0) continue;
      return this.encoding === 'utf-8' ? chunk : windows1252ToUtf8(chunk);
    }
  }

  /** The chunk after the marks held back before it, less the 0x1A bytes it ends with (held back in turn). */
  private holdMarks(chunk: Uint8Array): Uint8Array {
    let end = chunk.length;
    while (end > 0 && chunk[end - 1] === END_OF_FILE_MARK) end--;
    const held = this.held;
    if (end === 0) {
      this.held = concat(held, chunk);
      return EMPTY;
    }
    const out = held === null ? chunk.subarray(0, end) : concat(held, chunk.subarray(0, end));
    this.held = end < chunk.length ? chunk.slice(end) : null;
    return out;
  }

  /** Stops the underlying stream early (closes the file); never throws, so it cannot hide the real error. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.iterator.return?.();
    } catch {
      // The stream failing while being cancelled changes nothing for the caller.
    }
  }
}

/** The header and what the lines up to it tell. */
export interface Head {
  /** The bytes read so far (the header block and perhaps some data lines). */
  buf: Uint8Array;
  /** Where the header line starts. */
  start: number;
  /** Where the first data line starts (buf.length when nothing follows the header yet). */
  dataStart: number;
  header: string;
  delimiter: Delimiter;
  /** A '"' occurs in the bytes read so far from the header on. */
  hasQuote: boolean;
  /** ParseInfo but the columns and the parser. */
  info: Omit<ParseInfo, 'columns' | 'parser'>;
  /** mapColumns over the header's fields; a SchemaError also says which line was taken for the header. */
  mapColumns(fields: readonly string[]): ColumnMap;
}

/** The error for a line over the size limit. */
export function lineTooLong(row: number, maxLine: number): CsvError {
  const where = row === 0 ? 'The header line' : `Row ${row}`;
  return new CsvError(
    `${where} is longer than ${formatBytes(maxLine)} without a line break: not a CSV of customer rows ` +
      '(or a quoted field never closes).',
    'line-too-long',
    row === 0 ? {} : { row },
  );
}

function formatBytes(n: number): string {
  return n >= 1 << 20
    ? `${+(n / (1 << 20)).toFixed(1)} MiB`
    : n >= 1024
      ? `${+(n / 1024).toFixed(1)} KiB`
      : `${n} B`;
}
