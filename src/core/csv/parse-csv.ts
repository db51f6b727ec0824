/** parseCsv: reads the header, picks the fast path or papaparse, streams rows into batches. */
import { withRoom } from '../grow';
import { describeKind, sniff } from '../input/sniff';
import { mapColumns } from '../schema';
import { FastParser, lineTooLong } from './fast-path';
import { readWithPapa } from './papa-path';
import { RowSink } from './row-sink';
import { CsvError, type ParseInfo, type ParseOptions, type ParseSummary } from './types';

/** Default longest line: a real row is about 2.5 KB, so anything near this is not a customer file. */
export const MAX_LINE_BYTES = 1 << 20;

const LF = 10;
const QUOTE = 34;

/** Raised inside the fast path when a quote shows up after rows were handed out. */
class RestartWithPapa {}

/** The byte source of one run: counts bytes, reports progress, honours the abort signal. */
export class ByteSource {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private done = false;
  bytes = 0;

  constructor(
    open: () => AsyncIterable<Uint8Array>,
    private readonly options: ParseOptions,
  ) {
    this.iterator = open()[Symbol.asyncIterator]();
  }

  /** The next non-empty chunk, or null at the end. */
  async next(): Promise<Uint8Array | null> {
    const signal = this.options.signal;
    for (;;) {
      signal?.throwIfAborted();
      if (this.done) return null;
      const result = await this.iterator.next();
      signal?.throwIfAborted();
      if (result.done) {
        this.done = true;
        return null;
      }
      // An ArrayBuffer is accepted too (some stream sources hand those out).
      const chunk: Uint8Array =
        result.value instanceof Uint8Array ? result.value : new Uint8Array(result.value);
      if (chunk.length === 0) continue;
      this.bytes += chunk.length;
      this.options.onProgress?.(this.bytes);
      return chunk;
    }
  }

  /** Stops the underlying stream early (closes the file); never throws, so it cannot hide the real error. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.iterator.return?.();
    } catch {
      // The stream failing while being cancelled changes nothing for the caller.
    }
  }
}

/** The first line and what it tells. */
export interface Head {
  /** The bytes read so far from the header line on (perhaps with skipped lines or a BOM before `start`). */
  buf: Uint8Array;
  /** Where the header starts (after a BOM and any blank lines). */
  start: number;
  /** Where the first data line starts (buf.length when nothing follows the header yet). */
  dataStart: number;
  header: string;
  bom: boolean;
  delimiter: ParseInfo['delimiter'];
  /** A '"' occurs in the bytes read so far. */
  hasQuote: boolean;
}

/**
 * Names what a non-text file probably is, for the message (src/core/input knows the signatures; files opened
 * through it never get here with a gzip, zip, Parquet or UTF-16 file, the reader alone may).
 */
function notTextError(buf: Uint8Array, detail: string): CsvError {
  const kind = describeKind(sniff(buf));
  return new CsvError(
    `This is not a CSV text file (${detail} in the first line). ${kind}`.trim(),
    'not-text',
  );
}

const isBlankByte = (b: number) => b === 32 || b === 9 || b === 13;

/**
 * Reads up to the end of the header line (the first line that is not blank) and checks that the file is text.
 * Blank lines before it are skipped; a file of blank lines is empty.
 */
export async function readHead(source: ByteSource, maxLine: number): Promise<Head> {
  // A growing store (doubling: a header may come in many small chunks); buf views its filled part.
  let store = new Uint8Array(0);
  let buf = store;
  let eof = false;
  const more = async () => {
    const chunk = await source.next();
    if (chunk === null) {
      eof = true;
      return;
    }
    store = withRoom(store, buf.length, buf.length + chunk.length);
    store.set(chunk, buf.length);
    buf = store.subarray(0, buf.length + chunk.length);
  };
  while (buf.length < 4 && !eof) await more();
  // The first bytes name the file type in messages.
  const magic = buf.slice(0, 8);
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  let start = bom ? 3 : 0;
  let searched = start;
  let line: Uint8Array;
  let lf: number;
  for (;;) {
    lf = buf.indexOf(LF, searched);
    if (lf < 0 && !eof) {
      // The CR of a CRLF may be held on top of the limit.
      if (buf.length - start > maxLine + 1) throw lineTooLong(0, maxLine);
      // Drop the blank lines already skipped before the buffer grows.
      if (start > 0) {
        store.copyWithin(0, start, buf.length);
        buf = store.subarray(0, buf.length - start);
        start = 0;
      }
      searched = buf.length;
      await more();
      continue;
    }
    const eol = lf < 0 ? buf.length : lf;
    const lineEnd = eol > start && buf[eol - 1] === 13 ? eol - 1 : eol;
    if (lineEnd - start > maxLine) throw lineTooLong(0, maxLine);
    line = buf.subarray(start, lineEnd);
    if (!line.every(isBlankByte)) break;
    if (lf < 0) throw new CsvError('The file is empty.', 'empty-file');
    start = searched = lf + 1;
  }
  const control = line.findIndex((b) => b < 32 && b !== 9);
  if (control >= 0) {
    if (line[control] === 13) {
      throw new CsvError(
        'The lines end with a lone CR (classic Mac line breaks): save the file with LF or CRLF line breaks.',
        'not-text',
      );
    }
    throw notTextError(magic, 'control bytes');
  }
  let header: string;
  try {
    header = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(line);
  } catch {
    throw notTextError(magic, 'bytes that are not UTF-8');
  }
  // Sniffed from the header only: ',' else ';' else tab.
  const delimiter = header.includes(',')
    ? ','
    : header.includes(';')
      ? ';'
      : header.includes('\t')
        ? '\t'
        : ',';
  return {
    buf,
    start,
    dataStart: lf < 0 ? buf.length : lf + 1,
    header,
    bom,
    delimiter,
    hasQuote: buf.indexOf(QUOTE, start) >= 0,
  };
}

function noRows(): CsvError {
  return new CsvError('The file has a header but no data rows.', 'no-rows');
}

async function readFast(source: ByteSource, head: Head, options: ParseOptions, maxLine: number) {
  const headerFields = head.header.split(',');
  const columns = mapColumns(headerFields, { requireTarget: options.requireTarget });
  const info: ParseInfo = { columns, delimiter: ',', decimalComma: false, parser: 'fast', bom: head.bom };
  options.onInfo?.(info);
  const sink = new RowSink(columns, headerFields, options);
  const parser = new FastParser(sink, maxLine);
  // The unfinished last line of the previous chunk.
  let carry = new Uint8Array(Math.min(64 * 1024, maxLine + 2));
  let carryLength = 0;

  const appendCarry = (chunk: Uint8Array, from: number, to: number) => {
    const need = carryLength + to - from;
    // Room for a CR and the LF added to the last line; parseLines applies the exact limit.
    if (need > maxLine + 2) throw lineTooLong(sink.row, maxLine);
    if (need > carry.length) {
      const grown = new Uint8Array(Math.min(Math.max(need, carry.length * 2), maxLine + 2));
      grown.set(carry.subarray(0, carryLength));
      carry = grown;
    }
    carry.set(chunk.subarray(from, to), carryLength);
    carryLength = need;
  };
  const lines = async (buf: Uint8Array, from: number, to: number) => {
    while (from < to) {
      from = parser.parseLines(buf, from, to);
      if (sink.full) {
        await sink.flush();
        options.signal?.throwIfAborted();
      }
    }
  };
  const feed = async (chunk: Uint8Array, from: number) => {
    if (carryLength > 0) {
      const nl = chunk.indexOf(LF, from);
      if (nl < 0) {
        appendCarry(chunk, from, chunk.length);
        return;
      }
      appendCarry(chunk, from, nl + 1);
      const length = carryLength;
      carryLength = 0;
      await lines(carry, 0, length);
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= from) {
      await lines(chunk, from, last + 1);
      from = last + 1;
    }
    if (from < chunk.length) appendCarry(chunk, from, chunk.length);
  };

  await feed(head.buf, head.dataStart);
  for (let chunk = await source.next(); chunk !== null; chunk = await source.next()) {
    // Checked before anything from this chunk is handed out.
    if (chunk.indexOf(QUOTE) >= 0) throw new RestartWithPapa();
    await feed(chunk, 0);
  }
  if (carryLength > 0) {
    // The last line has no '\n': add one, the number loop needs it as an end mark.
    appendCarry(Uint8Array.of(LF), 0, 1);
    await lines(carry, 0, carryLength);
  }
  await sink.flush(true);
  if (sink.rows === 0) throw noRows();
  return { ...info, rows: sink.rows, bytes: source.bytes, issueCount: sink.issueCount };
}

/**
 * Streams a CSV file into batches of typed arrays (see README.md for the cell rules). `open` is called again
 * when a '"' shows up after the fast path has handed out rows: onRestart is called and papaparse starts over.
 * Rejects with CsvError (whole-file problems), SchemaError (columns) or the abort reason.
 */
export async function parseCsv(
  open: () => AsyncIterable<Uint8Array>,
  options: ParseOptions,
): Promise<ParseSummary> {
  options.signal?.throwIfAborted();
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  let source = new ByteSource(open, options);
  try {
    let head = await readHead(source, maxLine);
    if (options.parser !== 'papaparse' && head.delimiter === ',' && !head.hasQuote) {
      try {
        return await readFast(source, head, options, maxLine);
      } catch (error) {
        if (!(error instanceof RestartWithPapa)) throw error;
      }
      await source.close();
      options.onRestart?.();
      source = new ByteSource(open, options);
      head = await readHead(source, maxLine);
    }
    const summary = await readWithPapa(source, head, options, maxLine);
    if (summary.rows === 0) throw noRows();
    return summary;
  } finally {
    await source.close();
  }
}
