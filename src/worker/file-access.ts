/**
 * A dropped File (or Blob) as the input layer's RandomAccess: random reads through `slice`, long reads through one
 * reused buffer (a BYOB reader), and the line starts of a plain file recorded on the way.
 */
import type { RandomAccess } from '../core/input';
import { streamChunks } from '../core/input/platform';
import type { UnzipTimings } from '../core/scoring/pipeline';
import { type LineIndex, LineIndexBuilder } from '../core/insights/line-index';

/** Bytes per read of a long stretch: one buffer, reused for the whole file. */
const CHUNK_BYTES = 1 << 20;

/**
 * The BYOB readers with a read in flight, held only to keep them reachable until it settles. Chromium (156) does
 * not keep a Blob's byte stream alive while a BYOB read waits for the blob's bytes: when nothing else references
 * the reader, as here (the reading worker's chain of awaits hangs off that very read), the collector frees the
 * stream and the read never settles, with no error; a dropped file then stayed at "0 rows" for good, now and then.
 * In a blank page's worker under forced collection, 0 of 200 such reads settled; 200 of 200 with the reader held,
 * and 200 of 200 through a default reader (tests/e2e/file-read-gc.spec.ts checks these reads).
 */
const reading = new Set<ReadableStreamBYOBReader>();

/** `reader.read(view)`, the reader held reachable until the read settles (see `reading`). */
async function readHeld(
  reader: ReadableStreamBYOBReader,
  view: Uint8Array<ArrayBuffer>,
): Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>> {
  reading.add(reader);
  try {
    return await reader.read(view);
  } finally {
    reading.delete(reader);
  }
}

/**
 * Milliseconds spent waiting for a stream's bytes, added up by the streams given it; a zip member's unzip worker
 * leaves its own timings here when it is done.
 */
export interface ReadClock {
  read: number;
  unzip?: UnzipTimings;
}

/**
 * A File (or Blob) as random-access bytes. With `onLines`, a stream of the whole file read to its end records its
 * line starts on the way (the reader's own pass: no second read) and hands the index over. Streams add the time
 * they wait for bytes to `clock`.
 */
export function fileAccess(
  file: Blob,
  onLines?: (index: LineIndex) => void,
  clock: ReadClock = { read: 0 },
): RandomAccess {
  return {
    size: file.size,
    read: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()),
    stream: (start = 0, end = file.size) => {
      if (start > 0 || end < file.size) return plain(file.slice(start, end), clock);
      return onLines ? recordingLines(plain(file, clock), onLines) : plain(file, clock);
    },
  };
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

/**
 * A Blob through a BYOB reader into one reused buffer: a 300 MB file then leaves no 300 MB of chunk garbage
 * behind for the collector, which would otherwise raise the tab's peak memory. Each chunk is valid until the
 * next one is asked for (the readers copy what they keep across chunks).
 */
async function* plain(file: Blob, clock: ReadClock): AsyncGenerator<Uint8Array> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    // A browser without byte streams from Blob: the default reader works, with one allocation per chunk.
    yield* streamChunks(file.stream());
    return;
  }
  let buffer = new ArrayBuffer(CHUNK_BYTES);
  try {
    for (;;) {
      const asked = performance.now();
      const { done, value } = await readHeld(reader, new Uint8Array(buffer));
      clock.read += performance.now() - asked;
      if (done || !value) return;
      yield value;
      buffer = value.buffer as ArrayBuffer;
    }
  } finally {
    // An early stop (cancel, a refused file) must not leave the file being read in the background.
    reader.cancel().catch(() => {});
  }
}
