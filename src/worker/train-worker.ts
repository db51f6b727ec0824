/**
 * The training worker: a thin shell over src/core/train. It reads a labelled File with the shared CSV reader into
 * one Float32Array, refuses what cannot be trained here (too large for the device, one class, too few rows),
 * trains, runs the guard, and hands back the model bytes and card. Cancel = the page terminates this worker.
 */
import * as Comlink from 'comlink';
import { parseCsv } from '../core/csv/index';
import { sha256Chunks, sha256Hex } from '../core/integrity';
import type { ModelCard } from '../core/model-card';
import { estimateRows, type FileSample, memoryBudget, memoryRefusal } from '../core/train/memory';
import { guardProblems, TrainingRefusal, trainingRefusal } from '../core/train/policy';
import { TrainClock, type TrainProgress } from '../core/train/progress';
import { type TrainStep, trainModel } from '../core/train/train-model';
import { TrainingRowsSink } from '../core/train/training-rows';
import { fileSource, isGzip } from './file-bytes';
import type { HashWorkerApi } from './hash-worker';

export type { TrainProgress };

/** The settings the page chooses (the CLI's defaults: seed 42, 20% holdout, 5 folds, with baselines). */
export interface TrainRequest {
  seed: number;
  holdout: number;
  folds: number;
  baselines: boolean;
  /** The app's build commit, for the card ('unknown' when the build does not know it). */
  gitCommit: string;
}

/** A model trained here that passed the guard. */
export interface TrainedFile {
  /** model.onnx (transferred). */
  onnx: ArrayBuffer;
  card: ModelCard;
  markdown: string;
}

/** Decompressed bytes read from the start of the file to estimate its row count. */
const SAMPLE_BYTES = 1 << 20;
const PROGRESS_EVERY_MS = 100;
/**
 * Calibrating and checking take this share of the smoothing time (scripts/bench-train-browser.ts, full-size
 * synthetic file in Chromium): mostly the logistic regression baseline.
 */
const TAIL_SHARE = { withBaselines: 0.35, withoutBaselines: 0.05 };

/**
 * This worker's life lock (the scoring worker has one too): held from the start until the worker is gone, named
 * by the page, which queues for it and so learns at once of a death that fires no event (out of memory). The
 * fit keeps this thread busy for tens of seconds, so pings would not tell busy from dead.
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

/** Line breaks and bytes in the first MiB of the (decompressed) file, and the file's own bytes that took. */
async function sampleStart(file: Blob, gzip: boolean): Promise<FileSample> {
  let fileBytes = 0;
  let textBytes = 0;
  let lineBreaks = 0;
  let complete = true;
  for await (const chunk of fileSource(file, gzip, (n) => (fileBytes = n))()) {
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lineBreaks++;
    textBytes += chunk.length;
    if (textBytes >= SAMPLE_BYTES) {
      complete = false;
      break;
    }
  }
  return { lineBreaks, textBytes, fileBytes, complete };
}

/** The file's SHA-256, on another core when this worker can start one (the fit keeps this one busy). */
function fileSha256(file: Blob): Promise<string> {
  if (typeof Worker === 'undefined') return sha256Chunks(fileSource(file, false, () => {})());
  const worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module', name: 'hasher' });
  return Comlink.wrap<HashWorkerApi>(worker)
    .sha256(file)
    .finally(() => worker.terminate());
}

/** Chromium's DecompressionStream errors say nothing about the file: name the real problem. */
function gzipProblem(error: unknown): unknown {
  const name = (error as Error | null)?.name;
  if (name === 'CsvError' || name === 'SchemaError' || name === 'TrainingRefusal') return error;
  return new TrainingRefusal(`It is not a valid gzip file (${(error as Error)?.message ?? String(error)}).`);
}

const api = {
  /** Resolves true once this worker holds its life lock (false where Web Locks are missing). */
  holdLifeLock(): Promise<boolean> {
    return lifeLock;
  },

  /** Trains a model on a labelled .csv or .csv.gz file; throws TrainingRefusal, CsvError or SchemaError. */
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

    const gzip = await isGzip(file);
    const estimated = estimateRows(await sampleStart(file, gzip), file.size);
    // GB, rounded and capped at 8 by Chromium; other browsers do not say.
    const deviceGb = Reflect.get(navigator, 'deviceMemory') as number | undefined;
    const tooLarge = memoryRefusal(estimated, memoryBudget(deviceGb), deviceGb !== undefined);
    if (tooLarge) throw new TrainingRefusal(tooLarge);

    const dataSha256 = fileSha256(file);
    dataSha256.catch(() => {}); // awaited (and its failure reported) by trainModel
    // 2% over the estimate: lines a little longer than the first MiB's then need no second allocation.
    const sink = new TrainingRowsSink(() => Math.ceil(estimated * 1.02) + 1);
    const open = fileSource(file, gzip, (bytes) =>
      report({ phase: 'reading', done: bytes, total: file.size }),
    );
    await parseCsv(open, sink.parseOptions).catch((error: unknown) => {
      throw gzip ? gzipProblem(error) : error;
    });
    const data = sink.finish();
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
    const onnx = trained.onnx.slice().buffer;
    return Comlink.transfer({ onnx, card: trained.card, markdown: trained.markdown }, [onnx]);
  },
};

/** The training worker's interface, as the page sees it through Comlink. */
export type TrainWorkerApi = typeof api;

Comlink.expose(api);
