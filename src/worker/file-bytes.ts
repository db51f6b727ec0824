/**
 * A dropped File opened as the input layer wants it (src/core/input): its bytes through file-access.ts,
 * DecompressionStream for gzip, a zip member streamed from an unzip worker (unzip-worker.ts). What the file is,
 * is decided there, by its bytes.
 */
import {
  FileError,
  type FileErrorCode,
  type MemberStream,
  openTable,
  type RandomAccess,
  type Table,
} from '../core/input';
import { webPlatform } from '../core/input/platform';
import type { LineIndex } from '../core/insights/line-index';
import { type BatchSource, tableSource } from '../core/scoring/pipeline';
import { fileAccess, type ReadClock } from './file-access';
import { BATCH_ROWS } from './settings';
import type { UnzipFailure, UnzipMessage, UnzipRequest, UnzipReturn } from './unzip-worker';

/**
 * A member of `file` (a zip archive) unpacked in a worker of its own and streamed here (Platform.unzipMember): the
 * worker inflates up to 8 MiB ahead while this thread parses. Each chunk is valid until the next one is asked for
 * (its buffer then goes back to the worker). A refusal there is the same FileError here.
 */
function unzipInWorker(file: File, name: string, clock: ReadClock): MemberStream {
  let packed = 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const worker = new Worker(new URL('./unzip-worker.ts', import.meta.url), {
      type: 'module',
      name: 'unzip',
    });
    const inbox: UnzipMessage[] = [];
    let wake: (() => void) | null = null;
    const arrived = (message: UnzipMessage) => {
      inbox.push(message);
      const w = wake;
      wake = null;
      w?.();
    };
    worker.onmessage = (event: MessageEvent<UnzipMessage>) => arrived(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      arrived({ failure: { name: 'Error', message: `The unzip worker stopped: ${event.message}` } });
    };
    worker.postMessage({ file, name } satisfies UnzipRequest);
    let lent: ArrayBuffer | null = null;
    try {
      for (;;) {
        if (lent) {
          worker.postMessage({ piece: lent } satisfies UnzipReturn, [lent]);
          lent = null;
        }
        const asked = performance.now();
        while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        clock.read += performance.now() - asked;
        const message = inbox.shift()!;
        if ('failure' in message) throw revived(message.failure);
        if ('done' in message) {
          clock.unzip = message.timings;
          return;
        }
        packed = message.packed;
        lent = message.bytes.buffer as ArrayBuffer;
        yield message.bytes;
      }
    } finally {
      // Stops the inflating at once when the reader stops early (a refused file, cancel, a peek).
      worker.terminate();
    }
  }
  return { chunks: chunks(), packed: () => packed };
}

/** The error the unzip worker sent, as it was thrown there. */
function revived(failure: UnzipFailure): Error {
  if (failure.name === 'FileError') return new FileError(failure.message, failure.code as FileErrorCode);
  const error = new Error(failure.message);
  error.name = failure.name;
  return error;
}

/** Opens `access` (the bytes of `file`) with this app's platform. */
function openAccess(
  access: RandomAccess,
  file: File,
  member?: string,
  clock: ReadClock = { read: 0 },
): Promise<Table> {
  return openTable(access, {
    name: file.name,
    platform: { ...webPlatform, unzipMember: (name) => unzipInWorker(file, name, clock) },
    member,
  });
}

/** Opens the table in a file: a CSV, gzip, a zip member (`member`, or the only table), Parquet, UTF-16 text. */
export function openFile(file: File, member?: string): Promise<Table> {
  return openAccess(fileAccess(file), file, member);
}

/** A table opened for scoring, and the line starts its reading recorded. */
export interface OpenedFile {
  table: Table;
  /**
   * The file's line index once the table has been read, when the table is the file's own bytes (a plain CSV:
   * the lines of a gzip stream, a zip member or UTF-16 text cannot be sliced out of the File); else null.
   */
  lineIndex(): LineIndex | null;
}

/**
 * openFile, recording the line starts of a plain CSV as it is read; the time spent waiting for bytes (the file's
 * or the unzip worker's) is added to `clock`.
 */
export async function openIndexed(
  file: File,
  member?: string,
  clock: ReadClock = { read: 0 },
): Promise<OpenedFile> {
  let recorded: LineIndex | null = null;
  const access = fileAccess(file, (index) => (recorded = index), clock);
  const table = await openAccess(access, file, member, clock);
  return { table, lineIndex: () => (isPlain(table) ? recorded : null) };
}

/** The table is the file's own bytes: a CSV, neither packed nor converted from UTF-16. */
function isPlain(table: Table): boolean {
  const s = table.source;
  return s.format === 'csv' && s.containers.length === 0 && s.utf16 === null;
}

/**
 * A table read in this thread in batches of BATCH_ROWS; each item carries the file's own bytes read so far. The
 * batches' features go into buffers from `featureBuffer` where it has one (see ParseOptions.featureBuffer).
 */
export function fileBatches(
  table: Table,
  featureBuffer?: (bytes: number) => ArrayBuffer | undefined,
): BatchSource {
  return tableSource((options) => table.read(options), {
    batchRows: BATCH_ROWS,
    bytesRead: table.bytesRead,
    featureBuffer,
  });
}
