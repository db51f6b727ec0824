/** The ONNX model in onnxruntime-web (wasm): loaded once, lazily, checked against its card before use. */
import * as ort from 'onnxruntime-web/wasm';
// Through Vite so both names carry a content hash: a new runtime or retrained model changes the precache entry.
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import modelUrl from '../../models/model.onnx?url';
import card from '../../models/model-card.json';
import { verifyModel } from '../core/integrity';
import { FEATURE_COUNT } from '../core/schema';

ort.env.wasm.wasmPaths = { wasm: wasmUrl };
// One thread: GitHub Pages sends no COOP/COEP headers, so SharedArrayBuffer (and threads) are unavailable.
ort.env.wasm.numThreads = 1;

/** What the page shows about the model once it is loaded. */
export interface ModelFacts {
  version: string;
  source: string;
  holdoutAuc: number;
  sha256: string;
}

let session: Promise<ort.InferenceSession> | undefined;

/** The session, created on first use; a failed start is forgotten so the next call tries again. */
export function modelSession(): Promise<ort.InferenceSession> {
  session ??= createSession().catch((error: unknown) => {
    session = undefined;
    throw error;
  });
  return session;
}

async function createSession(): Promise<ort.InferenceSession> {
  const response = await fetch(modelUrl);
  if (!response.ok) throw new Error(`Could not load the model (${response.status} ${response.statusText}).`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const check = await verifyModel(bytes, card.model.sha256);
  if (!check.ok) throw new Error(check.message);
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
}

/** The card's per-feature training quantiles, for the drift check. */
export function trainingFeatures(): readonly { name: string; quantiles: number[] }[] {
  return card.features;
}

/** Facts from the model card. */
export function modelFacts(): ModelFacts {
  return {
    version: card.version,
    source: card.data.source,
    holdoutAuc: card.metrics.holdout.auc,
    sha256: card.model.sha256,
  };
}

async function runOutput(features: Float32Array, rows: number, output: 'probability' | 'contributions') {
  const s = await modelSession();
  const input = new ort.Tensor('float32', features, [rows, FEATURE_COUNT]);
  const result = await s.run({ features: input }, [output]);
  input.dispose();
  const tensor = result[output];
  const data = tensor.data as Float32Array;
  tensor.dispose?.();
  return data;
}

/** P(target = 1) for each row of `features` ([rows, 200] row-major). */
export function probabilities(features: Float32Array, rows: number): Promise<Float32Array> {
  return runOutput(features, rows, 'probability');
}

/** Per-feature contributions to the log-odds, [rows, 200]. */
export function contributions(features: Float32Array, rows: number): Promise<Float32Array> {
  return runOutput(features, rows, 'contributions');
}
