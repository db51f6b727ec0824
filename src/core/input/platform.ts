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

/** gunzip with DecompressionStream('gzip'): the worker's choice (Chromium's inflate runs natively). */
export const webPlatform: Platform = {
  async *gunzip(chunks) {
    const reader = toStream(chunks)
      .pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)
      .getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  },
};
