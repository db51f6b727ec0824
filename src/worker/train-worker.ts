/**
 * The training worker: a thin shell over src/core/train. It reads a labelled File with the shared CSV reader into
 * one Float32Array, refuses what cannot be trained here (too large for the device, one class, too few rows),
 * trains, runs the guard, scores the same holdout rows with the model in use before the run (without those it
 * was fitted on, when it has a record of them), and hands back the model bytes, its card, its record of fitted
 * rows and that comparison. Cancel = the page terminates this worker.
 */
import * as Comlink from 'comlink';
import { FileError, type Table } from '../core/input';
import { sha256Chunks, sha256Hex } from '../core/integrity';
import type { ModelCard } from '../core/model-card';
import { FEATURE_COUNT } from '../core/schema';
import { estimateRows, memoryBudget, memoryRefusal } from '../core/train/memory';
import {
  guardProblems,
  type PreviousOnHoldout,
  TrainingRefusal,
  trainingMember,
  trainingRefusal,
} from '../core/train/policy';
import { gatherRows, previousOnHoldout, type PreviousModel } from '../core/train/compare-previous';
import { trainingNotes } from '../core/train/notes';
import { TrainClock, type TrainProgress } from '../core/train/progress';
import { type TrainStep, trainModel } from '../core/train/train-model';
import { withLabelHint } from '../core/train/label-hint';
import { type TrainingRows, TrainingRowsSink } from '../core/train/training-rows';
import { fileAccess } from './file-access';
import { openFile } from './file-bytes';
import type { HashWorkerApi } from './hash-worker';
import { holdLifeLock } from './life-lock';
import { contributions, fittedRowsOf, type ModelChoice, useModel } from './model-session';
import { BATCH_ROWS } from './settings';

export type { TrainProgress };

/** The settings the page chooses (the CLI's defaults: seed 42, 20% holdout, 5 folds, with baselines). */
export interface TrainRequest {
  seed: number;
  holdout: number;
  folds: number;
  baselines: boolean;
  /** The app's build commit, for the card ('unknown' when the build does not know it). */
  gitCommit: string;
  /** The zip member to train on, when the file is an archive of several tables. */
  member?: string;
  /** The model in use on the page (null: the built-in one), scored on the new model's holdout rows. */
  inUse: ModelChoice | null;
}

/** A model trained here that passed the guard. */
export interface TrainedFile {
  /** model.onnx (transferred). */
  onnx: ArrayBuffer;
  card: ModelCard;
  markdown: string;
  /** fitted-rows.bin (transferred): the record of the rows it was fitted on. */
  fittedRows: ArrayBuffer;
  /** The model in use before the run, on the holdout rows of the card's metrics.holdout. */
  previous: PreviousOnHoldout;
  /** How the file was read and its repeated ids, in sentences (trainingNotes); empty for a plain CSV. */
  notes: string[];
}

/** Rows read from the start of the file to estimate its row count (about 12 MB of a Kaggle-like file). */
const SAMPLE_ROWS = 8192;
const PROGRESS_EVERY_MS = 100;
/**
 * Calibrating and checking take this share of the smoothing time (scripts/bench-train-browser.ts, full-size
 * synthetic file in Chromium): mostly the logistic regression baseline.
 */
const TAIL_SHARE = { withBaselines: 0.35, withoutBaselines: 0.05 };

/** This worker's life lock (see life-lock.ts), taken at start. */
const lifeLock = holdLifeLock();

/**
 * The table's rows: exact when known ahead (Parquet) or when the sample is the whole file; else the first
 * SAMPLE_ROWS rows' share of the file's own (packed) bytes, scaled to its size. The reader reads ahead by at most
 * one chunk (1 MiB), a few per cent of the sample.
 */
async function countRows(table: Table, fileSize: number): Promise<number> {
  if (table.source.rows !== null) return table.source.rows;
  const stop = new AbortController();
  let sampled = 0;
  let bytes = 0;
  try {
    const summary = await table.read({
      batchRows: SAMPLE_ROWS,
      signal: stop.signal,
      onBatch: (batch) => {
        sampled = batch.count;
        bytes = table.bytesRead();
        stop.abort();
      },
    });
    return summary.rows;
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  }
  return estimateRows({ rows: sampled, fileBytes: bytes }, fileSize);
}

/**
 * Opens the table to train on. A zip of several tables and no member named (Kaggle's competition archive) is
 * opened at its one labelled table (train.csv there); with none or several, it is refused with their names.
 */
async function openTraining(file: File, member: string | undefined): Promise<Table> {
  try {
    return await openFile(file, member);
  } catch (error) {
    if (!(error instanceof FileError) || error.code !== 'choose-member') throw error;
    const how = 'drop it to score it, choose the table, then use "Train a model on this file".';
    return openFile(file, trainingMember(file.name, error.members, how));
  }
}

/** The file's SHA-256, on another core when this worker can start one (the fit keeps this one busy). */
function fileSha256(file: Blob): Promise<string> {
  if (typeof Worker === 'undefined') return sha256Chunks(fileAccess(file).stream());
  const worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module', name: 'hasher' });
  return Comlink.wrap<HashWorkerApi>(worker)
    .sha256(file)
    .finally(() => worker.terminate());
}

/**
 * The model in use (null: the built-in model) on rows of `data`, run by onnxruntime-web through the scoring
 * worker's model-session code (the same runtime, batches of BATCH_ROWS, and SHA-256 check against its card).
 * Ranked on the sum of its 200 contributions, its log-odds less the intercept, as the card's AUC of the new model
 * is ranked on its log-odds: float32 probabilities tie near 0 and 1 where these do not.
 */
async function inUseModel(inUse: ModelChoice | null, data: TrainingRows): Promise<PreviousModel> {
  return {
    fittedRows: await fittedRowsOf(inUse),
    async score(rows: Uint32Array): Promise<Float64Array> {
      useModel(inUse, false);
      const scores = new Float64Array(rows.length);
      for (let start = 0; start < rows.length; start += BATCH_ROWS) {
        const batch = rows.subarray(start, start + BATCH_ROWS);
        const c = await contributions(gatherRows(data.features, batch), batch.length);
        for (let k = 0; k < batch.length; k++) {
          let sum = 0;
          for (let j = 0; j < FEATURE_COUNT; j++) sum += c[k * FEATURE_COUNT + j];
          scores[start + k] = sum;
        }
      }
      return scores;
    },
  };
}

const api = {
  /** Resolves true once this worker holds its life lock (false where Web Locks are missing). */
  holdLifeLock(): Promise<boolean> {
    return lifeLock;
  },

  /**
   * Trains a model on a labelled file (any kind the input layer opens: CSV, gzip, a zip's `member`, Parquet);
   * throws TrainingRefusal, FileError, CsvError or SchemaError.
   */
  async train(
    file: File,
    request: TrainRequest,
    onProgress: (progress: TrainProgress) => void,
  ): Promise<TrainedFile> {
    const startedAt = performance.now();
    const clock = new TrainClock(request.baselines ? TAIL_SHARE.withBaselines : TAIL_SHARE.withoutBaselines);
    let lastSent = 0;
    let lastPhase = '';
    const report = (step: TrainStep) => {
      const now = performance.now();
      if (step.phase === lastPhase && now - lastSent < PROGRESS_EVERY_MS) return;
      lastSent = now;
      lastPhase = step.phase;
      void onProgress(clock.progress(step));
    };
    report({ phase: 'reading', done: 0, total: file.size });

    const table = await openTraining(file, request.member);
    const estimated = await countRows(table, file.size);
    // GB, rounded and capped at 8 by Chromium; other browsers do not say.
    const deviceGb = Reflect.get(navigator, 'deviceMemory') as number | undefined;
    const tooLarge = memoryRefusal(estimated, memoryBudget(deviceGb), deviceGb !== undefined);
    if (tooLarge) throw new TrainingRefusal(tooLarge);

    const dataSha256 = fileSha256(file);
    dataSha256.catch(() => {}); // awaited (and its failure reported) by trainModel
    // 5% over the estimate (which comes out low by the reader's read-ahead): no second allocation.
    const sink = new TrainingRowsSink(() => Math.ceil(estimated * 1.05) + 1);
    const { onBatch } = sink.parseOptions;
    const summary = await table
      .read({
        ...sink.parseOptions,
        onBatch: (batch) => {
          void onBatch(batch);
          report({ phase: 'reading', done: table.bytesRead(), total: file.size });
        },
      })
      .catch(async (error: unknown) => {
        // No target column: a column named label, y, is_transaction … holding only 0 and 1 is named, as the CLI does.
        throw await withLabelHint(error, (options) => table.read(options));
      });
    const data = sink.finish();
    const notes = trainingNotes(table.source, summary, sink.repeatedIds());
    let positives = 0;
    for (let i = 0; i < data.rows; i++) positives += data.targets[i];
    const refusal = trainingRefusal(data.rows, positives, request);
    if (refusal) throw new TrainingRefusal(refusal);

    const trained = await trainModel(data, {
      seed: request.seed,
      holdout: request.holdout,
      folds: request.folds,
      baselines: request.baselines,
      source: 'other',
      fileName: file.name,
      dataSha256,
      gitCommit: request.gitCommit,
      trainedIn: 'browser',
      startedAt,
      onStep: report,
    });
    const problems = guardProblems({ card: trained.card, modelSha256: await sha256Hex(trained.onnx) });
    if (problems.length > 0) {
      throw new TrainingRefusal(`The model trained on ${file.name} is not offered: ${problems.join('; ')}.`);
    }
    const previous = await previousOnHoldout(
      data,
      trained.holdoutRows,
      trained.holdoutScores,
      await inUseModel(request.inUse, data),
    );
    const onnx = trained.onnx.slice().buffer;
    const fittedRows = trained.fittedRows.slice().buffer;
    const { card, markdown } = trained;
    return Comlink.transfer({ onnx, card, markdown, fittedRows, previous, notes }, [onnx, fittedRows]);
  },
};

/** The training worker's interface, as the page sees it through Comlink. */
export type TrainWorkerApi = typeof api;

Comlink.expose(api);
