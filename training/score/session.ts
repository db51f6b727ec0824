/** onnxruntime-web (wasm build, also in Node) around a model file: one session, scored batch by batch. */
import * as ort from 'onnxruntime-web';
import { FEATURE_COUNT } from '../../src/core/schema';
import { ONNX_NAMES } from '../../src/core/onnx/export';
import { InputError } from '../io/read-rows';

/** Scores batches of row-major [rows, 200] float32 features. */
export interface Scorer {
  probabilities(features: Float32Array, rows: number): Promise<Float32Array>;
  /** Probabilities and per-feature contributions [rows, 200]. */
  explain(
    features: Float32Array,
    rows: number,
  ): Promise<{ probability: Float32Array; contributions: Float32Array }>;
  release(): Promise<void>;
}

/** Opens a session on model bytes; `label` (the path) starts any error message. */
export async function createScorer(bytes: Uint8Array, label: string, threads = 1): Promise<Scorer> {
  // One thread: the wasm work per batch is small next to parsing, and threads need workers in Node.
  ort.env.wasm.numThreads = threads;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (error) {
    throw new InputError(
      `${label}: not a model onnxruntime can load (${(error as Error).message.split('\n')[0]}).`,
    );
  }
  const missing = [ONNX_NAMES.probability, ONNX_NAMES.contributions].filter(
    (n) => !session.outputNames.includes(n),
  );
  if (!session.inputNames.includes(ONNX_NAMES.input) || missing.length > 0) {
    throw new InputError(
      `${label}: the model must take "${ONNX_NAMES.input}" and give "${ONNX_NAMES.probability}" and ` +
        `"${ONNX_NAMES.contributions}" (it takes ${session.inputNames.join(', ')}; gives ${session.outputNames.join(', ')}).`,
    );
  }
  const feed = (features: Float32Array, rows: number) => ({
    [ONNX_NAMES.input]: new ort.Tensor('float32', features.subarray(0, rows * FEATURE_COUNT), [
      rows,
      FEATURE_COUNT,
    ]),
  });
  return {
    async probabilities(features, rows) {
      const out = await session.run(feed(features, rows), [ONNX_NAMES.probability]);
      return out[ONNX_NAMES.probability].data as Float32Array;
    },
    async explain(features, rows) {
      const out = await session.run(feed(features, rows));
      return {
        probability: out[ONNX_NAMES.probability].data as Float32Array,
        contributions: out[ONNX_NAMES.contributions].data as Float32Array,
      };
    },
    release: () => session.release(),
  };
}
