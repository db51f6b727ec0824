/**
 * A dropped File as the input layer wants it (src/core/input): random reads through `slice`, long reads through
 * one reused buffer, DecompressionStream for gzip, a worker of zip.js's to inflate a zip member. What the file is, is decided there, by its bytes.
 */
import { openTable, type Platform, type RandomAccess, type Table } from '../core/input';
import { webPlatform } from '../core/input/platform';
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

/** A File (or Blob) as random-access bytes. */
export function fileAccess(file: Blob): RandomAccess {
  return {
    size: file.size,
    read: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()),
    stream: (start = 0, end = file.size) =>
      start === 0 && end >= file.size ? plain(file) : plain(file.slice(start, end)),
  };
}

/** Opens the table in a file: a CSV, gzip, a zip member (`member`, or the only table), Parquet, UTF-16 text. */
export function openFile(file: File, member?: string): Promise<Table> {
  return openTable(fileAccess(file), { name: file.name, platform, member });
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
