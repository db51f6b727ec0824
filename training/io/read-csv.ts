/**
 * Node side of the shared reader (src/core/input): a file on disk as random-access bytes, zlib for gzip, and
 * errors that name the file. What the file is (CSV, UTF-16, gzip, zip, Parquet) is decided by its bytes, as in
 * the app.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip, createInflateRaw, type Gunzip, type InflateRaw } from 'node:zlib';
import type { ParseOptions, ParseSummary } from '../../src/core/csv/index';
import { openTable, type Platform, type RandomAccess, type TableSource } from '../../src/core/input/index';

// Larger than the 64 KiB default: fewer chunk joins on the fast path.
const CHUNK_BYTES = 256 * 1024;

/** `chunks` through one of zlib's streams, which reads its input only as its output is taken. */
async function* through(
  inflater: Gunzip | InflateRaw,
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const input = Readable.from(chunks, { objectMode: false });
  // pipe() does not forward a read error: without this a failing file would leave the inflater waiting forever.
  input.on('error', (error) => inflater.destroy(error));
  input.pipe(inflater);
  try {
    yield* inflater;
  } finally {
    input.destroy();
    inflater.destroy();
  }
}

/** Input kept behind zlib's read position, to check what follows where it stopped (at least this much). */
const KEPT_BYTES = 16 << 20;

/**
 * gunzip through zlib, which reads every member and stops at zero bytes after one, as gzip does: but it also stops
 * there when data follows the zeros (another member, or junk), and would drop it silently. What follows where zlib
 * stopped must be zeros to the end of the file, else the file is refused with the words of the app's decompressor
 * (platform.ts, which refuses such a file too).
 */
async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const source = chunks[Symbol.asyncIterator]();
  const kept: Uint8Array[] = [];
  let keptFrom = 0;
  let read = 0;
  // The source is read here, not by the pipe's iterator, so that it stays open after zlib stops.
  async function* fed(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const { done, value } = await source.next();
      if (done) return;
      kept.push(value);
      read += value.length;
      while (kept.length > 1 && read - keptFrom - kept[0].length >= KEPT_BYTES)
        keptFrom += kept.shift()!.length;
      yield value;
    }
  }
  const inflater = createGunzip({ chunkSize: CHUNK_BYTES });
  try {
    yield* through(inflater, fed());
    const junk = new Error('Junk found after end of compressed data.');
    let at = inflater.bytesWritten - keptFrom;
    if (at < 0) throw junk;
    for (const chunk of kept) {
      for (let i = Math.max(0, at); i < chunk.length; i++) if (chunk[i] !== 0) throw junk;
      at -= chunk.length;
    }
    for (;;) {
      const { done, value } = await source.next();
      if (done) return;
      if (value.some((b) => b !== 0)) throw junk;
    }
  } finally {
    await source.return?.();
  }
}

/**
 * Node's zlib: measured faster than Node's DecompressionStream, which wraps the same zlib in web streams and takes
 * all of its input before its first output (a zip member's first line would cost inflating all of it).
 */
const nodePlatform: Platform = {
  gunzip,
  inflateRaw: (chunks) => through(createInflateRaw({ chunkSize: CHUNK_BYTES }), chunks),
};

/** A file as random-access bytes: positional reads on one handle, streams of their own for long reads. */
async function fileAccess(path: string): Promise<RandomAccess & { close(): Promise<void> }> {
  const info = await stat(path);
  if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  const handle = await open(path, 'r');
  const size = info.size;
  return {
    size,
    async read(start, end) {
      const length = Math.max(0, Math.min(end, size) - start);
      const buffer = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
    stream(start = 0, end = size) {
      if (end <= start) return Readable.from([]);
      return createReadStream(path, { start, end: end - 1, highWaterMark: CHUNK_BYTES });
    },
    close: () => handle.close(),
  };
}

/** The `open` function parseCsv wants for a plain file (benchmarks of the CSV reader alone). */
export function openFile(path: string): () => AsyncIterable<Uint8Array> {
  return () => createReadStream(path, { highWaterMark: CHUNK_BYTES });
}

function describe(error: unknown, path: string): unknown {
  if (!(error instanceof Error) || error.name === 'AbortError') return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') error.message = `${path}: no such file.`;
  else if (code === 'EISDIR') error.message = `${path}: is a directory, not a CSV file.`;
  else error.message = `${path}: ${error.message}`;
  return error;
}

/** Options of readTableFile: the reader's, plus the zip member to read. */
export interface ReadFileOptions extends ParseOptions {
  /** The member of a zip archive to read (path or unique file name); needed when it holds several tables. */
  member?: string;
}

/**
 * Reads the table in a file (CSV, UTF-16 text, gzip, zip or Parquet, by its bytes) into batches. Every error
 * keeps its class (CsvError, SchemaError, FileError ...) and starts with the path.
 */
export async function readTableFile(
  path: string,
  options: ReadFileOptions,
): Promise<{ summary: ParseSummary; source: TableSource }> {
  let access: Awaited<ReturnType<typeof fileAccess>> | null = null;
  try {
    access = await fileAccess(path);
    const { member, ...parse } = options;
    const table = await openTable(access, { name: path, platform: nodePlatform, member });
    return { summary: await table.read(parse), source: table.source };
  } catch (error) {
    throw describe(error, path);
  } finally {
    await access?.close();
  }
}

/** readTableFile's summary: the reader over a file, whatever its format. */
export async function readCsvFile(path: string, options: ReadFileOptions): Promise<ParseSummary> {
  return (await readTableFile(path, options)).summary;
}
