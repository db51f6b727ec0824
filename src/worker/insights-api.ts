/** The insights' part of the scoring worker: thin calls into src/core/insights with the worker's ONNX session. */
import * as Comlink from 'comlink';
import { type CardCheck, checkAgainstCard } from '../core/insights/card-vs-file';
import { evaluateLabels, type LabelEvaluation } from '../core/insights/evaluate';
import { rankScores, type Ranking } from '../core/insights/line';
import { buildLineIndex, type LineIndex, readIndexedRow } from '../core/insights/line-index';
import { type CustomerRow, findRowWith, firstRow, pastedCsv } from '../core/insights/rows';
import type { Table } from '../core/input';
import { fileAccess, openFile } from './file-bytes';
import { modelCard, probabilitiesAndContributions } from './model-session';

/** A file ranked once, with its evaluation when it has labels. */
export interface RankedFile {
  ranking: Ranking;
  evaluation: LabelEvaluation | null;
  /** The labelled file against the model card's holdout figures (null without labels). */
  cardCheck: CardCheck | null;
}

/** The holdout AUC and class counts of the card of the model in use, for the card-vs-your-file check. */
function cardHoldout(): { auc: number; positives: number; negatives: number } {
  const { holdout } = modelCard().metrics;
  return { auc: holdout.auc, positives: holdout.positives, negatives: holdout.rows - holdout.positives };
}

/** One customer scored with the batch's ONNX session. */
export interface ExplainedCustomer extends CustomerRow {
  probability: number;
  contributions: Float32Array;
}

async function explainRow(customer: CustomerRow): Promise<ExplainedCustomer> {
  const out = await probabilitiesAndContributions(customer.features, 1);
  return {
    ...customer,
    probability: out.probability[0],
    contributions: out.contributions.slice(0, customer.features.length),
  };
}

// The table and line index of the last file asked about (no index unless it is a plain CSV: the bytes of a
// gzip stream, a zip member or UTF-16 text cannot be sliced by line). Keyed by name, size, date and member: every
// postMessage hands the worker a new File object for the same file.
let opened: { key: string; table: Promise<Table>; index: Promise<LineIndex | null> } | null = null;

function fileTable(file: File, member?: string) {
  const key = `${file.name}\u0000${file.size}\u0000${file.lastModified}\u0000${member ?? ''}`;
  if (opened?.key !== key) {
    const table = openFile(file, member);
    const index = table.then((t) => {
      const s = t.source;
      const plain = s.format === 'csv' && s.containers.length === 0 && s.utf16 === null;
      return plain ? buildLineIndex(fileAccess(file).stream()) : null;
    });
    opened = { key, table, index: index.catch(() => null) };
    table.catch(() => {});
  }
  return opened;
}

async function readSlice(file: File, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

/** Methods merged into the scoring worker's API. */
export const insightsApi = {
  /** Ranks a scored file (and evaluates it on its labels): the page then answers any line at once. */
  rank(scores: Float32Array, targets: Float32Array | null): RankedFile {
    const ranking = rankScores(scores);
    const evaluation = targets ? evaluateLabels(scores, targets, ranking.order) : null;
    const cardCheck = evaluation
      ? checkAgainstCard(
          {
            auc: evaluation.auc,
            positives: evaluation.positives,
            negatives: evaluation.labelled - evaluation.positives,
            calibration: evaluation.calibration,
          },
          cardHoldout(),
        )
      : null;
    const buffers = [ranking.order.buffer, ranking.sorted.buffer, ranking.cumulative.buffer];
    if (evaluation) buffers.push(evaluation.cumulativePositives.buffer, evaluation.cumulativeLabelled.buffer);
    return Comlink.transfer({ ranking, evaluation, cardCheck }, buffers as ArrayBuffer[]);
  },

  /** Scores and explains one customer's 200 values (the single-customer form). */
  explainValues(id: string, features: Float32Array): Promise<ExplainedCustomer> {
    return explainRow({ id, row: 0, features, target: null });
  },

  /** Reads a pasted CSV row with the CSV reader, then scores and explains it. */
  async explainPasted(text: string, knownHeader: string[] | null): Promise<ExplainedCustomer> {
    return explainRow(await firstRow(pastedCsv(text, knownHeader)));
  },

  /** Indexes the file's line starts ahead of the first explanation (about 1 s per 300 MB, in the background). */
  async indexFile(file: File, member?: string): Promise<boolean> {
    return (await fileTable(file, member).index) !== null;
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
    const found = await findRowWith((options) => table.read(options), id);
    return found ? explainRow({ ...found, row: fileIndex + 1 }) : null;
  },
};
