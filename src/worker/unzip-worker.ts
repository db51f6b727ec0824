/**
 * The unzip worker: reads one member of a zip archive (the dropped File) and inflates it here, sending the
 * unpacked bytes to the reading worker in pieces whose buffers are transferred there and handed back once read,
 * so inflating and parsing use two cores with PIECES x PIECE_BYTES in flight and no garbage per piece. The
 * archive's checks (zip bomb, encrypted, damaged, CRC) run here, in the same code as everywhere
 * (src/core/input/zip.ts); a refusal crosses as { name, message, code } (file-bytes.ts revives it).
 *
 * Messages: in, an UnzipRequest, then UnzipReturn for each piece read; out, UnzipMessage. The reader stops the
 * worker by terminating it.
 */
import { FileError } from '../core/input';
import { openArchive } from '../core/input/zip';
import type { UnzipTimings } from '../core/scoring/pipeline';
import { fileAccess } from './file-access';

/**
 * Unpacked bytes ahead of the reader at most: PIECES buffers of PIECE_BYTES, reused. Four give the inflater room
 * to run while the reader parses a piece; the inflater's own output (64 KiB chunks) is copied in.
 */
const PIECE_BYTES = 2 << 20;
const PIECES = 4;

/** What the reading worker asks for: a member of a zip file. */
export interface UnzipRequest {
  file: File;
  name: string;
}

/** A piece's buffer handed back by the reader: room for the next piece. */
export interface UnzipReturn {
  piece: ArrayBuffer;
}

/** A refusal or failure, as it crosses between workers. */
export interface UnzipFailure {
  name: string;
  message: string;
  code?: string;
}

/**
 * What the worker sends: a piece of the member (its buffer transferred) with the archive's packed bytes read so
 * far for it (progress), the end (with the worker's timings), or a failure.
 */
export type UnzipMessage =
  { bytes: Uint8Array; packed: number } | { done: true; timings: UnzipTimings } | { failure: UnzipFailure };

function failure(error: unknown): UnzipFailure {
  if (error instanceof FileError) return { name: error.name, message: error.message, code: error.code };
  const e = error as Error | null;
  return { name: e?.name ?? 'Error', message: e?.message ?? String(error) };
}

/** Buffers handed back by the reader, and a wait for one. */
const returned: ArrayBuffer[] = [];
let wake: (() => void) | null = null;
let made = 0;

async function freePiece(timings: UnzipTimings): Promise<Uint8Array> {
  if (returned.length === 0 && made < PIECES) {
    made++;
    return new Uint8Array(PIECE_BYTES);
  }
  const asked = performance.now();
  while (returned.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  timings.room += performance.now() - asked;
  return new Uint8Array(returned.pop()!);
}

const send = (message: UnzipMessage, transfer: Transferable[] = []) =>
  self.postMessage(message, { transfer });

async function unzip(file: File, name: string): Promise<void> {
  const started = performance.now();
  const timings: UnzipTimings = { total: 0, unpack: 0, room: 0 };
  // The reading worker has looked at the members already: no look here, straight to the one asked for.
  const archive = await openArchive(fileAccess(file), 'This file', undefined, false);
  const start = archive.bytesRead();
  let piece = await freePiece(timings);
  let filled = 0;
  const flush = () => {
    send({ bytes: piece.subarray(0, filled), packed: archive.bytesRead() - start }, [piece.buffer]);
    filled = 0;
  };
  const chunks = archive.open(name)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const asked = performance.now();
      const next = await chunks.next();
      timings.unpack += performance.now() - asked;
      if (next.done) break;
      const chunk = next.value;
      // The chunk is valid until the next is asked for (a stored member's may be a reused buffer): copy it now.
      let at = 0;
      while (at < chunk.length) {
        const take = Math.min(chunk.length - at, PIECE_BYTES - filled);
        piece.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === PIECE_BYTES) {
          flush();
          piece = await freePiece(timings);
        }
      }
    }
  } finally {
    await chunks.return?.();
  }
  if (filled > 0) flush();
  timings.total = performance.now() - started;
  send({ done: true, timings });
}

self.onmessage = (event: MessageEvent<UnzipRequest | UnzipReturn>) => {
  const data = event.data;
  if ('piece' in data) {
    returned.push(data.piece);
    const w = wake;
    wake = null;
    w?.();
    return;
  }
  unzip(data.file, data.name).catch((error: unknown) => send({ failure: failure(error) }));
};
