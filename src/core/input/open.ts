/**
 * The one way into a file, for the worker, the scoring CLI and training alike: its first bytes decide what it is
 * (never its name), containers are unpacked on the fly, and the table inside is read by the CSV reader or the
 * Parquet reader into the same batches with the same rules.
 *
 *   plain text (UTF-8, or Windows-1252: the CSV reader's business) -> parseCsv
 *   UTF-16 with a byte order mark -> converted to UTF-8 -> parseCsv
 *   gzip -> unpacked as it streams (the platform's decompressor) -> what is inside
 *   zip -> one member (named, or the only table) streamed out -> what is inside
 *   Parquet -> the Parquet reader (random access; unpacked into memory first when it sits in a container)
 *   images, PDFs, Office files, other compressors -> refused, saying what the file is
 */
import { parseCsv } from '../csv';
import type { ParseOptions, ParseSummary } from '../csv/types';
import { bytesAccess, collect, streamHead } from './bytes';
import { guardExpansion, MAX_IN_MEMORY_BYTES } from './limits';
import type { RowRange } from './parquet';
import { describeKind, sniff, SNIFF_BYTES } from './sniff';
import { FileError, type Platform, type RandomAccess, type TableSource } from './types';
import { utf16ToUtf8 } from './utf16';

/** A table found in a file, ready to be read (as often as needed: the CSV reader may start over). */
export interface Table {
  /** How it was reached: containers, member, encoding, format. */
  source: TableSource;
  /**
   * Reads every row into batches: parseCsv's contract (options, issues, summary, restart). `rows` limits a
   * Parquet table to 0-based rows [start, end) (explaining one customer); a CSV is always read from its start.
   */
  read(options: ParseOptions, rows?: RowRange): Promise<ParseSummary>;
  /** Bytes of the file itself (packed) read so far by the current read: progress against its size. */
  bytesRead(): number;
}

/** How to open a file. */
export interface OpenOptions {
  /** The file's name, for messages. */
  name: string;
  platform: Platform;
  /**
   * The zip member to read (its path, or its file name when that is unique). Without it, a zip holding
   * several tables is refused with a FileError `choose-member` that lists them.
   */
  member?: string;
}

/** Containers within containers that are unpacked (a .csv.gz inside a .zip is two). */
const MAX_DEPTH = 2;

/**
 * Unpacked size up to which a zip member whose table is refused is read to its end first, to check its CRC-32:
 * 64 MiB inflate in about 0.2-0.6 s (a browser worker; Node's zlib is faster). A bigger member's refusal stands.
 */
const CHECK_ON_REFUSAL_BYTES = 64 * 2 ** 20;

type Opener = () => AsyncIterable<Uint8Array>;

/** Chunks passed through, counted into `count.bytes`. */
async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  count: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    count.bytes += chunk.length;
    yield chunk;
  }
}

/** The decompressor's errors say little and come in many shapes: one message for a damaged gzip stream. */
function gzipProblem(error: unknown): unknown {
  const e = error as (Error & { code?: string }) | null;
  if (error instanceof FileError || e?.name === 'AbortError') return error;
  // A file system error (ENOENT, EISDIR ...) is not about the compression; zlib's (Z_DATA_ERROR) and a stream's
  // (Node's DecompressionStream given a member after zeros: ERR_STREAM_PUSH_AFTER_EOF) are.
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) return error;
  return new FileError(`It is not a valid gzip file (${e?.message ?? String(error)}).`, 'damaged');
}

async function* gunzipped(platform: Platform, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* platform.gunzip(chunks);
  } catch (error) {
    throw gzipProblem(error);
  }
}

function refuseBinary(kind: ReturnType<typeof sniff>, member: string | null): never {
  const which = member === null ? 'This' : `"${member}" in the archive`;
  throw new FileError(`${which} is not a CSV text file. ${describeKind(kind)}`, 'not-a-table');
}

/** A member's errors name the member (the caller adds the file's name). */
function inMember(member: string | null, read: Table['read']): Table['read'] {
  if (member === null) return read;
  return async (options) => {
    try {
      return await read(options);
    } catch (error) {
      const e = error as Error | null;
      if (e instanceof Error && (e.name === 'CsvError' || e.name === 'SchemaError')) {
        e.message = `${member}: ${e.message}`;
      }
      throw error;
    }
  };
}

/**
 * A damaged archive is reported as damaged, not as what its garbled bytes look like: when the table of a member
 * of at most CHECK_ON_REFUSAL_BYTES is refused (a header or a line the reader rejects), the member is read to
 * its end, and a failed CRC-32 or size check replaces the refusal. Without it, which message came first
 * depended on how far ahead the bytes were unpacked (the browser's unzip worker checks a member under 2 MiB
 * whole before the reader sees it; the CLI's reader stopped at the header).
 */
function damageFirst(read: Table['read'], open: Opener, size: number): Table['read'] {
  if (size > CHECK_ON_REFUSAL_BYTES) return read;
  return async (options, rows) => {
    try {
      return await read(options, rows);
    } catch (error) {
      const e = error as Error | null;
      if (error instanceof FileError || e?.name === 'AbortError') throw error;
      try {
        for await (const chunk of open()) void chunk;
      } catch (damage) {
        if (damage instanceof FileError) throw damage;
      }
      throw error;
    }
  };
}

interface Context {
  options: OpenOptions;
  /** What the content is called in messages. */
  what: string;
  containers: TableSource['containers'];
  member: string | null;
}

/**
 * Content that can only be streamed from its start (a gzip stream, a zip member), or a file whose first bytes
 * were read already (`head`: then no stream is opened just to look at them).
 */
async function openStream(
  open: Opener,
  packed: () => number,
  context: Context,
  known?: Uint8Array,
): Promise<Table> {
  const head = known ?? (await streamHead(open(), SNIFF_BYTES));
  const kind = sniff(head);
  const base = {
    containers: context.containers,
    member: context.member,
    inner: null,
    rows: null,
    bytes: null,
  };
  switch (kind) {
    case 'text':
      return {
        source: { ...base, format: 'csv', utf16: null },
        read: inMember(context.member, (options) => parseCsv(open, options)),
        bytesRead: packed,
      };
    case 'utf16le':
    case 'utf16be': {
      const endian = kind === 'utf16le' ? 'le' : 'be';
      return {
        source: { ...base, format: 'csv', utf16: endian },
        read: inMember(context.member, (options) => parseCsv(() => utf16ToUtf8(open(), endian), options)),
        bytesRead: packed,
      };
    }
    case 'gzip': {
      if (context.containers.length >= MAX_DEPTH) {
        throw new FileError(
          `${context.what} is packed more than ${MAX_DEPTH} times: unpack it first.`,
          'unsupported',
        );
      }
      // Count the gzip stream's own bytes as they are consumed, for its expansion check.
      let consumed = { bytes: 0 };
      const unpacked: Opener = () => {
        consumed = { bytes: 0 };
        const inner = gunzipped(context.options.platform, counted(open(), consumed));
        return guardExpansion(context.what, inner, () => consumed.bytes);
      };
      return openStream(unpacked, packed, { ...context, containers: [...context.containers, 'gzip'] });
    }
    case 'zip':
    case 'parquet': {
      // Both need random access (a directory or a footer at the end): unpack into memory, within a limit.
      if (context.containers.length === 0) throw new Error('random-access content reached the stream path');
      const bytes = await collect(open(), MAX_IN_MEMORY_BYTES, context.what);
      return openRandom(bytesAccess(bytes), context);
    }
    default:
      return refuseBinary(kind, context.member);
  }
}

/** Content that can be read at any offset (a file, or bytes in memory). */
async function openRandom(access: RandomAccess, context: Context): Promise<Table> {
  const head = await access.read(0, SNIFF_BYTES);
  const kind = sniff(head);
  if (kind === 'zip') {
    if (context.containers.length >= MAX_DEPTH) {
      throw new FileError(
        `${context.what} is packed more than ${MAX_DEPTH} times: unpack it first.`,
        'unsupported',
      );
    }
    // zip.js and hyparquet load only when a file needs them: a plain CSV never pays for their ~280 kB.
    const { chooseMember, openArchive } = await import('./zip');
    // The member asked for is the outermost archive's; an archive inside it gives up its only table. Looking at
    // every table (a few ms each, 2,000 tables in 15 s in a browser) is for choosing: a member asked for by name
    // is looked at alone.
    const wanted = context.containers.includes('zip') ? undefined : context.options.member;
    const archive = await openArchive(
      access,
      context.what,
      context.options.platform.inflateRaw,
      wanted === undefined,
    );
    const member = chooseMember(archive, context.what, wanted);
    await archive.look(member.name);
    // The file itself is the archive: the platform may unpack the member in another thread.
    const unzip = context.containers.length === 0 ? context.options.platform.unzipMember : undefined;
    let packed = () => 0;
    const open: Opener = () => {
      if (unzip) {
        const stream = unzip(member.name);
        packed = stream.packed;
        return stream.chunks;
      }
      const start = archive.bytesRead();
      packed = () => archive.bytesRead() - start;
      return archive.open(member.name);
    };
    // The listing unpacked the member's first bytes already: what it is needs no stream opened (in a browser,
    // no unzip worker started) just to look at them.
    const known = archive.head(member.name) ?? undefined;
    const table = await openStream(
      open,
      () => packed(),
      {
        ...context,
        what: `"${member.name}" in the archive`,
        containers: [...context.containers, 'zip'],
        member: member.name,
      },
      known,
    );
    // A zip inside this member named its own member: this archive's is the one that reads the file again.
    const nested = table.source.containers.slice(context.containers.length + 1).includes('zip');
    return {
      ...table,
      read: damageFirst(table.read, open, member.size),
      source: {
        ...table.source,
        member: member.name,
        inner: nested ? table.source.member : null,
        // The table's own size: for a zip inside this member, the inner member's, not the inner archive's.
        bytes: nested ? table.source.bytes : member.size,
      },
    };
  }
  if (kind === 'parquet') {
    const { openParquet } = await import('./parquet');
    const parquet = await openParquet(access, context.what);
    return {
      source: {
        format: 'parquet',
        containers: context.containers,
        member: context.member,
        inner: null,
        utf16: null,
        rows: parquet.rows,
        bytes: access.size,
      },
      read: inMember(context.member, (options, rows) => parquet.read(options, rows)),
      bytesRead: () => parquet.bytesRead(),
    };
  }
  let count = { bytes: 0 };
  const open: Opener = () => {
    count = { bytes: 0 };
    return counted(access.stream(), count);
  };
  // The head read above serves the sniff: no stream is opened and cancelled just for 8 bytes.
  const table = await openStream(open, () => count.bytes, context, head);
  return table.source.containers.length === context.containers.length
    ? { ...table, source: { ...table.source, bytes: access.size } }
    : table;
}

/**
 * Opens the table in a file. Rejects with a FileError when the file is not a table (an image, a workbook), is
 * damaged, encrypted or a zip bomb, or is a zip of several tables and no member was named (`choose-member`,
 * with the members listed best first), or a member was named and the file is not a zip archive (`no-member`). Errors of the table itself (CsvError, SchemaError) come from `read`.
 */
export async function openTable(access: RandomAccess, options: OpenOptions): Promise<Table> {
  const table = await openRandom(access, { options, what: 'This file', containers: [], member: null });
  if (options.member !== undefined && table.source.member === null) {
    // A member asked of a file that is not an archive: read as it is, the file would not be what was asked for.
    throw new FileError(
      `This file is not a zip archive, so it has no member "${options.member}" to read.`,
      'no-member',
    );
  }
  return table;
}
