/** The web platform's decompressor (DecompressionStream: native in browsers, present in Node too). */
import type { Platform } from './types';

/** An async iterable as a ReadableStream (ReadableStream.from is missing in some browsers still in use). */
function toStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      // A copy: the source may reuse its buffer once the next chunk is asked for, and the decompressor may hold it.
      else controller.enqueue(value.slice());
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** A ReadableStream's chunks; stopping early (or an error) cancels the stream. */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
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

/**
 * Raw deflate (a zip member's data) inflated with DecompressionStream('deflate-raw'): native in browsers and in
 * Node (20.12 and later), the same code in both.
 */
export async function* inflateRaw(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  // Its errors (TypeError, "… not valid …") pass through.
  yield* streamChunks(
    toStream(chunks).pipeThrough(
      new DecompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>,
    ),
  );
}

/**
 * Input a member's stream was given last, kept to find where the member ended: at least this many bytes and
 * RECENT_PIECES pieces (the pipe reads a piece or two ahead of the one that failed).
 */
const RECENT_BYTES = 64 << 10;
const RECENT_PIECES = 4;

/**
 * The chunk cut before every place a gzip member may start (the magic 1f 8b 08, or as much of it as the chunk
 * holds at its end) and before the zeros that end it, so that a member's last deflate bytes and what follows them
 * never reach the decompressor in one write. Chromium's DecompressionStream drops the output of the write in
 * which it meets "junk" after a member (all but its first 64 KiB chunk): the member's size would then be short
 * and its end not found. A false start (those bytes inside compressed data, about once in 16 MB) only splits a
 * write in two.
 */
function cutAtMemberStarts(chunk: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let from = 0;
  let zeros = chunk.length;
  while (zeros > 0 && chunk[zeros - 1] === 0) zeros--;
  for (let p = chunk.indexOf(0x1f, 1); p >= 0 && p < zeros; p = chunk.indexOf(0x1f, p + 1)) {
    if ((p + 1 < chunk.length && chunk[p + 1] !== 0x8b) || (p + 2 < chunk.length && chunk[p + 2] !== 8))
      continue;
    pieces.push(chunk.subarray(from, p));
    from = p;
  }
  if (zeros > from && zeros < chunk.length) {
    pieces.push(chunk.subarray(from, zeros));
    from = zeros;
  }
  pieces.push(chunk.subarray(from));
  return pieces;
}

/** The little-endian uint32 at `at`. */
const u32 = (b: Uint8Array, at: number) =>
  (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/**
 * Where the member that produced `size` bytes ended in `tail` (the last input it was given): the offset after its
 * trailer, whose ISIZE (the size mod 2^32) is followed by the next member's magic or by zeros to the end of
 * `tail`; -1 when there is no such place (the stream was damaged, or what follows is not gzip).
 */
function memberEnd(tail: Uint8Array, size: number): number {
  const isize = size >>> 0;
  for (let p = 4; p + 4 <= tail.length; p++) {
    if (u32(tail, p) !== isize) continue;
    const next = p + 4;
    if (next + 3 <= tail.length && tail[next] === 0x1f && tail[next + 1] === 0x8b && tail[next + 2] === 8)
      return next;
    let zeros = true;
    for (let i = next; i < tail.length && zeros; i++) zeros = tail[i] === 0;
    if (zeros) return next;
  }
  return -1;
}

/**
 * gunzip of every member of a gzip file, as zlib reads one: a file of several members (`cat a.gz b.gz`, bgzip)
 * and zero bytes after the last member are valid gzip, which Chromium's DecompressionStream('gzip') refuses
 * ("Junk found after end of compressed data") while Node's zlib reads them, so the CLI and the app disagreed.
 * Each member goes through a stream of its own, its input cut before every place a member may start
 * (cutAtMemberStarts), so that the write it fails on holds no data of its own. When one fails, where its member
 * ended is looked for in the input it was given last (memberEnd): found, the next member starts there (or only
 * zeros follow, to the end of the file); not found, the stream's error stands. An empty member (no output) is
 * taken only when another member follows it.
 */
async function* gunzipMembers(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  /** The next member's input already read: its first piece is cut again (it may hold several members). */
  let carry: Uint8Array[] | null = null;
  try {
    for (;;) {
      const recent: Uint8Array[] = [];
      let recentBytes = 0;
      const keep = (chunk: Uint8Array) => {
        recent.push(chunk);
        recentBytes += chunk.length;
        while (recent.length > RECENT_PIECES && recentBytes - recent[0].length >= RECENT_BYTES)
          recentBytes -= recent.shift()!.length;
      };
      const first = carry;
      carry = null;
      // Each piece is one write: the pipe reads the next only when the decompressor wants more.
      const pieces: Uint8Array[] = first ? [...cutAtMemberStarts(first[0]), ...first.slice(1)] : [];
      const input = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            while (pieces.length === 0) {
              const { done, value } = await iterator.next();
              if (done) {
                controller.close();
                return;
              }
              // A copy: the source may reuse its buffer, and the decompressor and `recent` hold on to it.
              pieces.push(...cutAtMemberStarts(value.slice()));
            }
            const piece = pieces.shift()!;
            keep(piece);
            controller.enqueue(piece);
          },
        },
        { highWaterMark: 0 },
      );
      let size = 0;
      try {
        for await (const chunk of streamChunks(
          input.pipeThrough(
            new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>,
          ),
        )) {
          size += chunk.length;
          yield chunk;
        }
        return;
      } catch (error) {
        const tail = concat(recent);
        const end = memberEnd(tail, size);
        // An empty member (no output) is taken only when the next member's start follows its trailer.
        if (end < 0 || (size === 0 && tail[end] !== 0x1f)) throw error;
        if (end < tail.length && tail[end] === 0x1f) {
          // What follows: the rest of the input kept, and the pieces not yet handed to the pipe.
          carry = [tail.subarray(end), ...pieces];
          continue;
        }
        // Only zeros after the last member, as zlib allows: so must the rest of the file be.
        if (pieces.some((piece) => piece.some((b) => b !== 0))) throw error;
        for (;;) {
          const { done, value } = await iterator.next();
          if (done) return;
          if (value.some((b) => b !== 0)) throw error;
        }
      }
    }
  } finally {
    await iterator.return?.();
  }
}

/** The chunks as one array. */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * gunzip with DecompressionStream('gzip'), member by member (gunzipMembers): the worker's choice (Chromium's
 * inflate runs natively).
 */
export const webPlatform: Platform = {
  gunzip: gunzipMembers,
};
