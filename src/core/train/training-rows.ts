/**
 * A labelled file's rows gathered for training: every feature in one row-major Float32Array and the targets as
 * 0/1, read with the shared CSV reader by the CLI and the app's training worker alike. The first bad cell refuses
 * the file: training on guessed values would hide a broken export.
 */
import type { ParseOptions, RowBatch, RowIssue } from '../csv/types';
import { IdSet, idAt } from '../ids';
import { isYesNoWord } from '../row-issues/types';
import { FEATURE_COUNT } from '../schema';
import { TrainingRefusal } from './policy';

/** A labelled file's rows in memory. */
export interface TrainingRows {
  rows: number;
  /** Row-major [rows, 200], model order (may be a view on a slightly larger buffer). */
  features: Float32Array;
  /** 0/1 per row. */
  targets: Uint8Array;
}

/** The reader's kinds (a far-outside value is the scorer's, which training never meets). */
const KIND_TEXT: Record<Exclude<RowIssue['kind'], 'far-outside'>, string> = {
  empty: 'empty cell',
  missing: 'missing value',
  'non-numeric': 'non-numeric value',
  'non-finite': 'non-finite value',
  'too-few-fields': 'too few fields',
  'too-many-fields': 'too many fields',
  'bad-target': 'target must be 0 or 1, got',
  'no-id': 'no ID_code',
};

/**
 * How many of a scored file's row issues (counts by kind, as RowIssueDigest.byKind) would refuse it for training:
 * every kind the reader reports (a repeated ID_code does not refuse it). 0 when the file can be trained on as far
 * as its cells go.
 */
export function issuesRefusingTraining(byKind: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const [kind, count] of Object.entries(byKind)) if (Object.hasOwn(KIND_TEXT, kind)) n += count;
  return n;
}

/**
 * Why training stops at a bad cell, and what to do: scoring counts the same cell as missing, so the rule is said.
 * The reason follows the cell, so a message cut short still names it.
 */
const TRAINING_NEEDS =
  ' Training needs every feature cell to be a number and every target 0 or 1 (scoring counts such a cell as ' +
  'missing; a model fitted on guessed values would hide a broken export): fix the cell or leave the row out.';

/**
 * "row 12, column var_3: non-numeric value "abc". Training needs …" (row = data row, 1 = first after the
 * header).
 */
function describeCellIssue(issue: RowIssue): string {
  if (issue.kind === 'no-id') {
    // Not a cell that fails to be a number: the row has no id, and the reader does not deliver such a row.
    return (
      `row ${issue.row} has no id: its ID_code cell is empty, though the row has values. Training needs an ` +
      'ID_code on every row (a row without one is not read, and training leaves out no row unsaid): fill in ' +
      'its ID_code or delete the row.'
    );
  }
  const column = issue.column ? `, column ${issue.column}` : '';
  if (issue.kind === 'bad-target' && isYesNoWord(issue.value)) {
    return `row ${issue.row}${column}: target holds ${JSON.stringify(issue.value)}, a yes/no word: recode the column as 1/0.${TRAINING_NEEDS}`;
  }
  const kind = issue.kind === 'far-outside' ? 'value far outside the training range' : KIND_TEXT[issue.kind];
  return `row ${issue.row}${column}: ${kind} "${issue.value}".${TRAINING_NEEDS}`;
}

/** ID_codes that appear on more than one row of a training file (rows are data rows, 1 = first after the header). */
export interface RepeatedIds {
  /** Rows whose ID_code was seen on an earlier row. */
  rows: number;
  /** Of those, rows whose target differs from the target on the id's first row. */
  conflicting: number;
  /** The first repeat: its id, the row it was first seen on and the row it came back on. */
  first: { id: string; firstRow: number; row: number };
}

/**
 * The training notes' sentence on repeated ids: they are trained on as given (nothing the user gave is dropped),
 * and what that does to the figures, since the split draws rows, not customers.
 */
export function repeatedIdsNote(repeated: RepeatedIds): string {
  const { rows, conflicting, first } = repeated;
  const n = rows.toLocaleString('en-US');
  const conflict =
    conflicting === 0
      ? ''
      : `; ${conflicting.toLocaleString('en-US')} of them ${conflicting === 1 ? 'has' : 'have'} another target ` +
        `than the earlier row`;
  return (
    `${n} ${rows === 1 ? 'row repeats the ID_code' : 'rows repeat the ID_code'} of an earlier row (the first: ` +
    `${JSON.stringify(first.id)}, rows ${first.firstRow} and ${first.row})${conflict}. Every row was trained ` +
    `on as its own customer; a customer on two rows can fall in both the fitted part and the holdout, which ` +
    `flatters the holdout AUC.`
  );
}

/** Rows per batch the reader hands over while gathering. */
const TRAINING_BATCH_ROWS = 16384;

/** Growth factor when the rows outgrow the first estimate. */
const GROWTH = 1.5;
/** A buffer bigger than the rows by more than this share is copied to its exact size at the end. */
const SLACK = 0.05;

/**
 * Gathers parsed batches into one features array. Give `estimateRows` (called at the first batch, when the
 * reader knows how many bytes the first rows took) and the array is allocated once at about its final size;
 * without it, it grows by half each time it fills. Pass `parseOptions` to parseCsv.
 */
export class TrainingRowsSink {
  private features = new Float32Array(0);
  private targets = new Uint8Array(0);
  private count = 0;
  // Repeated ids: id -> first row (0-based), one hash per row; about 30 bytes per distinct id.
  private ids = new IdSet();
  private repeated: RepeatedIds | null = null;

  constructor(private readonly estimateRows?: (rowsSoFar: number) => number) {}

  /** The parseCsv options that feed this sink (merge in onInfo, signal and the like). */
  readonly parseOptions: Pick<
    ParseOptions,
    'requireTarget' | 'batchRows' | 'onBatch' | 'onIssue' | 'onRestart'
  > = {
    requireTarget: true,
    batchRows: TRAINING_BATCH_ROWS,
    onBatch: (batch) => this.add(batch),
    onIssue: (issue) => {
      throw new TrainingRefusal(describeCellIssue(issue));
    },
    // The reader reads the file again from the top (papaparse, or as Windows-1252): start over.
    onRestart: () => {
      this.count = 0;
      this.ids = new IdSet();
      this.repeated = null;
    },
  };

  /** Rows gathered so far. */
  get rows(): number {
    return this.count;
  }

  private add(batch: RowBatch): void {
    const needed = this.count + batch.count;
    if (needed > this.targets.length) {
      const estimate = this.count === 0 && this.estimateRows ? this.estimateRows(batch.count) : 0;
      this.grow(Math.max(needed, estimate, Math.ceil(this.targets.length * GROWTH)));
    }
    this.features.set(batch.features.subarray(0, batch.count * FEATURE_COUNT), this.count * FEATURE_COUNT);
    const targets = batch.targets!;
    for (let i = 0; i < batch.count; i++) this.targets[this.count + i] = targets[i] > 0.5 ? 1 : 0;
    for (let i = 0; i < batch.count; i++) {
      const row = this.count + i;
      const first = this.ids.firstRowOrAdd(batch.ids, i, row, Infinity);
      if (first < 0) continue;
      this.repeated ??= {
        rows: 0,
        conflicting: 0,
        first: { id: idAt(batch.ids, i), firstRow: first + 1, row: row + 1 },
      };
      this.repeated.rows++;
      if (this.targets[first] !== this.targets[row]) this.repeated.conflicting++;
    }
    this.count = needed;
  }

  /** The file's repeated ID_codes so far; null when every id is distinct. */
  repeatedIds(): RepeatedIds | null {
    return this.repeated;
  }

  private grow(rows: number): void {
    const features = new Float32Array(rows * FEATURE_COUNT);
    features.set(this.features.subarray(0, this.count * FEATURE_COUNT));
    const targets = new Uint8Array(rows);
    targets.set(this.targets.subarray(0, this.count));
    this.features = features;
    this.targets = targets;
  }

  /** The rows read; the sink lets go of them. */
  finish(): TrainingRows {
    const rows = this.count;
    if (this.targets.length > rows * (1 + SLACK)) this.grow(rows);
    const out = {
      rows,
      features: this.features.subarray(0, rows * FEATURE_COUNT),
      targets: this.targets.subarray(0, rows),
    };
    this.features = new Float32Array(0);
    this.targets = new Uint8Array(0);
    this.count = 0;
    this.ids = new IdSet();
    return out;
  }
}
