/** A dropped File as the byte source the CSV reader wants: streamed, gunzipped when needed, bytes counted. */

/** Whether the file is gzip-compressed (by its magic bytes, whatever its name says). */
export async function isGzip(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Returns an `open()` for parseCsv. `onBytes` gets the count of the file's own (compressed) bytes read so far,
 * so progress compares like with like against `file.size`.
 */
export function fileSource(file: Blob, gzip: boolean, onBytes: (bytes: number) => void) {
  return async function* open(): AsyncGenerator<Uint8Array> {
    let read = 0;
    let stream: ReadableStream<Uint8Array> = file.stream().pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          read += chunk.byteLength;
          onBytes(read);
          controller.enqueue(chunk);
        },
      }),
    );
    if (gzip)
      stream = stream.pipeThrough(
        new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>,
      );
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // An early stop (cancel, a refused file) must not leave the file being read in the background.
      reader.cancel().catch(() => {});
    }
  };
}
