/**
 * The bytes both CSV paths read, and the limits on them: the byte source of one run, the longest line accepted,
 * and what the header read leaves for the row parser. parse-csv.ts reads the header and picks a path;
 * fast-path.ts and papa-path.ts only import this module (and the row rules), never each other or parse-csv.ts.
 */
import { CsvError, type ParseInfo, type ParseOptions } from './types';

/** Default longest line: a real row is about 2.5 KB, so anything near this is not a customer file. */
export const MAX_LINE_BYTES = 1 << 20;

/** The byte source of one run: counts bytes, reports progress, honours the abort signal. */
export class ByteSource {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private done = false;
  bytes = 0;

  constructor(
    open: () => AsyncIterable<Uint8Array>,
    private readonly options: ParseOptions,
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
        return null;
      }
      // An ArrayBuffer is accepted too (some stream sources hand those out).
      const chunk: Uint8Array =
        result.value instanceof Uint8Array ? result.value : new Uint8Array(result.value);
      if (chunk.length === 0) continue;
      this.bytes += chunk.length;
      this.options.onProgress?.(this.bytes);
      return chunk;
    }
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

/** The first line and what it tells: what the header read hands to the row parser. */
export interface Head {
  /** The bytes read so far from the header line on (perhaps with skipped lines or a BOM before `start`). */
  buf: Uint8Array;
  /** Where the header starts (after a BOM and any blank lines). */
  start: number;
  /** Where the first data line starts (buf.length when nothing follows the header yet). */
  dataStart: number;
  header: string;
  bom: boolean;
  delimiter: ParseInfo['delimiter'];
  /** A '"' occurs in the bytes read so far. */
  hasQuote: boolean;
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
