/** The general path: papaparse over decoded text, for quotes, ';' or tab delimiters and anything odd. */
import Papa from 'papaparse';
import { mapColumns } from '../schema';
import { type ByteSource, type Head, lineTooLong } from './byte-source';
import { RowSink } from './row-sink';
import type { ParseInfo, ParseOptions, ParseSummary } from './types';

/** Parses what `head` holds and the rest of `source` with papaparse's streaming parser. */
export async function readWithPapa(
  source: ByteSource,
  head: Head,
  options: ParseOptions,
  maxLine: number,
): Promise<ParseSummary> {
  const delimiter = head.delimiter;
  const decimalComma = delimiter === ';';
  // The BOM is already skipped by byte; a BOM later in the file is data, as on the fast path.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
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
    if (carry.length > maxLine + 1) throw lineTooLong(sink?.row ?? 0, maxLine);
    for (const row of result.data) {
      const end = row.length - 1;
      if (row[end].endsWith('\r')) row[end] = row[end].slice(0, -1);
      if (sink === null) {
        const columns = mapColumns(row, { requireTarget: options.requireTarget });
        info = { columns, delimiter, decimalComma, parser: 'papaparse', bom: head.bom };
        options.onInfo?.(info);
        sink = new RowSink(columns, row, options);
        continue;
      }
      // A blank line is not a row.
      if (end === 0 && row[0] === '') continue;
      // A long row can only be in a long input: measure only then.
      if (input.length > maxLine && row.reduce((n, field) => n + field.length + 1, -1) > maxLine) {
        throw lineTooLong(sink.row, maxLine);
      }
      sink.addFields(row, decimalComma);
      if (sink.full) {
        await sink.flush();
        options.signal?.throwIfAborted();
      }
    }
  };

  await feed(decoder.decode(head.buf.subarray(head.start), { stream: true }), false);
  for (let chunk = await source.next(); chunk !== null; chunk = await source.next()) {
    await feed(decoder.decode(chunk, { stream: true }), false);
  }
  await feed(decoder.decode(), true);
  // readHead saw a header line, so papaparse returned at least one row.
  const done = sink as RowSink | null;
  if (done === null || info === null) throw new Error('papaparse returned no header row');
  await done.flush(true);
  return { ...(info as ParseInfo), rows: done.rows, bytes: source.bytes, issueCount: done.issueCount };
}
