/** The general path: papaparse over decoded text, for quotes, ';' or tab delimiters and anything odd. */
import Papa from 'papaparse';
import { type ByteSource, type Head, lineTooLong } from './byte-source';
import { noRows, RowSink, summaryOf } from './row-sink';
import { NotUtf8, type TextRules } from './text-encoding';
import { cutValue } from './cell';
import { CsvError, type ParseInfo, type ParseOptions, type ParseSummary } from './types';

/**
 * Refuses a row that a quoted field ran over a line break into when the row is malformed (a quote that does not
 * close as CSV quotes must, or the wrong number of fields): a quote opened and was not closed where it should
 * have been, and the lines after it were read into one field, so their customers would be lost. A quoted field
 * with a line break in a well-formed row is data, and stays.
 */
function checkQuotes(row: string[], names: string[], at: number): void {
  const field = row.findIndex((f) => f.includes('\n'));
  if (field < 0) return;
  const lines = row[field].split('\n').length - 1;
  throw new CsvError(
    `Row ${at}: a quote opens in ${names[field] || `field ${field + 1}`} and is not closed where it should be, so ` +
      `the next ${lines.toLocaleString('en-US')} line break${lines === 1 ? '' : 's'} and the rows after ` +
      `${lines === 1 ? 'it' : 'them'} were read into that one field (it starts ${JSON.stringify(cutValue(row[field]))}). ` +
      'Fix the quote in that row, or save the file again from the program that made it.',
    'unclosed-quote',
    { row: at, column: names[field] },
  );
}

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
    // Rows where a quote did not close as CSV quotes must (papaparse's 'Quotes' errors, by index in `data`).
    const badQuotes = new Set(result.errors.filter((e) => e.type === 'Quotes').map((e) => e.row));
    for (const [index, row] of result.data.entries()) {
      const end = row.length - 1;
      if (row[end].endsWith('\r')) row[end] = row[end].slice(0, -1);
      if (sink === null) {
        const columns = head.mapColumns(row);
        info = { ...head.info, columns, parser: 'papaparse' };
        options.onInfo?.(info);
        sink = new RowSink(columns, row, options, rules);
        continue;
      }
      if (badQuotes.has(index) || row.length !== sink.fieldCount) checkQuotes(row, sink.names, sink.row);
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
  // The run of end-of-file marks the file ended with (ByteSource held it back): counted as a mark line is.
  if (source.endMarks > 0) done.endOfFileMark();
  await done.flush(true);
  if (done.rows === 0) throw noRows(done);
  return summaryOf(info as ParseInfo, done, source.bytes);
}
