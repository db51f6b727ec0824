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

/** `chunks` through a DecompressionStream of `format`; its errors (TypeError, "… not valid …") pass through. */
async function* decompressed(
  format: 'gzip' | 'deflate-raw',
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* streamChunks(
    toStream(chunks).pipeThrough(
      new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>,
    ),
  );
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
export function inflateRaw(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  return decompressed('deflate-raw', chunks);
}

/** gunzip with DecompressionStream('gzip'): the worker's choice (Chromium's inflate runs natively). */
export const webPlatform: Platform = {
  gunzip: (chunks) => decompressed('gzip', chunks),
};
