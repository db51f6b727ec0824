/**
 * One file from bytes to results: parse in batches, score each batch, keep what the results page needs,
 * and hand out the predictions file in chunks of lines (so no string for every row is ever held at once).
 * Runtime-free: the worker passes the byte source and the model; tests pass fakes.
 */
import { CellPolicy } from '../cell-policy';
import type { ParseSummary } from '../csv/types';
import { DriftAccumulator, type DriftReport } from '../drift';
import type { FeatureInfo } from '../model-card';
import { auc, labelledRows } from '../metrics';
import { RowIssues } from '../row-issues/collector';
import type { RowIssueDigest } from '../row-issues/types';
import { FEATURE_COUNT } from '../schema';
import { BatchScorer, type RunModel, type ScoredRows } from './batch-scorer';
import { type BatchSource, BoundedQueue, type ParsedItem, release } from './pipeline';
import { PredictionLinesWriter } from './predictions-csv';
import type { TopEntry } from './top-k';

/** A top row with its per-feature contributions to the log-odds. */
export interface ExplainedEntry extends TopEntry {
  contributions: Float32Array;
}

/** Evaluation on the file's own labels (rows whose target is 0 or 1). */
export interface Evaluation {
  auc: number;
  labelled: number;
  positives: number;
}

/** Everything the app shows about a scored file. */
export interface ScoreFileResult extends Omit<ScoredRows, 'top'> {
  /** What the reader found: the header's facts plus the summary's counts (empty lines, decimal commas, ...). */
  info: Omit<ParseSummary, 'rows' | 'bytes' | 'issueCount'>;
  top: ExplainedEntry[];
  issues: RowIssueDigest;
  /** The affected-rows CSV (row, ID_code, column, kind, value) in chunks; empty when no row has a problem. */
  affectedRowsCsv: string[];
  /** Null without a target column, or when the labels hold only one class. */
  evaluation: Evaluation | null;
  /** How the file's features compare with the training data (the card's quantiles). */
  drift: DriftReport;
}

/** How to score one file. */
export interface ScoreFileOptions {
  /** The reader: parseCsv in this thread (localSource) or in another worker. */
  source: BatchSource;
  /** Probabilities for a block of rows. */
  run: RunModel;
  /** Contributions [rows, 200] for a block of rows (used for the top rows only). */
  explain: RunModel;
  topCount?: number;
  expectedRows?: number;
  /** The card's per-feature training quantiles, for the drift check (none: drift is not checked). */
  driftFeatures?: readonly Pick<FeatureInfo, 'name' | 'quantiles'>[];
  /**
   * Takes a batch's features buffer once it is scored (e.g. back to a reader in another worker for reuse);
   * by default the buffer is detached at once.
   */
  recycle?(buffer: ArrayBufferLike): void;
  /** Batches the reader may run ahead of the model (default 2). */
  depth?: number;
  /**
   * The next lines of predictions.csv (no header) as UTF-8, in file order, in chunks of about `linesChunk` bytes;
   * the view is valid during the call.
   */
  onLines(lines: Uint8Array<ArrayBuffer>): void;
  /** Bytes of predictions.csv lines gathered before onLines is called (default LINES_CHUNK). */
  linesChunk?: number;
  /** Everything received through onLines so far is void: the file is being read again. */
  onRestart?(): void;
  /** After each batch: rows scored and file bytes read so far. */
  onProgress?(rows: number, bytes: number): void;
}

/** predictions.csv is handed out in chunks of about this many bytes (1 MiB: about 45,000 lines). */
const LINES_CHUNK = 1 << 20;

/**
 * Scores a file; rejects with the reader's CsvError/SchemaError for whole-file problems, and with the cell
 * policy's CsvError for a file whose feature columns cannot be read as numbers (then no predictions are kept:
 * the caller offers nothing).
 */
export async function scoreFile(options: ScoreFileOptions): Promise<ScoreFileResult> {
  const fresh = () =>
    new BatchScorer({
      width: FEATURE_COUNT,
      topCount: options.topCount ?? 100,
      expectedRows: options.expectedRows,
    });
  let scorer = fresh();
  const lines = new PredictionLinesWriter();
  let issues = new RowIssues();
  let policy = new CellPolicy();
  const freshDrift = () => new DriftAccumulator(options.driftFeatures ?? []);
  let drift = freshDrift();
  // A restart voids what was read: items of an older run are skipped, even one already being scored.
  let run = 0;
  const queue = new BoundedQueue<{ run: number; item: ParsedItem }>(async ({ run: itemRun, item }) => {
    if (itemRun !== run) return;
    const [s, log, d, cells] = [scorer, issues, drift, policy];
    for (const issue of item.issues) {
      log.add(issue);
      cells.add(issue);
    }
    if (!item.batch) return;
    log.noteBatch(item.batch);
    d.add(item.batch.features, item.batch.count);
    const p = await s.add(item.batch, options.run);
    // Nothing keeps the batch's features (the top rows are copies): hand the buffer back or free it now.
    (options.recycle ?? release)(item.batch.features.buffer);
    if (item.batch.targets) release(item.batch.targets.buffer);
    if (itemRun !== run) return;
    lines.write(item.batch.ids, p, 0, item.batch.count);
    if (lines.size >= (options.linesChunk ?? LINES_CHUNK)) options.onLines(lines.take());
    options.onProgress?.(s.rowCount, item.bytes);
  }, options.depth ?? 2);
  const summary = await options.source({
    onItem: (item) => queue.push({ run, item }),
    onRestart: () => {
      run++;
      queue.clear();
      scorer = fresh();
      issues = new RowIssues();
      policy = new CellPolicy();
      drift = freshDrift();
      lines.take();
      options.onRestart?.();
    },
  });
  await queue.drain();
  const refusal = policy.verdict(summary);
  if (refusal) throw refusal;
  if (lines.size > 0) options.onLines(lines.take());
  const scored = scorer.finish();
  const top = await explainTop(scored.top, options.explain);
  const { rows, bytes: _bytes, issueCount: _issueCount, ...info } = summary;
  if (rows !== scored.rows) throw new Error(`the reader counted ${rows} rows but ${scored.rows} were scored`);
  const digest = issues.digest();
  return {
    ...scored,
    info,
    top,
    issues: digest,
    affectedRowsCsv: digest.rows > 0 ? issues.csvChunks() : [],
    evaluation: evaluate(scored.probabilities, scored.targets),
    drift: drift.report(),
  };
}

async function explainTop(top: TopEntry[], explain: RunModel): Promise<ExplainedEntry[]> {
  if (top.length === 0) return [];
  const features = new Float32Array(top.length * FEATURE_COUNT);
  top.forEach((e, i) => features.set(e.features, i * FEATURE_COUNT));
  const contributions = await explain(features, top.length);
  return top.map((e, i) => ({
    ...e,
    contributions: contributions.slice(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT),
  }));
}

/** AUC on the rows labelled 0 or 1; null when there are no labels or only one class. */
export function evaluate(probabilities: Float32Array, targets: Float32Array | null): Evaluation | null {
  if (!targets) return null;
  const { scores, labels, positives } = labelledRows(probabilities, targets);
  if (positives === 0 || positives === labels.length) return null;
  return { auc: auc(scores, labels), labelled: labels.length, positives };
}
