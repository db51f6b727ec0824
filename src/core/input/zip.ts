/**
 * ZIP archives: @zip.js/zip.js reads the central directory at the end of the file (random access); a member's
 * packed bytes stream straight from the file through the platform's native DecompressionStream('deflate-raw'),
 * its CRC-32 and sizes checked here. Lists what the archive holds, refuses encrypted members, workbooks and zip
 * bombs, and streams one member.
 */
import { type Entry, type FileEntry, Reader, ZipReader } from '@zip.js/zip.js/lib/zip-core-native.js';
import crc32Package from 'crc-32';
import { FEATURE_COUNT, mapColumns, SchemaError } from '../schema';
import { checkExpansion, guardExpansion, MAX_ZIP_ENTRIES } from './limits';
import { inflateRaw } from './platform';
import { sniff, SNIFF_BYTES } from './sniff';
import { FileError, type MemberInfo, type RandomAccess } from './types';

/** CRC-32 (zip's, IEEE 802.3) of `bytes` continued from `crc`; SheetJS's crc-32, slice-by-16, about 1.5 GB/s. */
const crc32: (bytes: Uint8Array, crc: number) => number = crc32Package.buf;

/** Bytes of a member looked at to tell what it holds (its header line). */
const PEEK_BYTES = 64 * 1024;

/**
 * Packed bytes inflated at a time while looking at a member's head: the inflater unpacks each piece it is given
 * whole, so a 1 MiB read (2-3 MB unpacked, ~100 ms here) would be spent on a 64 KiB look.
 */
const PEEK_PACKED_BYTES = 16 * 1024;

/** zip.js's view of a RandomAccess, counting the bytes read (progress on the packed file). */
class AccessReader extends Reader<RandomAccess> {
  bytesRead = 0;

  constructor(private readonly source: RandomAccess) {
    super(source);
  }

  override async init(): Promise<void> {
    this.size = this.source.size;
  }

  override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
    const bytes = await this.source.read(index, index + length);
    this.bytesRead += bytes.length;
    return bytes;
  }
}

/** An archive's listing and how to stream its members. */
export interface Archive {
  /** Every file in it except folders and macOS metadata, tables first (see `orderMembers`). */
  members: MemberInfo[];
  /** Streams member `name` (unpacked), checking sizes as it goes. */
  open(name: string): AsyncIterable<Uint8Array>;
  /**
   * The first SNIFF_BYTES (8) bytes of member `name` (all of a smaller member) as the listing looked at them, for
   * telling what it is; null when it did not look (not a table, a gzip or encrypted member, an unreadable one, or
   * `look` was false). Only these are kept: an archive may list 10,000 tables.
   */
  head(name: string): Uint8Array | null;
  /** Looks at member `name` as the listing does with `look` (its MemberInfo.use, its head), if not done yet. */
  look(name: string): Promise<void>;
  /** Packed bytes of the archive read so far (progress against the file's size). */
  bytesRead(): number;
}

/** Members looked at for a table by their bytes when none is named as one (`-`, `data`). */
const UNNAMED_LOOKS = 8;

const TABLE_EXTENSIONS = ['.csv', '.tsv', '.txt', '.tab', '.csv.gz', '.tsv.gz', '.txt.gz'];
const PARQUET_EXTENSIONS = ['.parquet', '.pq', '.parq'];

function memberKind(name: string): MemberInfo['kind'] {
  const lower = name.toLowerCase();
  if (PARQUET_EXTENSIONS.some((e) => lower.endsWith(e))) return 'parquet';
  if (TABLE_EXTENSIONS.some((e) => lower.endsWith(e))) return 'csv';
  return 'other';
}

/** Folders, macOS resource forks (`__MACOSX/`, `._name`) and Finder files are not the user's data. */
function isNoise(entry: Entry): boolean {
  if (entry.directory) return true;
  const name = entry.filename;
  const base = name.slice(name.lastIndexOf('/') + 1);
  return name.startsWith('__MACOSX/') || base.startsWith('._') || base === '.DS_Store' || base === '';
}

/** Office documents are zips too: name them so the message says what to do. */
function officeDocument(names: string[]): string | null {
  const has = (test: (n: string) => boolean) => names.some(test);
  if (has((n) => n.startsWith('xl/')))
    return 'It is an Excel workbook (.xlsx): export the sheet as CSV (File > Save As > "CSV UTF-8").';
  if (has((n) => n === 'content.xml') && has((n) => n === 'mimetype'))
    return 'It is an OpenDocument file (.ods): export the sheet as CSV.';
  if (has((n) => n === '[Content_Types].xml'))
    return 'It is an Office document (.docx, .pptx or .xlsx): export the data as CSV.';
  return null;
}

const mb = (n: number) =>
  n < 1e5
    ? `${Math.max(1, Math.round(n / 1e3)).toLocaleString('en-US')} kB`
    : `${(n / 1e6).toLocaleString('en-US', { maximumFractionDigits: n < 1e7 ? 1 : 0 })} MB`;

/** "test.csv (289 MB)". */
function describeMember(m: MemberInfo): string {
  return `${m.name} (${mb(m.size)})`;
}

/** What zip.js's errors mean for the user. */
function zipProblem(error: unknown, what: string): unknown {
  if (error instanceof FileError) return error;
  const e = error as Error | null;
  if (e?.name === 'AbortError') return error;
  const message = e?.message ?? String(error);
  if (/end of central directory not found/i.test(message)) {
    return new FileError(
      `${what} is incomplete or damaged: its table of contents (at the end of a ZIP archive) is missing, as when a download stopped early. Download it again.`,
      'damaged',
    );
  }
  if (/encrypt/i.test(message)) {
    return new FileError(
      `${what} is encrypted (password-protected): unpack it with its password, then pick the file.`,
      'encrypted',
    );
  }
  if (/compression method|unsupported/i.test(message)) {
    return new FileError(
      `${what} uses a compression method this app cannot unpack (${message}): repack it as a standard .zip.`,
      'unsupported',
    );
  }
  return new FileError(
    `${what} is damaged (${message}). Download it again, or unpack it and pick the file itself.`,
    'damaged',
  );
}

/**
 * The header line of a text member's first bytes, split: enough to tell customers from labels from anything
 * else. Looks at the first few lines for one naming ID_code (a title or `sep=` line may come first).
 */
function useOf(head: Uint8Array): Pick<MemberInfo, 'use' | 'note'> {
  const kind = sniff(head);
  if (kind !== 'text' && kind !== 'utf16le' && kind !== 'utf16be') return { use: null };
  const label = kind === 'text' ? 'utf-8' : kind === 'utf16le' ? 'utf-16le' : 'utf-16be';
  const text = new TextDecoder(label).decode(head);
  const lines = text.split(/\r?\n/).slice(0, 10);
  // The last line may be cut off by the peek.
  if (lines.length > 1 && head.length >= PEEK_BYTES) lines.pop();
  for (const line of lines) {
    const delimiter = line.includes(',') ? ',' : line.includes(';') ? ';' : '\t';
    const names = line.split(delimiter).map((n) => n.trim().replace(/^"(.*)"$/, '$1'));
    if (!names.includes('ID_code')) continue;
    try {
      const columns = mapColumns(names);
      return { use: columns.targetIndex >= 0 ? 'evaluate' : 'score' };
    } catch (error) {
      const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? ', …' : '');
      const missing =
        error instanceof SchemaError ? error.columns.filter((c) => c.startsWith('var_')).length : 0;
      const why =
        missing === FEATURE_COUNT
          ? 'none of the 200 features'
          : missing > 0
            ? `${missing} of the 200 features missing`
            : (error as Error).message;
      return { use: 'none', note: `not a customer file (columns: ${shown}; ${why})` };
    }
  }
  const first = lines[0]?.slice(0, 60) ?? '';
  return { use: 'none', note: `no ID_code column in its first lines (it starts "${first}")` };
}

/**
 * Members in the order to offer them: customers to score, then labelled ones, then tables not looked at, then
 * tables that are not customer files, then other files; ties by a `test` name first, then by name.
 */
function orderMembers(members: MemberInfo[]): MemberInfo[] {
  const rank = (m: MemberInfo) =>
    m.kind === 'other' ? 4 : m.use === 'score' ? 0 : m.use === 'evaluate' ? 1 : m.use === null ? 2 : 3;
  const isTest = (m: MemberInfo) => (/(^|\/)test[^/]*$/i.test(m.name) ? 0 : 1);
  return [...members].sort(
    (a, b) => rank(a) - rank(b) || isTest(a) - isTest(b) || a.name.localeCompare(b.name),
  );
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;
const STORED = 0;
const DEFLATED = 8;

/** zip.js's own words for what it finds wrong with a member (zipProblem turns them into the user's message). */
const ERR_LOCAL_HEADER = 'Local file header not found';
const ERR_OUT_OF_BOUNDS = 'Entry data out of bounds';
const ERR_METHOD = 'Compression method not supported';
/** APPNOTE 4.4.5's names of the methods other tools write. */
const METHOD_NAMES: Record<number, string> = {
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  95: 'XZ',
  98: 'PPMd',
};
const ERR_SIZE = 'Invalid uncompressed size';
const ERR_CRC = 'Invalid CRC32';

/** Where a member's packed bytes start: after its local header (30 bytes, then its name and extra field). */
async function dataStart(source: RandomAccess, entry: FileEntry, end: number): Promise<number> {
  const offset = entry.offset;
  const header = await source.read(offset, offset + LOCAL_HEADER_BYTES);
  const view = new DataView(header.buffer, header.byteOffset, header.length);
  if (header.length < LOCAL_HEADER_BYTES || view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) {
    throw new Error(ERR_LOCAL_HEADER);
  }
  const start = offset + LOCAL_HEADER_BYTES + view.getUint16(26, true) + view.getUint16(28, true);
  if (start + entry.compressedSize > end) throw new Error(ERR_OUT_OF_BOUNDS);
  return start;
}

/**
 * A member's unpacked bytes, streamed straight from the archive's bytes: the packed bytes through `inflate`
 * (DecompressionStream('deflate-raw') in the browser, zlib in the CLI), or as they are for a stored member; the
 * CRC-32 and the unpacked size the directory declares are checked at the end. zip.js's own pipeline re-chunks
 * the bytes through several streams and took about twice as long as the inflater alone. `counted` adds the
 * packed bytes consumed (progress, expansion check). Each chunk is valid until the next one is asked for.
 */
async function* memberBytes(
  source: RandomAccess,
  entry: FileEntry,
  end: number,
  inflate: Inflate,
  counted: (bytes: number) => void,
  pieceBytes?: number,
): AsyncGenerator<Uint8Array> {
  const method = entry.compressionMethod;
  if (method !== STORED && method !== DEFLATED) {
    throw new Error(`${ERR_METHOD}: ${METHOD_NAMES[method] ?? 'unknown'}, method ${method}`);
  }
  const start = await dataStart(source, entry, end);
  const read = source.stream(start, start + entry.compressedSize);
  const packed = counting(pieceBytes ? pieces(read, pieceBytes) : read, counted);
  const unpacked = method === STORED ? packed : inflate(packed);
  let crc = 0;
  let size = 0;
  for await (const chunk of unpacked) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    yield chunk;
  }
  if (size !== entry.uncompressedSize) throw new Error(ERR_SIZE);
  if (crc >>> 0 !== entry.signature) throw new Error(ERR_CRC);
}

/** Each chunk cut into pieces of at most `size` bytes (views of it, valid as long as the chunk). */
async function* pieces(chunks: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += size) yield chunk.subarray(at, at + size);
  }
}

async function* counting(
  chunks: AsyncIterable<Uint8Array>,
  counted: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    counted(chunk.length);
    yield chunk;
  }
}

/** A raw-deflate inflater (Platform.inflateRaw). */
type Inflate = (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

/**
 * Reads a ZIP archive's directory. `what` names the archive in messages; `inflate` unpacks deflated members
 * (DecompressionStream('deflate-raw') unless the platform has its own). With `look` (the default), the first
 * 64 KiB of each table are unpacked to tell what it holds (MemberInfo.use, Archive.head) and the members are
 * listed best first; a reader that already knows which member it wants passes false (then Archive.look looks at
 * that one alone). Refuses a damaged directory, Office documents, an archive of too many entries, and members
 * whose declared sizes are beyond the limits.
 * Members inflate in the calling thread (a browser streams a big one from a worker: Platform.unzipMember).
 */
export async function openArchive(
  source: RandomAccess,
  what: string,
  inflate: Inflate = inflateRaw,
  look = true,
): Promise<Archive> {
  const reader = new AccessReader(source);
  let entries: Entry[];
  // Members' data lie before the directory.
  let dataEnd = source.size;
  try {
    const zip = new ZipReader(reader);
    entries = [];
    for await (const entry of zip.getEntriesGenerator()) {
      entries.push(entry);
      if (entries.length > MAX_ZIP_ENTRIES) {
        throw new FileError(
          `${what} lists more than ${MAX_ZIP_ENTRIES.toLocaleString('en-US')} files: unpack it and pick the customer file itself.`,
          'too-large',
        );
      }
    }
    dataEnd = Math.min(dataEnd, zip.directoryOffset ?? dataEnd);
  } catch (error) {
    throw zipProblem(error, what);
  }
  const office = officeDocument(entries.map((e) => e.filename));
  if (office) throw new FileError(`${what} is not a customer file. ${office}`, 'not-a-table');
  const files = new Map<string, FileEntry>();
  // Names the directory lists more than once (zip allows it): which entry is meant cannot be told.
  const repeated = new Map<string, number>();
  for (const entry of entries) {
    if (isNoise(entry) || entry.directory) continue;
    const name = entry.filename;
    if (files.has(name)) repeated.set(name, (repeated.get(name) ?? 1) + 1);
    files.set(name, entry);
  }
  const members: MemberInfo[] = [...files.values()].map((e) => ({
    name: e.filename,
    size: e.uncompressedSize,
    compressedSize: e.compressedSize,
    kind: memberKind(e.filename),
    use: null,
  }));

  const heads = new Map<string, Uint8Array>();
  /** Member `name`'s bytes; `pieceBytes` cuts the packed bytes into pieces of that size before inflating. */
  const stream = (name: string, pieceBytes?: number): AsyncIterable<Uint8Array> => {
    const entry = files.get(name);
    if (!entry) throw new FileError(`${what} has no member "${name}".`, 'no-member');
    const label = `"${name}" in the archive`;
    const times = repeated.get(name);
    if (times !== undefined) {
      throw new FileError(
        `${what} holds ${times} files named "${name}", so which one is meant cannot be told: unpack it and pick the file itself.`,
        'unsupported',
      );
    }
    if (entry.encrypted) {
      throw new FileError(
        `${label} is encrypted (password-protected): unpack it with its password, then pick the file.`,
        'encrypted',
      );
    }
    checkExpansion(label, entry.compressedSize, entry.uncompressedSize);
    let packed = 0;
    const counted = (bytes: number) => {
      packed += bytes;
      reader.bytesRead += bytes;
    };
    return (async function* () {
      try {
        yield* guardExpansion(
          label,
          memberBytes(source, entry, dataEnd, inflate, counted, pieceBytes),
          () => packed,
          entry.uncompressedSize,
        );
      } catch (error) {
        throw zipProblem(error, label);
      }
    })();
  };
  const looked = new Set<string>();
  /** A member's first PEEK_BYTES or so, unpacked (inflating a few KiB of packed bytes at a time). */
  const peek = async (name: string): Promise<Uint8Array> => {
    let head = new Uint8Array(0);
    for await (const chunk of stream(name, PEEK_PACKED_BYTES)) {
      const grown = new Uint8Array(head.length + chunk.length);
      grown.set(head);
      grown.set(chunk, head.length);
      head = grown;
      if (head.length >= PEEK_BYTES) break;
    }
    return head;
  };
  /** Looks at a table's first line (a few KiB unpacked), so the choice can say what it is. */
  const lookAt = async (m: MemberInfo) => {
    if (looked.has(m.name)) return;
    looked.add(m.name);
    if (m.kind !== 'csv' || files.get(m.name)!.encrypted || /\.gz$/i.test(m.name)) return;
    try {
      const head = await peek(m.name);
      heads.set(m.name, head.slice(0, SNIFF_BYTES));
      Object.assign(m, useOf(head.subarray(0, PEEK_BYTES)));
    } catch {
      // A member that cannot be read shows its problem when it is picked.
    }
  };
  /**
   * A member whose name says nothing (`-`, the name `zip - -` gives what it read from a pipe; `data`): its bytes
   * decide. A Parquet file, or text whose header names ID_code, becomes a table to offer.
   */
  const lookAtUnnamed = async (m: MemberInfo) => {
    if (files.get(m.name)!.encrypted || m.size === 0) return;
    try {
      const head = await peek(m.name);
      const kind = sniff(head);
      if (kind === 'parquet') m.kind = 'parquet';
      else if (kind === 'text' || kind === 'utf16le' || kind === 'utf16be') {
        const use = useOf(head.subarray(0, PEEK_BYTES));
        if (use.use !== 'score' && use.use !== 'evaluate') return;
        Object.assign(m, { kind: 'csv' }, use);
        heads.set(m.name, head.slice(0, SNIFF_BYTES));
        looked.add(m.name);
      }
    } catch {
      // As above: left as a file that is not a table.
    }
  };
  const archive: Archive = {
    members,
    bytesRead: () => reader.bytesRead,
    open: (name) => stream(name),
    head: (name) => heads.get(name) ?? null,
    async look(name) {
      const m = members.find((e) => e.name === name);
      if (m) await lookAt(m);
    },
  };
  if (look) for (const m of members) await lookAt(m);
  // No member named as a table holds customers (none is named so, or those that are, a readme.txt, are not
  // customer files): the first few others are looked at by content.
  if (!members.some((m) => m.kind !== 'other' && m.use !== 'none')) {
    for (const m of members.filter((e) => e.kind === 'other').slice(0, UNNAMED_LOOKS)) await lookAtUnnamed(m);
  }
  archive.members = orderMembers(members);
  return archive;
}

/**
 * The member to read: the one named (exact path, then any case, then a unique file name without folders), or
 * the only table, or a FileError asking for a choice (`choose-member`, members listed best first).
 */
export function chooseMember(archive: Archive, what: string, wanted?: string): MemberInfo {
  const { members } = archive;
  const list = () => members.map(describeMember).join(', ');
  if (wanted !== undefined) {
    const lower = wanted.toLowerCase();
    const base = (n: string) => n.slice(n.lastIndexOf('/') + 1).toLowerCase();
    const byBase = members.filter((m) => base(m.name) === lower);
    const found =
      members.find((m) => m.name === wanted) ??
      members.find((m) => m.name.toLowerCase() === lower) ??
      (byBase.length === 1 ? byBase[0] : undefined);
    if (!found) {
      throw new FileError(`${what} has no member "${wanted}"; it holds: ${list()}.`, 'no-member', members);
    }
    return found;
  }
  const tables = members.filter((m) => m.kind !== 'other');
  const customers = tables.filter((m) => m.use !== 'none');
  if (customers.length === 1) return customers[0];
  if (tables.length === 1) return tables[0];
  if (tables.length === 0) {
    throw new FileError(
      `${what} holds no CSV or Parquet file${members.length > 0 ? ` (it holds: ${list()})` : ' (it is empty)'}.`,
      'no-member',
      members,
    );
  }
  throw new FileError(
    `${what} holds ${tables.length} tables: ${tables.map(describeMember).join(', ')}. Choose one.`,
    'choose-member',
    members,
  );
}
