/**
 * The insights' part of the scoring worker: thin calls into src/core/insights with the worker's ONNX session, and
 * the last scored file held here, so the page's later questions about it (the flagged download, a customer by
 * ID_code, a row read back) are answered without sending its arrays back.
 */
import { type CardCheck, checkAgainstCard } from '../core/insights/card-vs-file';
import type { LabelEvaluation } from '../core/insights/evaluate';
import { flaggedCsvChunks } from '../core/insights/flagged-csv';
import { flagMask } from '../core/insights/cut-line';
import { type LineIndex, readIndexedRow } from '../core/insights/line-index';
import {
  type CustomerRow,
  findRowAt,
  findRowWith,
  firstRow,
  type PastedRow,
  pastedCsv,
} from '../core/insights/rows';
import { findId, type PackedIds } from '../core/ids';
import type { Table } from '../core/input';
import type { ParseOptions } from '../core/csv/types';
import type { ScoreFileResult } from '../core/scoring/score-file';
import { openFile } from './file-bytes';
import { blankFarValues, farBounds, type FarBounds } from '../core/scoring/far-values';
import { modelCard, probabilitiesAndContributions, trainingFeatures } from './model-session';

/** The holdout AUC and class counts of the card of the model in use, for the card-vs-your-file check. */
function cardHoldout(): { auc: number; positives: number; negatives: number } {
  const { holdout } = modelCard().metrics;
  return { auc: holdout.auc, positives: holdout.positives, negatives: holdout.rows - holdout.positives };
}

/** The labelled file against the model card's holdout figures; null without an evaluation. */
export function cardCheckOf(evaluation: LabelEvaluation | null): CardCheck | null {
  if (!evaluation) return null;
  return checkAgainstCard(
    {
      auc: evaluation.auc,
      positives: evaluation.positives,
      negatives: evaluation.labelled - evaluation.positives,
      calibration: evaluation.calibration,
    },
    cardHoldout(),
  );
}

/** One customer scored with the batch's ONNX session. */
export interface ExplainedCustomer extends CustomerRow {
  probability: number;
  contributions: Float32Array;
}

/** A pasted customer, explained, with the issues the reader found in its cells (each such cell read as missing). */
export type ExplainedPaste = ExplainedCustomer & Pick<PastedRow, 'issues' | 'note'>;

/**
 * Scores one customer as a file's rows are scored: values too far outside the training range to be data count as
 * missing (far-values.ts); the customer keeps its values as given, for the page to show.
 */
/** The far bounds of the model in use, worked out once per model (its card's features). */
let farOf: { features: ReturnType<typeof trainingFeatures>; bounds: FarBounds | null } | null = null;

async function explainRow<Row extends CustomerRow>(customer: Row): Promise<Row & ExplainedCustomer> {
  const features = trainingFeatures();
  if (farOf?.features !== features) farOf = { features, bounds: farBounds(features) };
  const { bounds } = farOf;
  const scored = bounds ? customer.features.slice() : customer.features;
  if (bounds) blankFarValues(scored, 1, bounds);
  const out = await probabilitiesAndContributions(scored, 1);
  return {
    ...customer,
    probability: out.probability[0],
    contributions: out.contributions.slice(0, customer.features.length),
  };
}

/** The rows found for an ID_code: the first few (file index, rank, score) and how many in all. */
export interface FoundRows {
  rows: { index: number; rank: number; probability: number }[];
  count: number;
}

/** The last scored file: this worker's own copies of what later calls read (a few bytes per row). */
interface Held {
  resultId: number;
  ids: PackedIds;
  probabilities: Float32Array;
  order: Uint32Array;
}
let held: Held | null = null;

/** What a scored file leaves here: its arrays (copied: the originals go to the page) and its line index. */
export function holdScored(scored: {
  resultId: number;
  file: File;
  member: string | undefined;
  result: Pick<ScoreFileResult, 'ids' | 'probabilities' | 'ranking'>;
  lineIndex: LineIndex | null;
  /** The table as scoring opened it (opening it again would read a zip's listing again). */
  table: Table;
}): void {
  const { ids, probabilities, ranking } = scored.result;
  held = {
    resultId: scored.resultId,
    ids: { count: ids.count, bytes: ids.bytes.slice(), ends: ids.ends.slice() },
    probabilities: probabilities.slice(),
    order: ranking.order.slice(),
  };
  opened = {
    key: fileKey(scored.file, scored.member),
    table: Promise.resolve(scored.table),
    index: Promise.resolve(scored.lineIndex),
  };
}

/** The held file when it is `resultId`; null once this worker was replaced (cancel, crash) or scored another. */
function heldResult(resultId: number): Held | null {
  return held?.resultId === resultId ? held : null;
}

// The table and line index of the last file asked about: the index the reader recorded while scoring it (null
// unless it is a plain CSV: the bytes of a gzip stream, a zip member or UTF-16 text cannot be sliced by line).
// Keyed by name, size, date and member: every postMessage hands the worker a new File object for the same file.
let opened: { key: string; table: Promise<Table>; index: Promise<LineIndex | null> } | null = null;

const fileKey = (file: File, member?: string) =>
  `${file.name}\u0000${file.size}\u0000${file.lastModified}\u0000${member ?? ''}`;

/** The table of `file` (a zip's `member`) and its line index: the ones held, else the file opened anew. */
function fileTable(file: File, member?: string) {
  const key = fileKey(file, member);
  if (opened?.key === key) return opened;
  const table = openFile(file, member);
  table.catch(() => {});
  opened = { key, table, index: Promise.resolve(null) };
  return opened;
}

async function readSlice(file: File, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

/** Methods merged into the scoring worker's API. */
export const insightsApi = {
  /**
   * predictions.csv with a `flagged` column marking the first `count` customers of the ranking, written here as
   * bytes; null when this worker no longer holds result `resultId` (score the file again).
   */
  flaggedCsv(resultId: number, count: number): Blob | null {
    const h = heldResult(resultId);
    if (!h) return null;
    const mask = flagMask(h.order, count);
    return new Blob(flaggedCsvChunks(h.ids, h.probabilities, mask), { type: 'text/csv' });
  },

  /**
   * The rows with ID_code `id` in result `resultId`, in file order (at most `limit`): 0-based file index, 0-based
   * rank and score; and how many there are in all (an id may repeat: the file is scored as given). Null when this
   * worker no longer holds that result.
   */
  findCustomer(resultId: number, id: string, limit = 10): FoundRows | null {
    const h = heldResult(resultId);
    if (!h) return null;
    const rows: FoundRows['rows'] = [];
    let count = 0;
    for (let i = findId(h.ids, id); i >= 0; i = findId(h.ids, id, i + 1)) {
      if (rows.length < limit)
        rows.push({ index: i, rank: h.order.indexOf(i), probability: h.probabilities[i] });
      count++;
    }
    return { rows, count };
  },

  /** Scores and explains one customer's 200 values (the single-customer form). */
  explainValues(id: string, features: Float32Array): Promise<ExplainedCustomer> {
    return explainRow({ id, row: 0, features, target: null });
  },

  /** Reads a pasted CSV row with the CSV reader, then scores and explains it. */
  async explainPasted(text: string, knownHeader: string[] | null): Promise<ExplainedPaste> {
    return explainRow(await firstRow(pastedCsv(text, knownHeader)));
  },

  /**
   * Explains the data row at 0-based `fileIndex` (its ID_code is `id`) of the table in `file` (a zip's `member`):
   * a small slice of a plain CSV through the line index, the row's own slice of a Parquet table, or else the
   * table read again from its start until the id.
   */
  async explainAt(
    file: File,
    fileIndex: number,
    id: string,
    member?: string,
  ): Promise<ExplainedCustomer | null> {
    const { table: opening, index: indexing } = fileTable(file, member);
    const table = await opening;
    const index = await indexing;
    const quick = index ? await readIndexedRow(index, (a, b) => readSlice(file, a, b), fileIndex, id) : null;
    if (quick) return explainRow(quick);
    if (table.source.format === 'parquet') {
      const row = await findRowWith(
        (options) => table.read(options, { start: fileIndex, end: fileIndex + 1 }),
        id,
      );
      if (row) return explainRow({ ...row, row: fileIndex + 1 });
    }
    // The row at that position (a repeated ID_code must not explain its first occurrence); by id only if the
    // file no longer has it there.
    const read = (options: ParseOptions) => table.read(options);
    const found = (await findRowAt(read, fileIndex, id)) ?? (await findRowWith(read, id));
    return found ? explainRow(found) : null;
  },
};
