/**
 * The ONNX model in onnxruntime-web (wasm): the built-in one (models/, by URL) or a model the page hands over
 * (bytes + card: one trained in the browser or loaded from a file), loaded once, lazily, and checked against its
 * card's SHA-256 before use.
 */
import * as ort from 'onnxruntime-web/wasm';
// Through Vite so both names carry a content hash: a new runtime or retrained model changes the precache entry.
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import modelUrl from '../../models/model.onnx?url';
import builtInFittedRowsUrl from '../../models/fitted-rows.bin?url';
import builtInCard from '../../models/model-card.json';
import { FittedRows } from '../core/fit/fitted-rows';
import { sha256Hex, verifyModel } from '../core/integrity';
import type { ModelCard } from '../core/model-card';
import { FEATURE_COUNT } from '../core/schema';
import { BATCH_ROWS, WARM_UP_BATCHES } from './settings';

ort.env.wasm.wasmPaths = { wasm: wasmUrl };
// One thread: GitHub Pages sends no COOP/COEP headers, so SharedArrayBuffer (and threads) are unavailable.
ort.env.wasm.numThreads = 1;

/** What the page shows about the model once it is loaded. */
export interface ModelFacts {
  /** 'built-in': the app's own model; 'yours': one the page handed over (trained here or loaded from a file). */
  origin: 'built-in' | 'yours';
  version: string;
  source: string;
  holdoutAuc: number;
  sha256: string;
}

/** A model other than the built-in one: its model.onnx bytes, its card and its fitted-rows.bin when it has one. */
export interface ModelChoice {
  onnx: ArrayBuffer;
  card: ModelCard;
  /** The record of the rows it was fitted on (checked against card.fittedRows when it was kept or loaded). */
  fittedRows?: ArrayBuffer;
}

let chosen: ModelChoice | null = null;
/** Whether a new session runs the warm-up (the scoring worker's; the training worker's holdout check does not). */
let warmSessions = true;
let session: Promise<ort.InferenceSession> | undefined;
/** The start-up warm-up (see warmUp); files wait for it, the "ready" message does not. */
let warmedUp: Promise<void> = Promise.resolve();

/** The session, created on first use; a failed start is forgotten so the next call tries again. */
export function modelSession(): Promise<ort.InferenceSession> {
  if (session) return session;
  const starting: Promise<ort.InferenceSession> = createSession().then(
    (created) => {
      // A task later: the "ready" answer leaves first, and the page is not kept waiting for the warm-up.
      if (warmSessions)
        warmedUp = new Promise((resolve) => setTimeout(resolve, 0))
          .then(() => warmUp(created))
          // The built-in model's record of fitted rows is fetched and checked here too, not when a file lands.
          .then(() => (chosen ? undefined : builtInFittedRows()))
          .then(() => {})
          .catch(() => {});
      return created;
    },
    (error: unknown) => {
      if (session === starting) session = undefined;
      throw error;
    },
  );
  session = starting;
  return starting;
}

/** The card of the model in use. */
export function modelCard(): ModelCard {
  return chosen?.card ?? (builtInCard as unknown as ModelCard);
}

/**
 * Scores with `choice` (null: the built-in model). The page's bridge sends it as a fresh worker's first message,
 * before anything starts a session; a session already started is released (nothing may be running on it).
 * `warm`: false skips the start-up warm-up, which only matters for a large file scored next (the training
 * worker scores one holdout and ends: 16,384 dummy rows would be work for nothing).
 */
export function useModel(choice: ModelChoice | null, warm = true): void {
  chosen = choice;
  warmSessions = warm;
  const previous = session;
  session = undefined;
  void previous?.then((s) => s.release()).catch(() => {});
}

async function createSession(): Promise<ort.InferenceSession> {
  const model = chosen;
  let bytes: Uint8Array;
  if (model) bytes = new Uint8Array(model.onnx);
  else {
    const response = await fetch(modelUrl);
    if (!response.ok)
      throw new Error(`Could not load the model (${response.status} ${response.statusText}).`);
    bytes = new Uint8Array(await response.arrayBuffer());
  }
  const check = await verifyModel(bytes, modelCard().model.sha256);
  if (!check.ok) throw new Error(check.message);
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
}

/**
 * Runs the model on a few dummy batches before the first file. Once onnxruntime's wasm functions have run a
 * while, V8 compiles the hot ones again with its optimising tier, which briefly takes about 100 MB of compiler
 * memory (Chromium's memory-infra: V8 malloc): done here, right after start-up, that spike no longer lands on
 * top of a large file (peak renderer memory for a 300 MB file: ~412 -> ~361 MB, scripts/bench-browser.ts).
 */
async function warmUp(s: ort.InferenceSession): Promise<void> {
  const zeros = new Float32Array(BATCH_ROWS * FEATURE_COUNT);
  for (let i = 0; i < WARM_UP_BATCHES; i++) {
    const input = new ort.Tensor('float32', zeros, [BATCH_ROWS, FEATURE_COUNT]);
    const result = await s.run({ features: input }, ['probability']);
    input.dispose();
    result.probability.dispose?.();
  }
}

let builtInRecord: Promise<Uint8Array | null> | undefined;

/**
 * The built-in model's fitted-rows.bin (models/, fetched once, precached like model.onnx), when its card describes
 * it and its SHA-256 is the card's; null when it cannot be had: the model is then used with no record.
 */
function builtInFittedRows(): Promise<Uint8Array | null> {
  builtInRecord ??= (async () => {
    const described = (builtInCard as unknown as ModelCard).fittedRows;
    if (!described) return null;
    const response = await fetch(builtInFittedRowsUrl);
    if (!response.ok) return null;
    const bytes = new Uint8Array(await response.arrayBuffer());
    return (await sha256Hex(bytes)) === described.sha256 ? bytes : null;
  })().catch(() => null);
  return builtInRecord;
}

/** The fitted-rows.bin of `choice` (null: the built-in model's); null when it has none. */
export async function fittedRowsOf(choice: ModelChoice | null): Promise<Uint8Array | null> {
  if (!choice) return builtInFittedRows();
  return choice.fittedRows ? new Uint8Array(choice.fittedRows) : null;
}

/** The record of the rows the model in use was fitted on (the built-in model's too); null when it has none. */
export async function fittedRowsRecord(): Promise<FittedRows | null> {
  const bytes = await fittedRowsOf(chosen);
  return bytes ? FittedRows.parse(bytes) : null;
}

/** The card's per-feature training quantiles, for the drift check. */
export function trainingFeatures(): readonly { name: string; quantiles: number[] }[] {
  return modelCard().features;
}

/** Facts from the model card. */
export function modelFacts(): ModelFacts {
  const c = modelCard();
  return {
    origin: chosen ? 'yours' : 'built-in',
    version: c.version,
    source: c.data.source,
    holdoutAuc: c.metrics.holdout.auc,
    sha256: c.model.sha256,
  };
}

type Output = 'probability' | 'contributions';

/** Runs the model once for all the asked outputs, so a caller wanting both pays for one run. */
async function runOutputs<K extends Output>(
  features: Float32Array,
  rows: number,
  outputs: K[],
): Promise<Record<K, Float32Array>> {
  const s = await modelSession();
  await warmedUp;
  const input = new ort.Tensor('float32', features, [rows, FEATURE_COUNT]);
  const result = await s.run({ features: input }, outputs);
  input.dispose();
  const data = {} as Record<K, Float32Array>;
  for (const output of outputs) {
    const tensor = result[output];
    data[output] = tensor.data as Float32Array;
    tensor.dispose?.();
  }
  return data;
}

/** P(target = 1) for each row of `features` ([rows, 200] row-major). */
export async function probabilities(features: Float32Array, rows: number): Promise<Float32Array> {
  return (await runOutputs(features, rows, ['probability'])).probability;
}

/** Per-feature contributions to the log-odds, [rows, 200]. */
export async function contributions(features: Float32Array, rows: number): Promise<Float32Array> {
  return (await runOutputs(features, rows, ['contributions'])).contributions;
}

/** Both outputs from one run of the model (a customer's explanation needs them together). */
export function probabilitiesAndContributions(
  features: Float32Array,
  rows: number,
): Promise<Record<Output, Float32Array>> {
  return runOutputs(features, rows, ['probability', 'contributions']);
}
