/** The general path: papaparse over decoded text, for quotes, ';' or tab delimiters and anything odd. */
import Papa from 'papaparse';
import { type ByteSource, type Head, lineTooLong } from './byte-source';
import { noRows, RowSink, summaryOf } from './row-sink';
import { NotUtf8, type TextRules } from './text-encoding';
import type { ParseInfo, ParseOptions, ParseSummary } from './types';

/** Parses what `head` holds and the rest of `source` with papaparse's streaming parser. */
export async function readWithPapa(
  source: ByteSource,
  head: Head,
  options: ParseOptions,
  maxLine: number,
  rules: TextRules,
): Promise<ParseSummary> {
  const delimiter = head.delimiter;
  // The BOM is already skipped by byte; a BOM later in the file is data, as on the fast path. Fatal: bytes that
  // are not UTF-8 send the file to a Windows-1252 run (a Windows-1252 run only ever sees UTF-8).
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? utf8.decode(chunk, { stream: true }) : utf8.decode();
    } catch {
      throw new NotUtf8();
    }
  };
  // Papa.Parser is papaparse's own streaming core: parse(text, 0, true) keeps the unfinished last row
  // (including a quoted field with line breaks) for the next call, as its ChunkStreamer does.
  // newline is fixed to '\n' (a CR before it is stripped below) so mixed line ends read as on the fast path.
  const parser = new Papa.Parser({ delimiter, newline: '\n', quoteChar: '"' });
  let carry = '';
  let info: ParseInfo | null = null;
  let sink: RowSink | null = null;

  const feed = async (text: string, last: boolean) => {
    const input = carry.length > 0 ? carry + text : text;
    const result = parser.parse(input, 0, !last) as Papa.ParseResult<string[]>;
    carry = last ? '' : input.slice(result.meta.cursor);
    for (const row of result.data) {
      const end = row.length - 1;
      if (row[end].endsWith('\r')) row[end] = row[end].slice(0, -1);
      if (sink === null) {
        const columns = head.mapColumns(row);
        info = { ...head.info, columns, parser: 'papaparse' };
        options.onInfo?.(info);
        sink = new RowSink(columns, row, options, rules);
        continue;
      }
      // A long row can only be in a long input: measure only then.
      if (input.length > maxLine && row.reduce((n, field) => n + field.length + 1, -1) > maxLine) {
        throw lineTooLong(sink.row, maxLine);
      }
      sink.addFields(row);
      if (sink.full) {
        await sink.flush();
        options.signal?.throwIfAborted();
      }
    }
    // After this input's complete rows: the unfinished line is the row after them (checked before them, a long
    // last line in one chunk with the rows above it was named as the first of those rows).
    if (carry.length > maxLine + 1) throw lineTooLong(sink?.row ?? 0, maxLine);
  };

  // The header line first: its columns are checked before any data byte is decoded, as on the fast path.
  await feed(decode(head.buf.subarray(head.start, head.dataStart)), false);
  await feed(decode(head.buf.subarray(head.dataStart)), false);
  for (let chunk = await source.next(); chunk !== null; chunk = await source.next()) {
    await feed(decode(chunk), false);
  }
  await feed(decode(), true);
  // readHead saw a header line, so papaparse returned at least one row.
  const done = sink as RowSink | null;
  if (done === null || info === null) throw new Error('papaparse returned no header row');
  await done.flush(true);
  if (done.rows === 0) throw noRows(done);
  return summaryOf(info as ParseInfo, done, source.bytes);
}
