/**
 * What the reader did with a file's format, in sentences: the same words on the results page and on the
 * scoring CLI's stderr. Empty for a plain UTF-8, comma-separated file with the header on line 1.
 */
import { misnamedTarget, quotedName } from '../schema';
import type { ParseSummary, SkippedLine } from './types';

/** The facts the notes are made from (a ParseSummary, or the `info` of a scored file). */
export type ReadingFacts = Omit<ParseSummary, 'rows' | 'bytes' | 'issueCount'>;

const DELIMITER_NAME = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'vertical bar (|)' } as const;

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * A line of the file in quotes, as it reads: JSON's escapes for control characters, but its own quotes shown
 * as they are (`"sep=;"` as JSON would be "\"sep=;\"", not what the user typed), inside curly quotes.
 */
function shownLine(text: string): string {
  const json = JSON.stringify(text);
  return text.includes('"') ? `“${json.slice(1, -1).replaceAll('\\"', '"')}”` : json;
}

function listLines(lines: SkippedLine[]): string {
  const numbers = lines.map((l) => l.line);
  const shown = lines.slice(0, 3).map((l) => shownLine(l.text));
  const more = lines.length > 3 ? ', …' : '';
  return `${lines.length === 1 ? 'Line' : 'Lines'} ${numbers.join(', ')} above the header ${lines.length === 1 ? 'was' : 'were'} skipped: ${shown.join(', ')}${more}.`;
}

/**
 * A column's name as listed; a header cell left empty is the row index pandas' to_csv and R's write.csv write,
 * or the empty last field of lines that all end with a separator.
 */
function columnName(name: string): string {
  return name === ''
    ? '(a column without a name: a row index, as pandas and R write, or a separator ending every line)'
    : name;
}

/** Notes about how the file was read, in the order a reader would want them. */
export function readingNotes(facts: ReadingFacts): string[] {
  const notes: string[] = [];
  if (facts.encoding === 'windows-1252') {
    notes.push(
      'The file is not UTF-8 text: it was read as Windows-1252 (what Excel on Windows saves as "CSV (Comma ' +
        'delimited)"), so letters such as é and ë in ids are kept exactly.',
    );
  }
  if (facts.extraBoms > 0) {
    const n = facts.extraBoms + 1;
    notes.push(
      `The file starts with ${n.toLocaleString('en-US')} byte order marks (U+FEFF) instead of one, as when a file ` +
        `saved with one is read as plain text and saved with one again: ${facts.extraBoms === 1 ? 'the second was' : 'the extra ones were'} ` +
        'skipped, as the first always is.',
    );
  }
  const sep = facts.skippedLines.find((l) => l.reason === 'sep');
  const n = facts.decimalCommas;
  const decimals =
    n === 0
      ? ''
      : `${count(n, 'number')} written with a decimal comma (such as 1,5) ${n === 1 ? 'was' : 'were'} read as ` +
        `${n === 1 ? 'a decimal' : 'decimals'}`;
  if (facts.delimiter !== ',' || sep) {
    notes.push(
      `Columns are separated by a ${DELIMITER_NAME[facts.delimiter]}` +
        `${sep ? `, as line ${sep.line} (${shownLine(sep.text)}) says` : ''}` +
        `${decimals ? `, with decimal commas: ${decimals}` : ''}.`,
    );
  } else if (decimals) {
    // A comma file: only a quoted cell can hold a decimal comma (pandas' to_csv(decimal=',') writes "1,5").
    notes.push(`Quoted numbers with decimal commas: ${decimals}.`);
  }
  const ignored = facts.skippedLines.find((l) => l.reason === 'sep-ignored');
  if (ignored) {
    notes.push(
      `Line ${ignored.line} (${shownLine(ignored.text)}) names a separator the header does not use: the ` +
        `header's own (${DELIMITER_NAME[facts.delimiter]}) was used, as it names ID_code.`,
    );
  }
  const above = facts.skippedLines.filter((l) => l.reason === 'above-header');
  if (above.length > 0) notes.push(`${listLines(above)} The header is line ${facts.headerLine}.`);
  if (facts.emptyLines > 0) {
    const where = facts.firstEmptyAfterRow === 0 ? 'before row 1' : `after row ${facts.firstEmptyAfterRow}`;
    notes.push(
      `${count(facts.emptyLines, 'empty line')} (no value in any field, such as ,,,, where rows were deleted) ` +
        `${facts.emptyLines === 1 ? 'was' : 'were'} skipped and not scored; the first came ${where}.`,
    );
  }
  if (facts.endOfFileMarks > 0) {
    const n = facts.endOfFileMarks;
    notes.push(
      `${n === 1 ? 'An end-of-file mark' : count(n, 'end-of-file mark')} (Ctrl-Z, byte 0x1A, as DOS-era ` +
        `programs end a text file: a line of them, or a run at the very end) ${n === 1 ? 'was' : 'were'} ` +
        'skipped and not read as data; the last came ' +
        `${facts.lastMarkAfterRow === 0 ? 'before row 1' : `after row ${facts.lastMarkAfterRow}`}.`,
    );
  }
  if (facts.rowsWithEmptyExtras > 0) {
    const n = facts.rowsWithEmptyExtras;
    notes.push(
      n === 1
        ? `Row ${facts.firstEmptyExtrasRow} has empty fields beyond the header's (a separator ending the line): ` +
            'they were ignored.'
        : `${count(n, 'row')} have empty fields beyond the header's (a separator ending the line): they were ` +
            `ignored; the first is row ${facts.firstEmptyExtrasRow}.`,
    );
  }
  if (facts.repeatedHeaders > 0) {
    const n = facts.repeatedHeaders;
    notes.push(
      `${count(n, 'row')} repeating the header line (as when two CSV files are joined) ${n === 1 ? 'was' : 'were'} ` +
        `skipped and not scored; the first was row ${facts.firstRepeatedHeader}.`,
    );
  }
  const extra = facts.columns.extra;
  if (extra.length > 0) {
    notes.push(
      `Ignored ${count(extra.length, 'column')} the model does not use: ${extra.slice(0, 10).map(columnName).join(', ')}` +
        `${extra.length > 10 ? ', …' : ''}.`,
    );
    const label = misnamedTarget(facts.columns);
    if (label) {
      notes.push(
        `No column is named target, so the scores were not checked against labels: rename ${quotedName(label)} ` +
          'to target (lower case, as in the Kaggle files) to have them evaluated.',
      );
    }
  }
  return notes;
}
