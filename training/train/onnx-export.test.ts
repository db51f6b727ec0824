import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AdditiveModel, predict } from '../../src/core/model';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/core/schema';
import { DEFAULT_FIT, fitAdditive } from '../../src/core/fit/additive';
import { createScorer } from '../score/session';
import { generate } from '../synth/sample';
import { decodeOnnx, encodeOnnx, IR_VERSION, modelFromOnnx, OPSET_VERSION } from '../../src/core/onnx/export';
import { onnx } from '../../src/core/onnx/onnx-proto.js';

let cached: AdditiveModel | undefined;

/** A model fitted on 4,000 generated rows (once per file: the generator's spec takes seconds to build). */
function fittedModel(): AdditiveModel {
  if (cached) return cached;
  const data = generate({ rows: 4000, seed: 7, shapeSeed: 1 });
  const rows = Uint32Array.from({ length: 4000 }, (_, i) => i);
  cached = fitAdditive(data.features, data.targets, FEATURE_COUNT, rows, { ...DEFAULT_FIT, folds: 3 }).model;
  return cached;
}

/** 12,000 rows: generated values plus NaN, infinities, far out-of-range and grid-edge values. */
function awkwardRows(model: AdditiveModel): Float32Array {
  const x = generate({ rows: 12000, seed: 11, shapeSeed: 1, split: 'test' }).features;
  // ±fround(3.4e38): the largest float32 below the limit in double, the graph's limit itself in float32.
  const special = [
    NaN,
    Infinity,
    -Infinity,
    1e6,
    -1e6,
    3.3e38,
    -3.3e38,
    0,
    Math.fround(3.4e38),
    -Math.fround(3.4e38),
  ];
  for (let i = 0; i < 12000; i += 3) {
    const j = (i * 37) % FEATURE_COUNT;
    const at = i * FEATURE_COUNT + j;
    const kind = (i / 3) % (special.length + 2);
    if (kind < special.length) x[at] = special[kind];
    else if (kind === special.length)
      x[at] = model.lo[j]; // first grid edge
    else x[at] = model.lo[j] + model.bins / model.invWidth[j]; // last grid edge
  }
  return x;
}

describe('ONNX encoding', () => {
  const model = fittedModel();

  it('writes IR 8, opset 17, the two outputs and the metadata in order', () => {
    const decoded = decodeOnnx(
      encodeOnnx(model, { version: 'v1', feature_names: FEATURE_NAMES.join(',') }),
    ) as {
      irVersion: number;
      opsetImport: { version: number }[];
      metadataProps: { key: string; value: string }[];
      graph: { input: { name: string }[]; output: { name: string }[]; node: { opType: string }[] };
    };
    expect(decoded.irVersion).toBe(IR_VERSION);
    expect(decoded.opsetImport[0].version).toBe(OPSET_VERSION);
    expect(decoded.graph.input.map((v) => v.name)).toEqual(['features']);
    expect(decoded.graph.output.map((v) => v.name)).toEqual(['probability', 'contributions']);
    expect(decoded.metadataProps.map((p) => p.key)).toEqual(['version', 'feature_names']);
    expect(decoded.graph.node.map((n) => n.opType)).toContain('GatherElements');
  });

  it('round-trips the model numbers exactly', () => {
    const back = modelFromOnnx(encodeOnnx(model));
    expect(back.bins).toBe(model.bins);
    expect(back.intercept).toBe(model.intercept);
    expect(Buffer.from(back.table.buffer).equals(Buffer.from(model.table.buffer))).toBe(true);
    expect(Array.from(back.lo)).toEqual(Array.from(model.lo));
  });

  it('reads back the graph written before the zero row (a table of bins rows, as in older model files)', () => {
    const message = onnx.ModelProto.decode(encodeOnnx(model));
    const table = message.graph!.initializer!.find((t) => t.name === 'table')!;
    expect(table.dims!.map(Number)).toEqual([model.bins + 1, model.featureCount]);
    table.dims = [model.bins, model.featureCount];
    table.rawData = table.rawData!.subarray(0, model.bins * model.featureCount * 4);
    const back = modelFromOnnx(onnx.ModelProto.encode(message).finish());
    expect(back.bins).toBe(model.bins);
    expect(Buffer.from(back.table.buffer).equals(Buffer.from(model.table.buffer))).toBe(true);
  });

  it('gives identical bytes for the same model and metadata', () => {
    const a = encodeOnnx(model, { version: 'x' });
    const b = encodeOnnx(modelFromOnnx(a), { version: 'x' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('ONNX parity with the TypeScript reference (onnxruntime-web in Node)', () => {
  async function maxDifferences(model: AdditiveModel, bytes: Uint8Array) {
    const x = awkwardRows(model);
    const rows = x.length / FEATURE_COUNT;
    const scorer = await createScorer(bytes, 'test model');
    const onnx = await scorer.explain(x, rows);
    await scorer.release();
    const ref = predict(model, x, rows);
    let probability = 0;
    let contributions = 0;
    for (let i = 0; i < rows; i++)
      probability = Math.max(probability, Math.abs(onnx.probability[i] - ref.probability[i]));
    for (let k = 0; k < rows * FEATURE_COUNT; k++) {
      contributions = Math.max(contributions, Math.abs(onnx.contributions[k] - ref.contributions![k]));
    }
    // The non-finite cells must come out exactly 0 in both.
    for (let i = 0; i < rows; i += 3) {
      const at = i * FEATURE_COUNT + ((i * 37) % FEATURE_COUNT);
      if (!Number.isFinite(x[at])) expect(onnx.contributions[at]).toBe(0);
    }
    return { rows, probability, contributions };
  }

  it('matches within 1e-6 on 12,000 rows with NaN, infinities and out-of-range values', async () => {
    const model = fittedModel();
    const d = await maxDifferences(model, encodeOnnx(model));
    expect(d.rows).toBeGreaterThanOrEqual(10000);
    expect(d.probability).toBeLessThanOrEqual(1e-6);
    expect(d.contributions).toBeLessThanOrEqual(1e-6);
  });

  it('holds for the committed default model too', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../../models/model.onnx', import.meta.url)));
    const d = await maxDifferences(modelFromOnnx(bytes), bytes);
    expect(d.probability).toBeLessThanOrEqual(1e-6);
    expect(d.contributions).toBeLessThanOrEqual(1e-6);
  });
});
