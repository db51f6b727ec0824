/**
 * The unzip worker: reads one member of a zip archive (the dropped File) and inflates it here, streaming the
 * unpacked bytes back to the reading worker through a transferred ReadableStream that runs up to AHEAD_BYTES
 * ahead, so inflating and parsing use two cores. zip.js's own codec worker answers one chunk per request, and the
 * two threads took turns. The archive's checks (zip bomb, encrypted, damaged, CRC) run here, in the same code as
 * everywhere (src/core/input/zip.ts); a refusal crosses as { name, message, code } (file-bytes.ts revives it).
 */
import { FileError } from '../core/input';
import { openArchive } from '../core/input/zip';
import { fileAccess } from './file-access';

/** Unpacked bytes held ahead of the reader at most, and the size of the pieces sent. */
const AHEAD_BYTES = 8 << 20;
const PIECE_BYTES = 1 << 20;

/** What the reading worker asks for: a member of a zip file. */
export interface UnzipRequest {
  file: File;
  name: string;
}

/** A piece of the member, and the archive's packed bytes read so far for it (progress). */
export interface UnzipChunk {
  bytes: Uint8Array;
  packed: number;
}

/** A refusal or failure, as it crosses between workers. */
export interface UnzipFailure {
  name: string;
  message: string;
  code?: string;
}

function joined(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function failure(error: unknown): UnzipFailure {
  if (error instanceof FileError) return { name: error.name, message: error.message, code: error.code };
  const e = error as Error | null;
  return { name: e?.name ?? 'Error', message: e?.message ?? String(error) };
}

self.onmessage = (event: MessageEvent<UnzipRequest>) => {
  const { file, name } = event.data;
  let member: { chunks: AsyncIterator<Uint8Array>; packed: () => number } | null = null;
  const stream = new ReadableStream<UnzipChunk>(
    {
      async pull(controller) {
        try {
          if (!member) {
            const archive = await openArchive(fileAccess(file), 'This file');
            const start = archive.bytesRead();
            member = {
              chunks: archive.open(name)[Symbol.asyncIterator](),
              packed: () => archive.bytesRead() - start,
            };
          }
          // Pieces of about PIECE_BYTES: the inflater gives chunks of ~64 KiB, each a message and a parse step.
          const parts: Uint8Array[] = [];
          let size = 0;
          let done = false;
          while (size < PIECE_BYTES) {
            const next = await member.chunks.next();
            if (next.done) {
              done = true;
              break;
            }
            parts.push(next.value);
            size += next.value.length;
          }
          if (size > 0) controller.enqueue({ bytes: joined(parts, size), packed: member.packed() });
          if (done) controller.close();
        } catch (error) {
          controller.error(failure(error));
        }
      },
      async cancel() {
        await member?.chunks.return?.();
      },
    },
    { highWaterMark: AHEAD_BYTES, size: (chunk) => chunk.bytes.length },
  );
  self.postMessage(stream, { transfer: [stream] });
};
