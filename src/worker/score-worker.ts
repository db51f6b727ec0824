/** The scoring worker: a thin shell that exposes one object; the logic lives in src/core/scoring. */
import * as Comlink from 'comlink';
import type { CardCheck } from '../core/insights/card-vs-file';
import type { LineIndex } from '../core/insights/line-index';
import type { BatchSource, ReaderTimings } from '../core/scoring/pipeline';
import { PREDICTIONS_HEADER_LINE } from '../core/scoring/predictions-csv';
import { type ScoreFileResult, scoreFile } from '../core/scoring/score-file';
import { fileBatches, type OpenedFile, openIndexed } from './file-bytes';
import { FileError, type MemberInfo, type TableSource } from '../core/input';
import { idBuffers } from '../core/ids';
import {
  contributions,
  fittedRowsRecord,
  type ModelChoice,
  type ModelFacts,
  modelFacts,
  modelSession,
  probabilities,
  trainingFeatures,
  useModel,
} from './model-session';
import { cardCheckOf, holdScored, insightsApi } from './insights-api';
import type { ParseWorkerApi } from './parse-worker';
import { holdLifeLock } from './life-lock';

/** How far a file has got, sent to the page a few times a second. */
export interface ScoreProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
  elapsedMs: number;
}

/**
 * A scored file, with everything the page shows computed here once (ranking, evaluation, card check, drift),
 * plus the predictions file ready to download. The page looks things up in it; it computes nothing per row.
 */
export interface ScoreResult extends Omit<ScoreFileResult, 'affectedRowsCsv'> {
  /** Names this result in later calls about it (the flagged download, finding a customer by ID_code). */
  resultId: number;
  /** The labelled file against the model card's holdout figures (null without an evaluation). */
  cardCheck: CardCheck | null;
  predictions: Blob;
  /** row, ID_code, column, kind, value for every problem row; null when there is none. */
  affectedRows: Blob | null;
  /** How the rows were reached: containers (gzip, zip), the zip member, UTF-16, CSV or Parquet. */
  source: TableSource;
  seconds: number;
  /** Where the reading worker's time went (beside `timings`, this worker's); null when this worker read the file. */
  reading: ReaderTimings | null;
}

/** A zip of several tables: the page asks which one (members best first), then scores again with it. */
export interface MemberChoice {
  choose: MemberInfo[];
}

const PROGRESS_EVERY_MS = 100;
// A 4-decimal row of 200 features takes about 1.5 kB: a first guess of the row count, to size arrays once.
const BYTES_PER_ROW = 1500;

let parser: Comlink.Remote<ParseWorkerApi> | null = null;

/** This worker's life lock (see life-lock.ts), taken at start. */
const lifeLock = holdLifeLock();

/** The reading worker, started once; null where workers cannot start workers. */
function readingWorker(): Comlink.Remote<ParseWorkerApi> | null {
  if (typeof Worker === 'undefined') return null;
  parser ??= Comlink.wrap<ParseWorkerApi>(
    new Worker(new URL('./parse-worker.ts', import.meta.url), { type: 'module', name: 'reader' }),
  );
  return parser;
}

/**
 * The table read in a nested worker (a second core), or here where nested workers are missing; the line starts
 * the reading recorded and the reading worker's timings (null when read here) go to `onRead`.
 */
function sourceFor(
  file: File,
  member: string | undefined,
  opened: OpenedFile,
  onRead: (index: LineIndex | null, timings: ReaderTimings | null) => void,
): BatchSource {
  const remote = readingWorker();
  if (!remote) {
    return async (sink) => {
      const summary = await fileBatches(opened.table)(sink);
      onRead(opened.lineIndex(), null);
      return summary;
    };
  }
  return async (sink) => {
    const { summary, lineIndex, timings } = await remote.parse(file, member, Comlink.proxy(sink));
    onRead(lineIndex, timings);
    return summary;
  };
}

/**
 * The member the reading worker opens: the one this worker's open chose (the outermost archive's), so the reader
 * does not look at every table again to choose it.
 */
function memberToRead(source: TableSource): string | undefined {
  return source.member ?? undefined;
}

let lastResultId = 0;

const api = {
  /** Answers when this worker and its reading worker are alive (the page's watchdog asks while a file runs). */
  async ping(): Promise<true> {
    if (parser) await parser.ping();
    return true;
  },

  /** Resolves true once this worker holds its life lock (see lifeLock). */
  holdLifeLock(): Promise<boolean> {
    return lifeLock;
  },

  // The flagged download, finding a customer, and explanations for the insights (src/app/insights).
  ...insightsApi,

  /** Scores with this model (null: the built-in one); sent by the page before anything else. */
  useModel(choice: ModelChoice | null): void {
    useModel(choice);
  },

  /** Loads the runtime and the model (once); resolves with the model's facts. */
  async prepare(): Promise<ModelFacts> {
    readingWorker();
    await modelSession();
    return modelFacts();
  },

  /**
   * Scores the table in a file: a CSV (or UTF-16 text), gzip, a zip `member` (or its only table), Parquet.
   * A zip of several tables and no member named resolves with the members to choose from instead.
   */
  async score(
    file: File,
    onProgress?: (progress: ScoreProgress) => void,
    member?: string,
  ): Promise<ScoreResult | MemberChoice> {
    const started = performance.now();
    await modelSession();
    let opened: OpenedFile;
    try {
      opened = await openIndexed(file, member);
    } catch (error) {
      if (error instanceof FileError && error.code === 'choose-member') return { choose: error.members };
      throw error;
    }
    const source = opened.table.source;
    let lineIndex: LineIndex | null = null;
    let reading: ReaderTimings | null = null;
    const gzip = source.containers.includes('gzip');
    let bytes = 0;
    let rows = 0;
    let lastSent = 0;
    const report = (force = false) => {
      const now = performance.now();
      if (!onProgress || (!force && now - lastSent < PROGRESS_EVERY_MS)) return;
      lastSent = now;
      void onProgress({ bytes, totalBytes: file.size, rows, elapsedMs: now - started });
    };
    // Each chunk of lines becomes a Blob at once: the bytes live in blob storage, not in this worker's heap.
    let parts: Blob[] = [];
    const result = await scoreFile({
      driftFeatures: trainingFeatures(),
      fittedRows: await fittedRowsRecord(),
      recycle: (buffer) => {
        if (parser && buffer instanceof ArrayBuffer) void parser.recycle(Comlink.transfer(buffer, [buffer]));
      },
      source: sourceFor(file, memberToRead(source), opened, (index, timings) => {
        lineIndex = index;
        reading = timings;
      }),
      run: probabilities,
      explain: contributions,
      expectedRows: source.rows ?? Math.ceil((source.bytes ?? file.size * (gzip ? 2.2 : 1)) / BYTES_PER_ROW),
      onLines: (lines) => parts.push(new Blob([lines])),
      onRestart: () => (parts = []),
      onProgress: (n, b) => {
        rows = n;
        bytes = b;
        report();
      },
    });
    report(true);
    const predictions = new Blob([PREDICTIONS_HEADER_LINE, ...parts], { type: 'text/csv' });
    const { affectedRowsCsv, ...rest } = result;
    const affectedRows = affectedRowsCsv.length > 0 ? new Blob(affectedRowsCsv, { type: 'text/csv' }) : null;
    const resultId = ++lastResultId;
    // The worker keeps its own copy of what later calls read (the flagged download, a look-up by ID_code, a
    // row read back through the line index); the page gets the arrays themselves, transferred.
    holdScored({
      resultId,
      file,
      // As the page asks for explanations: with the member it asked to score.
      member,
      result,
      lineIndex,
      table: opened.table,
    });
    const seconds = (performance.now() - started) / 1000;
    const out: ScoreResult = {
      ...rest,
      resultId,
      cardCheck: cardCheckOf(result.evaluation),
      predictions,
      affectedRows,
      source,
      seconds,
      reading,
    };
    const { ranking, evaluation } = out;
    const transfers = [
      out.probabilities.buffer,
      ...idBuffers(out.ids),
      ...(out.targets ? [out.targets.buffer] : []),
      ranking.order.buffer,
      ranking.sorted.buffer,
      ranking.cumulative.buffer,
      ...(evaluation ? [evaluation.cumulativePositives.buffer, evaluation.cumulativeLabelled.buffer] : []),
    ];
    return Comlink.transfer(out, transfers as ArrayBuffer[]);
  },
};

/** The worker's interface, as the page sees it through Comlink. */
export type WorkerApi = typeof api;

Comlink.expose(api);
