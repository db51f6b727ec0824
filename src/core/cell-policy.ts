/**
 * The one policy for cells that cannot be read as numbers, for the app and the scoring CLI alike.
 *
 * A few bad cells are scored as missing (the neutral contribution) and listed (RowIssues). But when a feature
 * column cannot be read as numbers (at least as many of its cells fail the number rule as are numbers), the
 * file's format is wrong, not a few of its cells, and scoring it would give answers that do not depend on the
 * data: the file is refused with the columns, an example value and a guess at why. So is a file in which no
 * feature cell holds a number at all (every customer would get the same score). Missing values (empty cells,
 * NA, null, ...) are data, not format errors: they count neither for nor against a column. Rows with something
 * in fields beyond the header are scored as missing (their values may sit one column off) and listed; their cells
 * count neither for nor against a column; when they are half the rows or more, the file is refused as shifted (row
 * names without a header cell, unquoted commas).
 *
 * Fed the reader's issues as they come (bounded memory: counts per column); judged once the file is read.
 */
import { CsvError } from './csv/types';
import type { IssueLike } from './row-issues/types';
import { type ColumnMap, FEATURE_COUNT, FEATURE_NAMES } from './schema';

/** Cell kinds that stand for a missing value. */
const MISSING_KINDS = new Set(['empty', 'missing', 'non-finite']);

/** The refusal of a file in which no feature cell holds a number (also the DuckDB engine's words). */
export const NO_NUMBERS =
  'No feature cell holds a number (every one is empty or a missing-value word such as NA): every customer ' +
  'would get the same score.';

/** Distinct far values counted per column (a missing-value code is among the first of them). */
const FAR_VALUES_KEPT = 16;

/** How the app's user trains a model on a labelled file: the default hint of a far-value refusal. */
const APP_TRAIN_HINT = 'Model: Train a model on a labelled file';

/** Columns named in a refusal before "and N more". */
const LISTED_COLUMNS = 8;

const FEATURE_OF = new Map(FEATURE_NAMES.map((name, j) => [name, j]));

/** Feature columns by name, the first LISTED_COLUMNS of them: "var_1, var_5 and 12 more". */
function listed(columns: readonly number[]): string {
  const names = columns.slice(0, LISTED_COLUMNS).map((j) => FEATURE_NAMES[j]);
  const more = columns.length > LISTED_COLUMNS ? ` and ${columns.length - LISTED_COLUMNS} more` : '';
  return `${names.join(', ')}${more}`;
}

/** What the reader saw of a file, as far as the policy needs it (ParseSummary fits). */
export interface ReadFacts {
  /** Rows delivered. */
  rows: number;
  columns: ColumnMap;
}

/** Counts the cells of each feature column that are not numbers, then judges the file. */
export class CellPolicy {
  /**
   * @param trainHint how to train a model on the file, in the words of the front door using the policy (the
   * app's menu by default; the CLI names its command).
   */
  constructor(private readonly trainHint: string = APP_TRAIN_HINT) {}

  private readonly unreadable = new Uint32Array(FEATURE_COUNT);
  private readonly missing = new Uint32Array(FEATURE_COUNT);
  private readonly examples: ({ row: number; value: string } | undefined)[] = new Array(FEATURE_COUNT);
  /** Values far outside the model's training range (scoring/far-values), scored as missing, per column. */
  private readonly far = new Uint32Array(FEATURE_COUNT);
  private readonly farExamples: ({ row: number; value: string } | undefined)[] = new Array(FEATURE_COUNT);
  /**
   * Per column, how often each far value occurs (the first FAR_VALUES_KEPT distinct ones; later new ones are only
   * in `far`), with its first row: a column whose far values are mostly one value holds a missing-value code.
   */
  private readonly farValues: (Map<string, { count: number; row: number }> | undefined)[] = new Array(
    FEATURE_COUNT,
  );
  /** Empty cells per column (of `missing`), to say how many of a column's cells hold no value. */
  private readonly empty = new Uint32Array(FEATURE_COUNT);
  /** Short rows by the number of fields they have: the fields past that are missing. */
  private readonly shortRows = new Map<number, number>();
  /**
   * Long rows with something in their extra fields: none of their values is used (RowSink.fieldCountIssue), and
   * the first of them, for a refusal.
   */
  private longRows = 0;
  private firstLong: { row: number; value: string } | undefined;
  /**
   * The cells counted for the row whose issues are coming in (the reader reports a row's issues together, its
   * field count last): a long row with something in its extras is not used at all, so its cells are taken back
   * and the row counts once, as a long row, not also against its columns (its ID's text half in var_0 made a
   * third of such rows read as "var_0 holds text").
   */
  private rowCells: { row: number; counts: Uint32Array[]; columns: number[] } = {
    row: -1,
    counts: [],
    columns: [],
  };

  /** Takes one issue from the reader. */
  add(issue: IssueLike): void {
    if (issue.kind === 'too-few-fields') {
      const present = Number.parseInt(issue.value, 10);
      if (present >= 0) this.shortRows.set(present, (this.shortRows.get(present) ?? 0) + 1);
      return;
    }
    if (issue.kind === 'too-many-fields') {
      if (this.longRows++ === 0) this.firstLong = { row: issue.row, value: issue.value };
      this.takeBack(issue.row);
      return;
    }
    const j = FEATURE_OF.get(issue.column);
    if (j === undefined) return;
    if (issue.kind === 'non-numeric') {
      if (this.unreadable[j]++ === 0) this.examples[j] = { row: issue.row, value: issue.value };
      this.noteCell(issue.row, this.unreadable, j);
    } else if (issue.kind === 'far-outside') {
      if (this.far[j]++ === 0) this.farExamples[j] = { row: issue.row, value: issue.value };
      const values = (this.farValues[j] ??= new Map());
      const seen = values.get(issue.value);
      if (seen) seen.count++;
      else if (values.size < FAR_VALUES_KEPT) values.set(issue.value, { count: 1, row: issue.row });
    } else if (MISSING_KINDS.has(issue.kind)) {
      this.missing[j]++;
      this.noteCell(issue.row, this.missing, j);
      if (issue.kind === 'empty') {
        this.empty[j]++;
        this.noteCell(issue.row, this.empty, j);
      }
    }
  }

  /** Notes a cell counted for `row` (far values are never in a long row: its values are all missing). */
  private noteCell(row: number, counts: Uint32Array, column: number): void {
    const cells = this.rowCells;
    if (cells.row !== row) {
      cells.row = row;
      cells.counts.length = 0;
      cells.columns.length = 0;
    }
    cells.counts.push(counts);
    cells.columns.push(column);
  }

  /** Takes back the cells counted for `row`, a long row: it counts once, as a long row. */
  private takeBack(row: number): void {
    const cells = this.rowCells;
    if (cells.row !== row) return;
    for (let k = 0; k < cells.columns.length; k++) {
      const j = cells.columns[k];
      // The first cell of a column is its example: gone with it (rows come in order, so it was this row's).
      if (--cells.counts[k][j] === 0 && cells.counts[k] === this.unreadable) this.examples[j] = undefined;
    }
    cells.row = -1;
    cells.counts.length = 0;
    cells.columns.length = 0;
  }

  /** Numbers read in each feature column. */
  numbers(facts: ReadFacts): Float64Array {
    const out = new Float64Array(FEATURE_COUNT);
    for (let j = 0; j < FEATURE_COUNT; j++)
      out[j] = facts.rows - this.unreadable[j] - this.missing[j] - this.far[j] - this.longRows;
    for (const [present, rows] of this.shortRows) {
      for (let j = 0; j < FEATURE_COUNT; j++) if (facts.columns.featureIndex[j] >= present) out[j] -= rows;
    }
    return out;
  }

  /** The refusal for a file read completely, or null when it may be scored. */
  verdict(facts: ReadFacts): CsvError | null {
    if (facts.rows === 0) return null;
    // Rows one field longer than the header, row after row: the format, not a few rows (checked first: their
    // shifted cells would otherwise be blamed on a column, e.g. R's row names read as the ID_code).
    if (this.longRows > 0 && this.longRows * 2 >= facts.rows) {
      const { row, value } = this.firstLong!;
      const rows = facts.rows.toLocaleString('en-US');
      const which =
        this.longRows === facts.rows
          ? `Every row (${rows}) has`
          : `${this.longRows.toLocaleString('en-US')} of ${rows} rows have`;
      return new CsvError(
        `${which} more fields than the header, with something in the extra ones ` +
          `(first: row ${row}, ${value}), so their values would sit in the wrong columns. Row names without a ` +
          'header cell, as R’s write.table writes them (use write.csv, or row.names = FALSE)? Or commas inside ' +
          'ids or numbers that are not quoted?',
        'shifted-rows',
        { row },
      );
    }
    const numbers = this.numbers(facts);
    const bad: number[] = [];
    for (let j = 0; j < FEATURE_COUNT; j++) {
      if (this.unreadable[j] > 0 && this.unreadable[j] >= numbers[j]) bad.push(j);
    }
    if (bad.length > 0) {
      const first = this.examples[bad[0]]!;
      const what =
        bad.length === 1
          ? `feature column ${FEATURE_NAMES[bad[0]]} as numbers: ${this.unreadable[bad[0]].toLocaleString('en-US')} of its ` +
            `${facts.rows.toLocaleString('en-US')} cells are not numbers, so the scores would not depend on it`
          : `${bad.length} of the ${FEATURE_COUNT} feature columns as numbers (${listed(bad)}): ` +
            'half or more of their cells are not numbers, so the scores would not depend on them';
      return new CsvError(
        `Cannot read ${what}. For example row ${first.row}, ${FEATURE_NAMES[bad[0]]}: ` +
          `${JSON.stringify(first.value)}. ${guessWhy(first.value)}`,
        'unreadable-columns',
        { row: first.row, column: FEATURE_NAMES[bad[0]] },
      );
    }
    // A column whose values are mostly far outside the training range: another unit or another column, not a
    // few typing errors (scored as missing, the column would add nothing to any score).
    const far: number[] = [];
    for (let j = 0; j < FEATURE_COUNT; j++) if (this.far[j] > 0 && this.far[j] >= numbers[j]) far.push(j);
    if (far.length > 0) {
      const j = far[0];
      const code = this.farCode(j);
      const first = code ?? this.farExamples[j]!;
      const what =
        far.length === 1
          ? `feature column ${FEATURE_NAMES[j]}: ${this.far[j].toLocaleString('en-US')} of its ` +
            `${this.valuesOf(j, numbers[j], facts.rows)} are`
          : `${far.length} of the ${FEATURE_COUNT} feature columns (${listed(far)}): half or more ` +
            'of the values they hold are';
      const why = code
        ? ` ${code.value} in ${code.count.toLocaleString('en-US')} rows` +
          (far.length === 1 ? '' : ` of ${FEATURE_NAMES[j]}`) +
          ': a code for a missing value? Leave those cells empty (or write NA), and they are scored as missing.'
        : ' Another unit (values multiplied by 100 or 1,000?), or other columns under these names?' +
          (facts.columns.targetIndex >= 0
            ? ' If these are your own customers in their own units, a model trained on this labelled file ' +
              `(${this.trainHint}) scores them in those units.`
            : '');
      return new CsvError(
        `Cannot use ${what} far outside every value the model was trained on (for example row ${first.row}, ` +
          `${FEATURE_NAMES[j]}: ${first.value}), so the scores would not depend on them.${why}`,
        'unreadable-columns',
        { row: first.row, column: FEATURE_NAMES[j] },
      );
    }
    if (numbers.every((n) => n <= 0)) {
      return new CsvError(NO_NUMBERS, 'unreadable-columns');
    }
    return null;
  }

  /**
   * "200 values (800 cells are empty)": the values column j holds (`numbers` read as data, and its far values),
   * and what its other cells are. The far-value rule weighs a column's far values against the values it holds,
   * not against its rows: empty cells say nothing about its unit.
   */
  private valuesOf(j: number, numbers: number, rows: number): string {
    const held = numbers + this.far[j];
    const text = `${held.toLocaleString('en-US')} value${held === 1 ? '' : 's'}`;
    const other = rows - held;
    if (other <= 0) return text;
    const cells = `${other.toLocaleString('en-US')} cell${other === 1 ? ' is' : 's are'}`;
    return `${text} (${cells} ${other === this.empty[j] ? 'empty' : 'empty or hold no number'})`;
  }

  /**
   * The far value that makes up most of column j's far values, when one does and it repeats: a code for a
   * missing value (-999, 99999), not another unit (which gives as many far values as rows).
   */
  private farCode(j: number): { value: string; count: number; row: number } | null {
    let top: { value: string; count: number; row: number } | null = null;
    for (const [value, { count, row }] of this.farValues[j] ?? []) {
      if (!top || count > top.count) top = { value, count, row };
    }
    return top && top.count >= 2 && top.count * 2 > this.far[j] ? top : null;
  }

  /**
   * The warning for a file that may be scored but has feature columns without a single number (every cell empty
   * or a missing-value word): each such feature adds its neutral term to every score, so the scores rest on the
   * other features only. Null when every column holds a number (or none does: then `verdict` refuses the file).
   */
  warning(facts: ReadFacts): string | null {
    if (facts.rows === 0) return null;
    const numbers = this.numbers(facts);
    const empty: number[] = [];
    for (let j = 0; j < FEATURE_COUNT; j++) if (numbers[j] <= 0) empty.push(j);
    if (empty.length === 0 || empty.length === FEATURE_COUNT) return null;
    const used = FEATURE_COUNT - empty.length;
    return empty.length === 1
      ? `Feature column ${FEATURE_NAMES[empty[0]]} holds no number (every cell is empty or a missing-value word such as NA): ` +
          `the scores rest on the other ${used} features.`
      : `${empty.length} of the ${FEATURE_COUNT} feature columns hold no number (${listed(empty)}; ` +
          `every cell is empty or a missing-value word such as NA): the scores rest on the other ${used} ` +
          `feature${used === 1 ? '' : 's'} only, and may rank customers less well than the model can.`;
  }
}

/** A guess at why a value is not a number, for the refusal. */
function guessWhy(value: string): string {
  const v = value.trim();
  if (/^[+-]?\d{1,3}([ .,'\u00a0\u202f])\d{3}(?:\1\d{3})*(?:[.,]\d+)?$/.test(v)) {
    return 'Thousands separators (1,234.5 or 1 234,5)? Save the numbers without them.';
  }
  if (/^[+-]?\d+[.,]\d+[.,]/.test(v)) return 'Several decimal marks in one number?';
  if (/^[-+]?[$€£¥]|[$€£¥%]$|\b(?:EUR|USD|GBP)\b/i.test(v)) {
    return 'Units, percent or currency signs? Save plain numbers.';
  }
  if (/^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b/.test(v)) return 'Dates? These columns must hold numbers.';
  if (/^[+-]?\d/.test(v) && /[^\d.,eE+\- ]/.test(v)) return 'Numbers with text around them?';
  if (/\p{L}/u.test(v)) return 'Text, not numbers: are the columns named right?';
  return 'They are not numbers.';
}
