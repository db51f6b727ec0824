/** parseCsv: reads the header block, picks the fast path or papaparse and the encoding, streams rows into batches. */
import { withRoom } from '../grow';
import { describeKind, sniff } from '../input/sniff';
import { FEATURE_NAMES, ID_COLUMN, mapColumns, SchemaError, withoutInvisible } from '../schema';
import { cutValue } from './cell';
import { ByteSource, type Head, lineTooLong, MAX_LINE_BYTES } from './byte-source';
import { FastParser } from './fast-path';
import { KERNEL_INPUT_AT, CsvKernel } from './csv-kernel';
import { readWithPapa } from './papa-path';
import { noRows, RowSink, summaryOf } from './row-sink';
import { NotUtf8, TextRules } from './text-encoding';
import {
  CsvError,
  type Delimiter,
  type ParseInfo,
  type ParseOptions,
  type ParseSummary,
  type TextEncodingName,
} from './types';

const LF = 10;
const QUOTE = 34;
/** Most bytes the fast path copies into its kernel's memory at a time. */
const KERNEL_SLICE_BYTES = 4 << 20;

/** Raised inside the fast path when a quote shows up after rows were handed out. */
class RestartWithPapa {}

function startsWith(buf: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
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

/** Non-blank lines searched for the header ("the first few lines": titles, comments, export banners). */
const HEADER_SEARCH_LINES = 10;

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** A UTF-8 byte order mark as the Windows-1252 transcoder turns it out ("ï»¿" in UTF-8). */
const BOM_AS_WINDOWS_1252 = [0xc3, 0xaf, 0xc2, 0xbb, 0xc2, 0xbf];

/** Excel's first-line hint naming the separator: `sep=;` (Excel also reads it quoted). */
const SEP_HINT = /^"?sep=(.)"?$/i;
const HINTED: Record<string, Delimiter> = { ',': ',', ';': ';', '\t': '\t', '|': '|' };

/** The separator of a header line: ',' if it has one, else ';', else tab, else '|'. */
function sniffDelimiter(line: string): Delimiter {
  for (const d of [',', ';', '\t', '|'] as const) if (line.includes(d)) return d;
  return ',';
}

/**
 * The names a line would give as a header (trimmed, quotes around a name removed), for finding the header: a
 * name with invisible characters (`ID_code` + U+200B) counts as its visible name here, so the header is found
 * and the column check says what is wrong with that name.
 */
function namesOf(line: string, delimiter: Delimiter): string[] {
  return line.split(delimiter).map((raw) => {
    const name = withoutInvisible(raw).trim();
    return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
  });
}

const FEATURE_SET = new Set(FEATURE_NAMES);

/** One line of the header block. */
interface HeadLine {
  /** 1-based line number in the file. */
  number: number;
  start: number;
  /** After its LF, or buf.length for a last line without one. */
  next: number;
  text: string;
}

/**
 * Reads the header block: blank lines, an Excel `sep=X` line, title or comment lines, then the header: the
 * first line naming ID_code among the first HEADER_SEARCH_LINES non-blank lines. When none does, the first line
 * naming a feature column (else the first line) is taken, and mapColumns' error says so. Checks that the file is
 * text; a header block that is not UTF-8 throws NotUtf8 in a UTF-8 run.
 */
async function readHead(
  source: ByteSource,
  maxLine: number,
  rules: TextRules,
  requireTarget?: boolean,
  targetColumn?: string,
): Promise<Head> {
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
  while (buf.length < BOM_AS_WINDOWS_1252.length && !eof) await more();
  // The first bytes name the file type in messages.
  const magic = buf.slice(0, 8);
  const bomBytes = source.encoding === 'utf-8' ? UTF8_BOM : BOM_AS_WINDOWS_1252;
  const bom = startsWith(buf, bomBytes);
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const lines: HeadLine[] = [];
  let hint: Delimiter | null = null;
  let hintIgnored = false;
  let found: HeadLine | null = null;
  let pos = bom ? bomBytes.length : 0;
  // More byte order marks right after the first (a file with one decoded as text and saved with one again): an
  // encoding artefact, skipped like the first, and the notes say so. Left in, the second would be part of the
  // first column's name.
  let extraBoms = 0;
  while (bom) {
    while (buf.length < pos + bomBytes.length && !eof) await more();
    if (!startsWith(buf.subarray(pos), bomBytes)) break;
    pos += bomBytes.length;
    extraBoms++;
  }
  let number = 0;
  let searched = pos;
  while (found === null && lines.length < HEADER_SEARCH_LINES) {
    const lf = buf.indexOf(LF, searched);
    if (lf < 0 && !eof) {
      // The CR of a CRLF may be held on top of the limit.
      if (buf.length - pos > maxLine + 1) {
        if (lines.length === 0) throw lineTooLong(0, maxLine);
        break; // a long line after the first: the search stops, and the row reader refuses it
      }
      searched = buf.length;
      await more();
      continue;
    }
    if (lf < 0 && pos >= buf.length) break;
    const eol = lf < 0 ? buf.length : lf;
    const next = lf < 0 ? buf.length : lf + 1;
    const lineEnd = eol > pos && buf[eol - 1] === 13 ? eol - 1 : eol;
    number++;
    if (lineEnd - pos > maxLine) {
      if (lines.length === 0) throw lineTooLong(0, maxLine);
      break;
    }
    const bytes = buf.subarray(pos, lineEnd);
    const start = pos;
    pos = searched = next;
    if (bytes.every(isBlankByte)) {
      if (lf < 0) break;
      continue;
    }
    // The whole head read so far names the kind: a tar archive's signature is at byte 257.
    if (lines.length === 0) checkFirstLine(bytes, buf);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      // A known binary signature is named; other bytes that are not UTF-8 may be Windows-1252 text.
      if (lines.length === 0 && sniff(magic) !== 'text')
        throw notTextError(magic, 'bytes that are not UTF-8');
      throw new NotUtf8();
    }
    const line: HeadLine = { number, start, next, text };
    lines.push(line);
    const sep = lines.length === 1 ? SEP_HINT.exec(text.trim()) : null;
    if (sep && HINTED[sep[1]]) {
      hint = HINTED[sep[1]];
      continue;
    }
    if (namesOf(text, hint ?? sniffDelimiter(text)).includes(ID_COLUMN)) found = line;
    else if (hint !== null && namesOf(text, sniffDelimiter(text)).includes(ID_COLUMN)) {
      // The content decides: a `sep=;` line above a comma-separated header (edited by hand, or joined from
      // another file) would give one column named "ID_code,var_0,…". Read with the header's own separator and say so.
      hintIgnored = true;
      hint = null;
      found = line;
    }
    if (lf < 0) break;
  }
  const hinted = hint !== null || hintIgnored;
  const candidates = lines.filter((l, i) => !(i === 0 && hinted));
  if (candidates.length === 0) {
    if (lines.length === 0) throw new CsvError('The file is empty.', 'empty-file');
    throw new CsvError(`Line ${lines[0].number} names the separator, but no header follows it.`, 'no-rows');
  }
  const headerLine =
    found ??
    candidates.find((l) => namesOf(l.text, hint ?? sniffDelimiter(l.text)).some((n) => FEATURE_SET.has(n))) ??
    candidates[0];
  const skipped = lines.filter((l) => l.number < headerLine.number);
  for (const l of [...skipped, headerLine]) rules.line(l.text, l.number);
  const header = headerLine.text;
  const delimiter = hint ?? sniffDelimiter(header);
  const info: Head['info'] = {
    delimiter,
    bom,
    extraBoms,
    encoding: source.encoding,
    headerLine: headerLine.number,
    skippedLines: skipped.map((l) => ({
      line: l.number,
      text: cutValue(l.text),
      reason: hinted && l === lines[0] ? (hintIgnored ? 'sep-ignored' : 'sep') : 'above-header',
    })),
  };
  const searchedLines = lines.length;
  return {
    buf,
    start: headerLine.start,
    dataStart: headerLine.next,
    header,
    delimiter,
    hasQuote: buf.indexOf(QUOTE, headerLine.start) >= 0,
    info,
    mapColumns(fields) {
      try {
        return mapColumns(fields, { requireTarget, targetColumn });
      } catch (error) {
        if (!(error instanceof SchemaError)) throw error;
        const why =
          found === null
            ? `Line ${headerLine.number} was taken for the header: none of the first ${searchedLines} lines names ${ID_COLUMN}.`
            : skipped.length > 0
              ? `(The header is line ${headerLine.number}; the lines above it were skipped.)`
              : '';
        throw why ? new SchemaError(`${error.message} ${why}`, error.columns) : error;
      }
    },
  };
}

/** The first line of a text file has no control bytes (a lone CR means classic Mac line breaks). */
function checkFirstLine(line: Uint8Array, head: Uint8Array): void {
  const control = line.findIndex((b) => b < 32 && b !== 9);
  if (control < 0) return;
  if (line[control] === 13) {
    throw new CsvError(
      'The lines end with a lone CR (classic Mac line breaks): save the file with LF or CRLF line breaks.',
      'not-text',
    );
  }
  throw notTextError(head, 'control bytes');
}

async function readFast(
  source: ByteSource,
  head: Head,
  options: ParseOptions,
  maxLine: number,
  rules: TextRules,
): Promise<ParseSummary> {
  const headerFields = head.header.split(',');
  const columns = head.mapColumns(headerFields);
  const info: ParseInfo = { ...head.info, columns, parser: 'fast' };
  options.onInfo?.(info);
  const sink = new RowSink(columns, headerFields, options, rules);
  const kernel = new CsvKernel();
  const parser = new FastParser(sink, maxLine, kernel);
  // The bytes not parsed yet sit in the kernel's memory from KERNEL_INPUT_AT on: the unfinished last line of the
  // previous chunk (`carry` bytes), then the next slice of the file.
  let carry = 0;
  const lines = async (from: number, to: number) => {
    while (from < to) {
      from = parser.parseLines(kernel.bytes, from, to);
      if (sink.full) {
        await sink.flush();
        options.signal?.throwIfAborted();
      }
    }
  };
  const feedSlice = async (slice: Uint8Array, quotes: boolean) => {
    const length = carry + slice.length;
    kernel.reserve(length).set(slice, KERNEL_INPUT_AT + carry);
    const end = KERNEL_INPUT_AT + length;
    // Checked before anything from this slice is handed out.
    if (quotes && kernel.find(KERNEL_INPUT_AT + carry, end, QUOTE) >= 0) throw new RestartWithPapa();
    // The carry has no LF: only the new bytes are searched.
    const lf = kernel.bytes.subarray(KERNEL_INPUT_AT + carry, end).lastIndexOf(LF);
    let rest = KERNEL_INPUT_AT;
    if (lf >= 0) {
      rest = KERNEL_INPUT_AT + carry + lf + 1;
      await lines(KERNEL_INPUT_AT, rest);
    }
    carry = end - rest;
    // Room for a CR and the LF added to the last line; parseLines applies the exact limit.
    if (carry > maxLine + 2) throw lineTooLong(sink.row, maxLine);
    if (rest > KERNEL_INPUT_AT) kernel.bytes.copyWithin(KERNEL_INPUT_AT, rest, end);
  };
  // In slices, so the kernel's memory stays near a slice and a line whatever chunks the source hands out.
  // The header's bytes were checked for quotes by readHead; every later slice is checked here.
  const feed = async (chunk: Uint8Array, from: number, quotes: boolean) => {
    for (let at = from; at < chunk.length; at += KERNEL_SLICE_BYTES)
      await feedSlice(chunk.subarray(at, Math.min(chunk.length, at + KERNEL_SLICE_BYTES)), quotes);
  };

  await feed(head.buf, head.dataStart, false);
  for (let chunk = await source.next(); chunk !== null; chunk = await source.next())
    await feed(chunk, 0, true);
  if (carry > 0) {
    // The last line has no '\n': add one, the number loops need it as an end mark.
    kernel.reserve(carry + 1)[KERNEL_INPUT_AT + carry] = LF;
    await lines(KERNEL_INPUT_AT, KERNEL_INPUT_AT + carry + 1);
  }
  // The run of end-of-file marks the file ended with (ByteSource held it back): counted as a mark line is.
  if (source.endMarks > 0) sink.endOfFileMark();
  await sink.flush(true);
  if (sink.rows === 0) throw noRows(sink);
  return summaryOf(info, sink, source.bytes);
}

/**
 * Streams a CSV file into batches of typed arrays (see README.md for the cell rules). `open` is called again
 * when the file must be read again from the top: a '"' after the fast path has handed out rows (papaparse
 * starts over), or bytes that are not UTF-8 (the file is read as Windows-1252); onRestart is called first when
 * anything was handed out. Rejects with CsvError (whole-file problems), SchemaError (columns) or the abort reason.
 */
export async function parseCsv(
  open: () => AsyncIterable<Uint8Array>,
  options: ParseOptions,
): Promise<ParseSummary> {
  options.signal?.throwIfAborted();
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  let encoding: TextEncodingName = 'utf-8';
  let papa = options.parser === 'papaparse';
  let handedOut = false;
  const run: ParseOptions = {
    ...options,
    onInfo(info) {
      handedOut = true;
      options.onInfo?.(info);
    },
  };
  for (;;) {
    const source = new ByteSource(open, run, encoding);
    const rules = new TextRules(encoding);
    try {
      const head = await readHead(source, maxLine, rules, options.requireTarget, options.targetColumn);
      if (!papa && head.delimiter === ',' && !head.hasQuote) {
        return await readFast(source, head, run, maxLine, rules);
      }
      return await readWithPapa(source, head, run, maxLine, rules);
    } catch (error) {
      if (error instanceof RestartWithPapa) papa = true;
      else if (error instanceof NotUtf8 && encoding === 'utf-8') encoding = 'windows-1252';
      else throw error;
    } finally {
      await source.close();
    }
    if (handedOut) {
      handedOut = false;
      options.onRestart?.();
    }
  }
}
