/**
 * Getting one customer's feature values back: from a pasted CSV line (read by the same CSV reader as the batch,
 * so the numbers are the same float32 values), or by streaming the file again until the row with an ID_code.
 */
import Papa from 'papaparse';
import { parseCsv } from '../csv';
import { targetOfText } from '../csv/cell';
import { findId, idAt } from '../ids';
import type { ParseOptions, RowBatch, RowIssue } from '../csv/types';
import { type ColumnMap, FEATURE_COUNT, FEATURE_NAMES, ID_COLUMN, TARGET_COLUMN } from '../schema';

/** One customer's values as the reader produced them. */
export interface CustomerRow {
  id: string;
  /** 1-based data-row number in the file it came from. */
  row: number;
  /** 200 values in model order; NaN where a cell was missing or bad. */
  features: Float32Array;
  /** The target cell, when the file has one. */
  target: number | null;
}

/** A pasted customer with what the reader found wrong in its cells (each such cell reads as missing). */
export interface PastedRow extends CustomerRow {
  issues: RowIssue[];
  /** PastedCsv's note on how the columns were matched. */
  note: string | null;
}

/** Row `i` of a batch as a CustomerRow (its features copied out of the batch). */
function customerAt(batch: RowBatch, i: number): CustomerRow {
  return {
    id: idAt(batch.ids, i),
    row: batch.firstRow + i,
    features: batch.features.slice(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT),
    target: batch.targets ? batch.targets[i] : null,
  };
}

/** The header names of a file from its column map (extra columns in their file order). */
export function headerFromColumns(columns: ColumnMap): string[] {
  const names = new Array<string>(columns.fieldCount).fill('');
  names[columns.idIndex] = ID_COLUMN;
  if (columns.targetIndex >= 0) names[columns.targetIndex] = TARGET_COLUMN;
  columns.featureIndex.forEach((at, j) => (names[at] = FEATURE_NAMES[j]));
  let extra = 0;
  for (let i = 0; i < names.length; i++) if (names[i] === '') names[i] = columns.extra[extra++] ?? '';
  return names;
}

/** Kaggle's test.csv header (ID_code, var_0..var_199). */
export const KAGGLE_HEADER: readonly string[] = [ID_COLUMN, ...FEATURE_NAMES];
/** Kaggle's train.csv header (ID_code, target, var_0..var_199). */
const KAGGLE_TRAIN_HEADER: readonly string[] = [ID_COLUMN, TARGET_COLUMN, ...FEATURE_NAMES];

/**
 * The fields of one pasted line, read as the CSV reader would read the line: quotes respected, the separator a tab
 * when the line holds a value's worth of them (a spreadsheet's copy), else a semicolon likewise (with decimal
 * commas, as Excel writes in much of Europe), else a comma.
 */
function pastedFields(line: string): { fields: string[]; delimiter: string } {
  const count = (c: string) => line.split(c).length - 1;
  const delimiter = count('\t') >= FEATURE_COUNT ? '\t' : count(';') >= FEATURE_COUNT ? ';' : ',';
  const parsed = Papa.parse<string[]>(line, { delimiter, quoteChar: '"' });
  return { fields: parsed.data[0] ?? [], delimiter };
}

/** Said when the box holds more than one customer: it explains one; a file scores them all. */
function oneRowOnly(rows: number): Error {
  return new Error(
    `The box holds ${rows} rows; it explains one customer at a time. Paste one row, or save the rows as a CSV ` +
      'file and drop it on the page to score them all.',
  );
}

/** Pasted text made into a small CSV, and what the page should say about how its columns were matched. */
export interface PastedCsv {
  csv: string;
  /** Said beside the result when the columns were matched by a guess that another reading would also fit. */
  note: string | null;
}

/** A field the reader would take as a label: 0 or 1 by its target rule, or empty (pandas' missing label). */
const isLabel = (field: string | undefined) => (field ?? '').trim() === '' || targetOfText(field!) >= 0;
const fieldCount = (n: number) => `${n} field${n === 1 ? '' : 's'}`;

/**
 * A small CSV from pasted text: kept as is when it has a header line (a line naming ID_code, in any case;
 * Excel's `sep=` line may come first); otherwise the one row gets the uploaded file's header if the field counts
 * match, else Kaggle's test header, else Kaggle's train header when its second field is a label (0, 1 or
 * empty), written with the row's own separator. Throws, saying why, for a row that fits no header, for a row
 * that ends with a separator or holds one field too many (its values would land one column off), and for more
 * than one row (only one would be explained). The note says when the uploaded file's column order was used for
 * a row that Kaggle's order would also fit.
 */
export function pastedCsv(text: string, knownHeader: readonly string[] | null): PastedCsv {
  // Spaces trimmed, tabs kept: a spreadsheet row whose last cell is empty ends with a tab.
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/^ +| +$/g, ''))
    .filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw new Error('Paste one CSV row (ID_code and 200 values).');
  const headerAt = lines.findIndex((l) =>
    pastedFields(l).fields.some((f) => f.trim().toLowerCase() === ID_COLUMN.toLowerCase()),
  );
  if (headerAt >= 0) {
    const rows = lines.length - headerAt - 1;
    if (rows > 1) throw oneRowOnly(rows);
    // A row of values (not a title or sep= line) above the header: it would be skipped as a title line.
    if (lines.slice(0, headerAt).some((l) => pastedFields(l).fields.length > FEATURE_COUNT)) {
      throw new Error(
        rows === 0
          ? 'The header line comes after the row: paste it above the row.'
          : 'A row comes before the header line: paste the header line, then one row.',
      );
    }
    return { csv: `${lines.join('\n')}\n`, note: null };
  }
  // Excel's separator line is not a row.
  const rows = /^"?sep=.?"?$/i.test(lines[0]) ? lines.slice(1) : lines;
  if (rows.length === 0) throw new Error('Paste one CSV row (ID_code and 200 values).');
  if (rows.length > 1) throw oneRowOnly(rows.length);
  const row = rows[0];
  const { fields, delimiter } = pastedFields(row);
  const count = fields.length;
  const kaggle = [KAGGLE_HEADER, KAGGLE_TRAIN_HEADER].find((h) => h.length === count) ?? null;
  const header = knownHeader?.length === count ? knownHeader : kaggle;
  // Where the header has a target, the row's field there must be a label: else the row holds one field too many
  // (a separator at the end, or a cell split in two: "1,234.5" in a comma row) and every value would land one
  // column off, whichever header it fits.
  const labelAt = header ? header.indexOf(TARGET_COLUMN) : -1;
  if (labelAt >= 0 && !isLabel(fields[labelAt])) {
    if (fields[count - 1] === '') {
      throw new Error(
        `The row ends with a separator (${count} fields, the last one empty): every value would land one ` +
          'column off. Remove it, or paste the header line above it.',
      );
    }
    throw new Error(
      `The row has ${count} fields, and the one in the target column's place ` +
        `${JSON.stringify(fields[labelAt].trim().slice(0, 20))} is not a 0 or 1 label: if it holds one field ` +
        'too many, every value would land one column off. Remove the extra field (a number written with a ' +
        'thousands separator, such as 1,234.5, splits in two), or paste the header line above it.',
    );
  }
  if (!header) {
    const widths = [...new Set([KAGGLE_HEADER.length, knownHeader?.length ?? KAGGLE_HEADER.length])];
    const expected =
      widths.length === 1
        ? `${widths[0]} (ID_code and 200 values)`
        : `${widths[0]} (ID_code and 200 values) or ${widths[1]} like the uploaded file`;
    const idMissing = count === FEATURE_COUNT ? ' Is its ID_code missing?' : '';
    throw new Error(
      `The row has ${fieldCount(count)}; expected ${expected}.${idMissing} Or paste the header line above it.`,
    );
  }
  const sameOrder = kaggle !== null && header.every((name, i) => name === kaggle[i]);
  const note =
    header === knownHeader && kaggle !== null && !sameOrder
      ? "Read in the uploaded file's column order, which Kaggle's order would also fit: if the row comes " +
        'from another file, paste its header line above it.'
      : null;
  return { csv: `${header.join(delimiter)}\n${row}\n`, note };
}

/** Bytes of a string as the reader's byte source. */
export function textSource(text: string): () => AsyncIterable<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return async function* open() {
    yield bytes;
  };
}

class Found extends Error {
  constructor(readonly customer: CustomerRow | null) {
    super('found');
  }
}

/**
 * Streams a file until the first row whose ID_code is `id`, then stops reading (memory stays one batch).
 * Resolves null when no row has that id.
 */
export function findRow(
  open: () => AsyncIterable<Uint8Array>,
  id: string,
  options: Pick<ParseOptions, 'signal' | 'batchRows'> = {},
): Promise<CustomerRow | null> {
  return findRowWith((parse) => parseCsv(open, parse), id, options);
}

/**
 * Reads until `pick` names a row of a batch (its index there) or says no row will do (null), and stops there;
 * undefined reads on. `before` is the rows delivered before the batch.
 */
async function readUntil(
  read: (options: ParseOptions) => Promise<unknown>,
  options: Pick<ParseOptions, 'signal' | 'batchRows'>,
  pick: (batch: RowBatch, before: number) => number | null | undefined,
): Promise<CustomerRow | null> {
  let before = 0;
  try {
    await read({
      ...options,
      onBatch(batch) {
        const i = pick(batch, before);
        before += batch.count;
        if (i === undefined) return;
        throw new Found(i === null ? null : customerAt(batch, i));
      },
    });
    return null;
  } catch (error) {
    if (error instanceof Found) return error.customer;
    throw error;
  }
}

/** findRow over any reader with parseCsv's contract (src/core/input's Table.read for zip and Parquet files). */
export function findRowWith(
  read: (options: ParseOptions) => Promise<unknown>,
  id: string,
  options: Pick<ParseOptions, 'signal' | 'batchRows'> = {},
): Promise<CustomerRow | null> {
  return readUntil(read, options, (batch) => {
    const i = findId(batch.ids, id);
    return i < 0 ? undefined : i;
  });
}

/**
 * The row at 0-based position `index` among the rows a reader delivers (the ranking's row index), if its ID_code is
 * `id`; null otherwise. Reads up to that row, then stops. Unlike findRowWith, a repeated ID_code finds the row
 * asked for, not its first occurrence (a gzip or zip file's customer outside the top 100 is found this way).
 */
export function findRowAt(
  read: (options: ParseOptions) => Promise<unknown>,
  index: number,
  id: string,
  options: Pick<ParseOptions, 'signal' | 'batchRows'> = {},
): Promise<CustomerRow | null> {
  return readUntil(read, options, (batch, before) => {
    const i = index - before;
    if (i < 0 || i >= batch.count) return undefined;
    return idAt(batch.ids, i) === id ? i : null;
  });
}

/**
 * The one row whose ID_code is `id` among the rows a reader delivers; null when there is none or more than one
 * (then which is meant cannot be told from the id). Reads to the end.
 */
export async function onlyRowWith(
  read: (options: ParseOptions) => Promise<unknown>,
  id: string,
): Promise<CustomerRow | null> {
  let found: CustomerRow | null = null;
  let count = 0;
  await read({
    onBatch(batch) {
      for (let i = findId(batch.ids, id); i >= 0; i = findId(batch.ids, id, i + 1)) {
        count++;
        found ??= customerAt(batch, i);
      }
    },
  });
  return count === 1 ? found : null;
}

/**
 * The first row of a small CSV text (a pasted customer) with the issues the reader found in it (a cell that is not
 * a number reads as missing, as in a file); throws the reader's error for a bad one.
 */
export async function firstRow({ csv: text, note }: PastedCsv): Promise<PastedRow> {
  const found: { first?: CustomerRow } = {};
  const issues: RowIssue[] = [];
  await parseCsv(textSource(text), {
    onIssue(issue) {
      if (issue.row === 1) issues.push(issue);
    },
    onBatch(batch) {
      if (found.first || batch.count === 0) return;
      found.first = customerAt(batch, 0);
    },
  });
  if (!found.first) throw new Error('No data row found.');
  return { ...found.first, issues, note };
}
