/**
 * One file from bytes to results: parse in batches, score each batch, keep what the results page needs,
 * and hand out the predictions file in chunks of lines (so no string for every row is ever held at once).
 * Runtime-free: the worker passes the byte source and the model; tests pass fakes.
 */
import { CellPolicy } from '../cell-policy';
import type { ParseSummary } from '../csv/types';
import { DriftAccumulator, type DriftReport } from '../drift';
import { evaluateLabels, type LabelEvaluation, labelTally, type LabelTally } from '../insights/evaluate';
import type { FittedRows } from '../fit/fitted-rows';
import { type FittedLabelFigures, FittedLabelTally } from '../insights/fitted-labels';
import type { Ranking } from '../insights/cut-line';
import type { FeatureInfo } from '../model-card';
import { RowIssues } from '../row-issues/collector';
import type { RowIssueDigest } from '../row-issues/types';
import { FEATURE_COUNT } from '../schema';
import { BatchScorer, type RunModel, type ScoredRows } from './batch-scorer';
import { blankFarCells, farBounds } from './far-values';
import { type BatchSource, BoundedQueue, type ParsedItem, release } from './pipeline';
import { PredictionLinesWriter } from './predictions-csv';
import type { TopEntry } from './top-k';

/** A top row with its per-feature contributions to the log-odds. */
export interface ExplainedEntry extends TopEntry {
  contributions: Float32Array;
}

/**
 * Milliseconds this thread spent on each stage of one file (summed over batches; the reader's own times come from
 * the reader): where the time goes, printed by scripts/bench-browser.ts.
 */
export interface ScoreTimings {
  /** Waiting for the reader's next batch. */
  wait: number;
  /** The model (onnxruntime) on every batch. */
  model: number;
  drift: number;
  /** Row issues, the repeated-id check, ids and scores kept, predictions.csv lines. */
  rows: number;
  /** Ranking, summary quantiles, evaluation, and the top rows' contributions, once at the end. */
  rank: number;
}

/** Everything the app shows about a scored file, computed once: the page only looks things up in it. */
export interface ScoreFileResult extends Omit<ScoredRows, 'top' | 'ranking'> {
  /** What the reader found: the header's facts plus the summary's counts (empty lines, decimal commas, ...). */
  info: Omit<ParseSummary, 'rows' | 'bytes' | 'issueCount'>;
  top: ExplainedEntry[];
  issues: RowIssueDigest;
  /** The affected-rows CSV (row, ID_code, column, kind, value) in chunks; empty when no row has a problem. */
  affectedRowsCsv: string[];
  /** The file's one ranking (score descending, ties by row): any line is a binary search on it. */
  ranking: Ranking;
  /**
   * The model on the file's own labels (rows whose target is 0 or 1), along the ranking: AUC, log loss, curves,
   * calibration, running counts for the confusion table at any line. Null without a target column, or when the
   * labels hold only one class.
   */
  evaluation: LabelEvaluation | null;
  /**
   * The labels counted against the scores (labelled rows, positives, expected positives), whenever the file has
   * a target column: all the page can say when the labels hold one class and there is no evaluation.
   */
  labels: LabelTally | null;
  /**
   * With a target column and a model with a record of its fitted rows: how many of the file's rows it was
   * fitted on and its AUC on the other labelled rows. Null otherwise.
   */
  fitted: FittedLabelFigures | null;
  /** How the file's features compare with the training data (the card's quantiles). */
  drift: DriftReport;
  /** The cell policy's warning (feature columns without a single number), or null: CellPolicy.warning. */
  columnWarning: string | null;
  timings: ScoreTimings;
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
  /**
   * The card's per-feature training quantiles, for the drift check and the values too far outside the training
   * range to be data (far-values.ts; none: neither is checked).
   */
  driftFeatures?: readonly Pick<FeatureInfo, 'name' | 'quantiles'>[];
  /** The model's record of the rows it was fitted on (none: the file's rows are not looked up). */
  fittedRows?: FittedRows | null;
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
  const bounds = farBounds(options.driftFeatures ?? []);
  let drift = freshDrift();
  const record = options.fittedRows ?? null;
  let fitted = record ? new FittedLabelTally(record) : null;
  const timings: ScoreTimings = { wait: 0, model: 0, drift: 0, rows: 0, rank: 0 };
  let idleSince = performance.now();
  // A restart voids what was read: items of an older run are skipped, even one already being scored.
  let run = 0;
  const queue = new BoundedQueue<{ run: number; item: ParsedItem }>(async ({ run: itemRun, item }) => {
    if (itemRun !== run) return;
    const t0 = performance.now();
    timings.wait += t0 - idleSince;
    const [s, log, d, cells, f] = [scorer, issues, drift, policy, fitted];
    for (const issue of item.issues) {
      log.add(issue);
      cells.add(issue);
    }
    if (!item.batch) {
      idleSince = performance.now();
      timings.rows += idleSince - t0;
      return;
    }
    log.noteBatch(item.batch);
    const t1 = performance.now();
    d.add(item.batch.features, item.batch.count);
    // After the drift check (it describes the file as it is), before the model: see far-values.ts.
    if (bounds) {
      blankFarCells(item.batch, bounds, (issue) => {
        log.add(issue);
        cells.add(issue);
      });
    }
    const t2 = performance.now();
    const p = await s.add(item.batch, options.run);
    const t3 = performance.now();
    // Only labelled files have figures to give (an unlabelled one is not fingerprinted for nothing).
    if (item.batch.targets) f?.add(item.batch.features, p, item.batch.targets, item.batch.count);
    // Nothing keeps the batch's features (the top rows are copies): hand the buffer back or free it now.
    (options.recycle ?? release)(item.batch.features.buffer);
    if (item.batch.targets) release(item.batch.targets.buffer);
    if (itemRun !== run) return;
    lines.write(item.batch.ids, p, 0, item.batch.count);
    if (lines.size >= (options.linesChunk ?? LINES_CHUNK)) options.onLines(lines.take());
    options.onProgress?.(s.rowCount, item.bytes);
    idleSince = performance.now();
    timings.drift += t2 - t1;
    timings.model += t3 - t2;
    timings.rows += t1 - t0 + (idleSince - t3);
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
      fitted = record ? new FittedLabelTally(record) : null;
      lines.take();
      options.onRestart?.();
    },
  });
  await queue.drain();
  const refusal = policy.verdict(summary);
  if (refusal) throw refusal;
  if (lines.size > 0) options.onLines(lines.take());
  const finishing = performance.now();
  timings.wait += finishing - idleSince;
  // Ranked once: the summary's quantiles, the evaluation and every line the page draws read this one order.
  const scored = scorer.finish();
  const { ranking } = scored;
  const evaluation = scored.targets
    ? evaluateLabels(scored.probabilities, scored.targets, ranking.order)
    : null;
  const labels = scored.targets ? labelTally(scored.probabilities, scored.targets) : null;
  const top = await explainTop(scored.top, options.explain);
  timings.rank = performance.now() - finishing;
  const { rows, bytes: _bytes, issueCount: _issueCount, ...info } = summary;
  if (rows !== scored.rows) throw new Error(`the reader counted ${rows} rows but ${scored.rows} were scored`);
  const digest = issues.digest();
  return {
    ...scored,
    info,
    top,
    issues: digest,
    affectedRowsCsv: digest.rows > 0 ? issues.csvChunks() : [],
    evaluation,
    labels,
    fitted: fitted && scored.targets ? fitted.figures() : null,
    drift: drift.report(),
    columnWarning: policy.warning(summary),
    timings,
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
