/** The insights' part of the scoring worker: thin calls into src/core/insights with the worker's ONNX session. */
import * as Comlink from 'comlink';
import { evaluateLabels, type LabelEvaluation } from '../core/insights/evaluate';
import { rankScores, type Ranking } from '../core/insights/line';
import { type CustomerRow, findRow, firstRow, pastedCsv } from '../core/insights/rows';
import { fileSource, isGzip } from './file-bytes';
import { contributions, probabilities } from './model-session';

/** A file ranked once, with its evaluation when it has labels. */
export interface RankedFile {
  ranking: Ranking;
  evaluation: LabelEvaluation | null;
}

/** One customer scored with the batch's ONNX session. */
export interface ExplainedCustomer extends CustomerRow {
  probability: number;
  contributions: Float32Array;
}

async function explainRow(customer: CustomerRow): Promise<ExplainedCustomer> {
  const [p, c] = await Promise.all([
    probabilities(customer.features, 1),
    contributions(customer.features, 1),
  ]);
  return { ...customer, probability: p[0], contributions: c.slice(0, customer.features.length) };
}

/** Methods merged into the scoring worker's API. */
export const insightsApi = {
  /** Ranks a scored file (and evaluates it on its labels): the page then answers any line at once. */
  rank(scores: Float32Array, targets: Float32Array | null): RankedFile {
    const ranking = rankScores(scores);
    const evaluation = targets ? evaluateLabels(scores, targets, ranking.order) : null;
    const buffers = [ranking.order.buffer, ranking.sorted.buffer, ranking.cumulative.buffer];
    if (evaluation) buffers.push(evaluation.cumulativePositives.buffer, evaluation.cumulativeLabelled.buffer);
    return Comlink.transfer({ ranking, evaluation }, buffers as ArrayBuffer[]);
  },

  /** Scores and explains one customer's 200 values (the single-customer form). */
  explainValues(id: string, features: Float32Array): Promise<ExplainedCustomer> {
    return explainRow({ id, row: 0, features, target: null });
  },

  /** Reads a pasted CSV row with the CSV reader, then scores and explains it. */
  async explainPasted(text: string, knownHeader: string[] | null): Promise<ExplainedCustomer> {
    return explainRow(await firstRow(pastedCsv(text, knownHeader)));
  },

  /** Streams the file again to the row with this ID_code and explains it; null when no row has it. */
  async explainId(file: File, id: string): Promise<ExplainedCustomer | null> {
    const found = await findRow(
      fileSource(file, await isGzip(file), () => {}),
      id,
    );
    return found ? explainRow(found) : null;
  },
};
