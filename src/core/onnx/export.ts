/** Writes an AdditiveModel as a standard ONNX file (IR 8, opset 17) that onnxruntime-web's wasm build runs. */
import type { AdditiveModel } from '../model';
import { FINITE_LIMIT, validateModel } from '../model';
// Static code generated from onnx.proto by protobufjs-cli (npm run gen:onnx-proto; a test keeps it in sync):
// unlike protobufjs's reflection, which compiles its encoders with Function(), it runs under a CSP without eval.
import { onnx } from './onnx-proto.js';

/** ONNX IR version written into every model. */
export const IR_VERSION = 8;
/** Default-domain operator set version the graph is built against. */
export const OPSET_VERSION = 17;
/** Graph input and output names, shared with the app and the scoring CLI. */
export const ONNX_NAMES = {
  input: 'features',
  probability: 'probability',
  contributions: 'contributions',
} as const;

const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;

function rawFloat32(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true); // ONNX raw_data is little-endian
  return bytes;
}

function rawInt64(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]), true);
  return bytes;
}

function floatTensor(name: string, dims: number[], values: ArrayLike<number>) {
  return { name, dims, dataType: FLOAT, rawData: rawFloat32(values) };
}

function int64Tensor(name: string, dims: number[], values: ArrayLike<number>) {
  return { name, dims, dataType: INT64, rawData: rawInt64(values) };
}

function node(opType: string, input: string[], output: string[], attribute: object[] = []) {
  return { opType, input, output, name: output[0], attribute };
}

function tensorValue(name: string, elemType: number, dims: (number | string)[]) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/**
 * Encodes the model. `metadata` goes into metadata_props in the given key order; it must not hold anything
 * time-dependent, so that the same data and seed give byte-identical files.
 */
export function encodeOnnx(model: AdditiveModel, metadata: Record<string, string> = {}): Uint8Array {
  validateModel(model);
  const { featureCount: m, bins } = model;
  // GatherElements wants the table as [cells, m]: out[i][j] = table[cell[i][j]][j]. Measured in onnxruntime-web
  // (wasm, Node): about 2x faster than Gather on a flat table with per-feature offsets, which copies element
  // by element and needs an extra int64 Add. Row `bins` is all zeros: the cell of a missing value.
  const byCell = new Float32Array(m * (bins + 1));
  for (let j = 0; j < m; j++) for (let b = 0; b < bins; b++) byCell[b * m + j] = model.table[j * bins + b];
  const initializer = [
    floatTensor('finite_limit', [], [FINITE_LIMIT]),
    floatTensor('lo', [m], model.lo),
    floatTensor('inv_width', [m], model.invWidth),
    floatTensor('first_cell', [], [0]),
    floatTensor('last_cell', [], [bins - 1]),
    floatTensor('missing_cell', [], [bins]),
    floatTensor('table', [bins + 1, m], byCell),
    int64Tensor('sum_axes', [1], [1]),
    floatTensor('intercept', [], [model.intercept]),
  ];
  // Nine passes over the [N, m] cells (the model's cost grows with them): binIndex's float32 steps, then the cell
  // looked up. Against the graph before (a Where on the input and another on the looked-up values, a Floor, int64
  // cells; 11 passes), the same outputs in about 0.8x the time (docs/benchmarks.md, 2026-12-01, fourth session).
  const nodes = [
    // |x| < 3.4e38 is false for NaN and +-Inf: one mask for every non-finite case.
    node('Abs', ['features'], ['abs_x']),
    node('Less', ['abs_x', 'finite_limit'], ['finite']),
    node('Sub', ['features', 'lo'], ['shifted']),
    node('Mul', ['shifted', 'inv_width'], ['scaled']),
    // Clipped to [0, bins - 1] first, so the truncating Cast is the floor binIndex takes.
    node('Clip', ['scaled', 'first_cell', 'last_cell'], ['clipped']),
    // A non-finite input (NaN here never reaches the Cast, whose result for NaN is undefined) takes the zero row.
    node('Where', ['finite', 'clipped', 'missing_cell'], ['cell_f']),
    node('Cast', ['cell_f'], ['cell'], [{ name: 'to', type: 2, i: INT32 }]),
    node('GatherElements', ['table', 'cell'], [ONNX_NAMES.contributions], [{ name: 'axis', type: 2, i: 0 }]),
    node(
      'ReduceSum',
      [ONNX_NAMES.contributions, 'sum_axes'],
      ['total'],
      [{ name: 'keepdims', type: 2, i: 0 }],
    ),
    node('Add', ['total', 'intercept'], ['logit']),
    node('Sigmoid', ['logit'], [ONNX_NAMES.probability]),
  ];
  const graph = {
    name: 'additive_shape_model',
    node: nodes,
    initializer,
    input: [tensorValue(ONNX_NAMES.input, FLOAT, ['N', m])],
    output: [
      tensorValue(ONNX_NAMES.probability, FLOAT, ['N']),
      tensorValue(ONNX_NAMES.contributions, FLOAT, ['N', m]),
    ],
  };
  const message = onnx.ModelProto.fromObject({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: 'santander-scorer',
    producerVersion: '1',
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(message).finish();
}

/** Decodes a model file back to a plain object (tests and tools; int64 fields come back as numbers). */
export function decodeOnnx(bytes: Uint8Array): Record<string, unknown> {
  return onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), {
    longs: Number,
    bytes: Array,
    defaults: false,
  });
}

/**
 * Reads the AdditiveModel back out of an encoded file's initializers (the inverse of encodeOnnx); also reads the
 * graph written before 2026-12-01 (a table of `bins` rows, no zero row).
 */
export function modelFromOnnx(bytes: Uint8Array): AdditiveModel {
  const decoded = onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: Number }) as {
    graph?: { initializer?: { name: string; dims?: number[]; rawData?: Uint8Array }[] };
  };
  const inits = new Map((decoded.graph?.initializer ?? []).map((t) => [t.name, t]));
  const floats = (name: string): Float32Array => {
    const raw = inits.get(name)?.rawData;
    if (!raw) throw new Error(`model.onnx has no initializer "${name}": not a model this project wrote`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
  };
  const lo = floats('lo');
  const m = lo.length;
  const byCell = floats('table');
  // The table has a zero row for missing values after the `bins` cells (files written before it: just the cells).
  const bins = floats('last_cell')[0] + 1;
  const table = new Float32Array(m * bins);
  for (let j = 0; j < m; j++) for (let b = 0; b < bins; b++) table[j * bins + b] = byCell[b * m + j];
  return {
    featureCount: m,
    bins,
    lo,
    invWidth: floats('inv_width'),
    table,
    intercept: floats('intercept')[0],
  };
}
