/**
 * A dropped File as the input layer wants it (src/core/input): random reads through `slice`, long reads through
 * one reused buffer, DecompressionStream for gzip, a worker of zip.js's to inflate a zip member. What the file is, is decided there, by its bytes.
 */
import { openTable, type Platform, type RandomAccess, type Table } from '../core/input';
import { webPlatform } from '../core/input/platform';
import { type LineIndex, LineIndexBuilder } from '../core/insights/line-index';
import { type BatchSource, tableSource } from '../core/scoring/pipeline';
import { BATCH_ROWS } from './settings';

/** DecompressionStream for gzip; a zip member inflates in a worker of its own (zip-inflate-worker.ts). */
const platform: Platform = {
  ...webPlatform,
  inflateWorker: () =>
    new Worker(new URL('./zip-inflate-worker.ts', import.meta.url), { type: 'module', name: 'zip inflate' }),
};

/** Bytes per read of a long stretch: one buffer, reused for the whole file. */
const CHUNK_BYTES = 1 << 20;

/**
 * A File (or Blob) as random-access bytes. With `onLines`, a stream of the whole file read to its end records its
 * line starts on the way (the reader's own pass: no second read) and hands the index over.
 */
export function fileAccess(file: Blob, onLines?: (index: LineIndex) => void): RandomAccess {
  return {
    size: file.size,
    read: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()),
    stream: (start = 0, end = file.size) => {
      if (start > 0 || end < file.size) return plain(file.slice(start, end));
      return onLines ? recordingLines(plain(file), onLines) : plain(file);
    },
  };
}

/** Opens the table in a file: a CSV, gzip, a zip member (`member`, or the only table), Parquet, UTF-16 text. */
export function openFile(file: File, member?: string): Promise<Table> {
  return openAccess(fileAccess(file), file, member);
}

/** The one way this app opens a file's bytes: with this platform (a zip member inflates in a worker of its own). */
function openAccess(access: RandomAccess, file: File, member?: string): Promise<Table> {
  return openTable(access, { name: file.name, platform, member });
}

/** A table opened for scoring, and the line starts its reading recorded. */
export interface OpenedFile {
  table: Table;
  /**
   * The file's line index once the table has been read, when the table is the file's own bytes (a plain CSV:
   * the lines of a gzip stream, a zip member or UTF-16 text cannot be sliced out of the File); else null.
   */
  lineIndex(): LineIndex | null;
}

/** openFile, recording the line starts of a plain CSV as it is read. */
export async function openIndexed(file: File, member?: string): Promise<OpenedFile> {
  let recorded: LineIndex | null = null;
  const access = fileAccess(file, (index) => (recorded = index));
  const table = await openAccess(access, file, member);
  return { table, lineIndex: () => (isPlain(table) ? recorded : null) };
}

/** The table is the file's own bytes: a CSV, neither packed nor converted from UTF-16. */
function isPlain(table: Table): boolean {
  const s = table.source;
  return s.format === 'csv' && s.containers.length === 0 && s.utf16 === null;
}

/** The chunks passed through a LineIndexBuilder; the index is handed over once the stream has ended. */
async function* recordingLines(
  chunks: AsyncIterable<Uint8Array>,
  onLines: (index: LineIndex) => void,
): AsyncGenerator<Uint8Array> {
  const builder = new LineIndexBuilder();
  for await (const chunk of chunks) {
    builder.add(chunk);
    yield chunk;
  }
  onLines(builder.finish());
}

/** A table read in this thread in batches of BATCH_ROWS; each item carries the file's own bytes read so far. */
export function fileBatches(table: Table): BatchSource {
  return tableSource((options) => table.read(options), { batchRows: BATCH_ROWS, bytesRead: table.bytesRead });
}

/**
 * A Blob through a BYOB reader into one reused buffer: a 300 MB file then leaves no 300 MB of chunk garbage
 * behind for the collector, which would otherwise raise the tab's peak memory. Each chunk is valid until the
 * next one is asked for (the readers copy what they keep across chunks).
 */
async function* plain(file: Blob): AsyncGenerator<Uint8Array> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    // A browser without byte streams from Blob: the default reader works, with one allocation per chunk.
    yield* chunks(file.stream());
    return;
  }
  let buffer = new ArrayBuffer(CHUNK_BYTES);
  try {
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || !value) return;
      yield value;
      buffer = value.buffer as ArrayBuffer;
    }
  } finally {
    // An early stop (cancel, a refused file) must not leave the file being read in the background.
    reader.cancel().catch(() => {});
  }
}

async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
