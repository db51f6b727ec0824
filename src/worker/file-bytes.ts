/** A dropped File as the byte source the CSV reader wants: streamed, gunzipped when needed, bytes counted. */
import { type BatchSource, localSource } from '../core/scoring/pipeline';
import { BATCH_ROWS } from './settings';

/** Bytes per read of a plain file: one buffer, reused for the whole file. */
const CHUNK_BYTES = 1 << 20;

/** Whether the file is gzip-compressed (by its magic bytes, whatever its name says). */
export async function isGzip(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Returns an `open()` for parseCsv. `onBytes` gets the count of the file's own (compressed) bytes read so far,
 * so progress compares like with like against `file.size`.
 * Each chunk is valid until the next one is asked for (the reader copies what it keeps across chunks).
 */
export function fileSource(file: Blob, gzip: boolean, onBytes: (bytes: number) => void) {
  return function open(): AsyncGenerator<Uint8Array> {
    return gzip ? gunzipped(file, onBytes) : plain(file, onBytes);
  };
}

/** The file read in this thread in batches of BATCH_ROWS; each item carries the file's own bytes read so far. */
export function fileBatches(
  file: Blob,
  gzip: boolean,
  onBytes: (bytes: number) => void = () => {},
): BatchSource {
  let bytes = 0;
  const open = fileSource(file, gzip, (n) => {
    bytes = n;
    onBytes(n);
  });
  return localSource(open, { batchRows: BATCH_ROWS, bytesRead: () => bytes });
}

/**
 * A plain file through a BYOB reader into one reused buffer: a 300 MB file then leaves no 300 MB of chunk
 * garbage behind for the collector, which would otherwise raise the tab's peak memory.
 */
async function* plain(file: Blob, onBytes: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    // A browser without byte streams from Blob: the default reader works, with one allocation per chunk.
    yield* counted(file.stream(), onBytes);
    return;
  }
  let buffer = new ArrayBuffer(CHUNK_BYTES);
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || !value) return;
      read += value.byteLength;
      onBytes(read);
      yield value;
      buffer = value.buffer as ArrayBuffer;
    }
  } finally {
    // An early stop (cancel, a refused file) must not leave the file being read in the background.
    reader.cancel().catch(() => {});
  }
}

async function* gunzipped(file: Blob, onBytes: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let read = 0;
  const stream = file
    .stream()
    .pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          read += chunk.byteLength;
          onBytes(read);
          controller.enqueue(chunk);
        },
      }),
    )
    .pipeThrough(new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>);
  yield* counted(stream, () => {});
}

async function* counted(stream: ReadableStream<Uint8Array>, onBytes: (bytes: number) => void) {
  const reader = stream.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      onBytes(read);
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
