/** Small byte-stream helpers of the input layer: memory as RandomAccess, a stream's first bytes, a bounded read. */
import { FileError, type RandomAccess } from './types';

/** Bytes in memory as a RandomAccess (a Parquet member unpacked from a zip, tests). */
export function bytesAccess(bytes: Uint8Array, chunkBytes = 1 << 20): RandomAccess {
  return {
    size: bytes.length,
    read: async (start, end) => bytes.slice(start, Math.min(end, bytes.length)),
    async *stream(start = 0, end = bytes.length) {
      for (let at = start; at < end; at += chunkBytes)
        yield bytes.subarray(at, Math.min(end, at + chunkBytes));
    },
  };
}

/** The first `n` bytes of a stream (fewer at its end); the stream is then closed. */
export async function streamHead(chunks: AsyncIterable<Uint8Array>, n: number): Promise<Uint8Array> {
  const head = new Uint8Array(n);
  let filled = 0;
  for await (const chunk of chunks) {
    const take = Math.min(n - filled, chunk.length);
    head.set(chunk.subarray(0, take), filled);
    filled += take;
    // Leaving the loop closes the stream (return()), so a big file is not read on.
    if (filled === n) break;
  }
  return head.subarray(0, filled);
}

/**
 * A whole stream in memory, refused past `limit` bytes (for content that needs random access, e.g. a Parquet
 * file inside a zip). `what` names it in the message.
 */
export async function collect(
  chunks: AsyncIterable<Uint8Array>,
  limit: number,
  what: string,
): Promise<Uint8Array> {
  let store = new Uint8Array(0);
  let size = 0;
  for await (const chunk of chunks) {
    if (size + chunk.length > limit) {
      throw new FileError(
        `${what} is larger than ${Math.round(limit / 2 ** 20)} MiB unpacked: it is read into memory, so unpack it and pick the file itself.`,
        'too-large',
      );
    }
    if (size + chunk.length > store.length) {
      const grown = new Uint8Array(Math.min(limit, Math.max(size + chunk.length, store.length * 2)));
      grown.set(store.subarray(0, size));
      store = grown;
    }
    store.set(chunk, size);
    size += chunk.length;
  }
  return store.subarray(0, size);
}
