/** The scoring worker: a thin shell that exposes one object; the logic lives in src/core/scoring. */
import * as Comlink from 'comlink';
import type { BatchSource } from '../core/scoring/pipeline';
import { PREDICTIONS_HEADER } from '../core/scoring/predictions-csv';
import { type ScoreFileResult, scoreFile } from '../core/scoring/score-file';
import { fileBatches, isGzip } from './file-bytes';
import { CsvError } from '../core/csv/types';
import { idBuffers } from '../core/ids';
import {
  contributions,
  type ModelChoice,
  type ModelFacts,
  modelFacts,
  modelSession,
  probabilities,
  trainingFeatures,
  useModel,
} from './model-session';
import { insightsApi } from './insights-api';
import type { ParseWorkerApi } from './parse-worker';

/** How far a file has got, sent to the page a few times a second. */
export interface ScoreProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
  elapsedMs: number;
}

/** A scored file, plus the predictions file ready to download. */
export interface ScoreResult extends Omit<ScoreFileResult, 'affectedRowsCsv'> {
  predictions: Blob;
  /** row, ID_code, column, kind, value for every problem row; null when there is none. */
  affectedRows: Blob | null;
  gzip: boolean;
  seconds: number;
}

const PROGRESS_EVERY_MS = 100;
// A 4-decimal row of 200 features takes about 1.5 kB: a first guess of the row count, to size arrays once.
const BYTES_PER_ROW = 1500;

let parser: Comlink.Remote<ParseWorkerApi> | null = null;

/**
 * This worker holds a Web Lock named after it (the page names each worker uniquely) until it is gone: the page
 * queues for the lock and so learns of any death, even a silent one (closed, out of memory), at once.
 * Resolves true once the lock is held; false where Web Locks are missing.
 */
const lifeLock: Promise<boolean> =
  'locks' in navigator && self.name
    ? new Promise((resolve) => {
        void navigator.locks.request(self.name, () => {
          resolve(true);
          return new Promise<never>(() => {});
        });
      })
    : Promise.resolve(false);

/** The reading worker, started once; null where workers cannot start workers. */
function readingWorker(): Comlink.Remote<ParseWorkerApi> | null {
  if (typeof Worker === 'undefined') return null;
  parser ??= Comlink.wrap<ParseWorkerApi>(
    new Worker(new URL('./parse-worker.ts', import.meta.url), { type: 'module', name: 'reader' }),
  );
  return parser;
}

/** The file read in a nested worker (a second core), or here where nested workers are missing. */
function sourceFor(file: File, gzip: boolean, onBytes: (n: number) => void): BatchSource {
  const remote = readingWorker();
  if (!remote) return fileBatches(file, gzip, onBytes);
  return (sink) => remote.parse(file, gzip, Comlink.proxy(sink));
}

/** Chromium's DecompressionStream errors say nothing about the file: name the real problem. */
function gzipProblem(error: unknown): unknown {
  const name = (error as Error | null)?.name;
  if (name === 'CsvError' || name === 'SchemaError' || name === 'AbortError') return error;
  return new CsvError(
    `It is not a valid gzip file (${(error as Error)?.message ?? String(error)}).`,
    'not-text',
  );
}

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

  // Ranking, evaluation and single-customer explanations for the insights (src/app/insights).
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

  /** Scores a .csv or .csv.gz file. */
  async score(file: File, onProgress?: (progress: ScoreProgress) => void): Promise<ScoreResult> {
    const started = performance.now();
    await modelSession();
    const gzip = await isGzip(file);
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
      recycle: (buffer) => {
        if (parser && buffer instanceof ArrayBuffer) void parser.recycle(Comlink.transfer(buffer, [buffer]));
      },
      source: sourceFor(file, gzip, (n) => {
        bytes = n;
        report();
      }),
      run: probabilities,
      explain: contributions,
      expectedRows: Math.ceil((file.size * (gzip ? 2.2 : 1)) / BYTES_PER_ROW),
      onLines: (lines) => parts.push(new Blob([lines])),
      onRestart: () => (parts = []),
      onProgress: (n, b) => {
        rows = n;
        bytes = b;
        report();
      },
    }).catch((error: unknown) => {
      throw gzip ? gzipProblem(error) : error;
    });
    report(true);
    const predictions = new Blob([PREDICTIONS_HEADER, ...parts], { type: 'text/csv' });
    const { affectedRowsCsv, ...rest } = result;
    const affectedRows = affectedRowsCsv.length > 0 ? new Blob(affectedRowsCsv, { type: 'text/csv' }) : null;
    const seconds = (performance.now() - started) / 1000;
    const out: ScoreResult = { ...rest, predictions, affectedRows, gzip, seconds };
    const transfers = [
      out.probabilities.buffer,
      ...idBuffers(out.ids),
      ...(out.targets ? [out.targets.buffer] : []),
    ];
    return Comlink.transfer(out, transfers as ArrayBuffer[]);
  },
};

/** The worker's interface, as the page sees it through Comlink. */
export type WorkerApi = typeof api;

Comlink.expose(api);
