/**
 * The additive scoring model: logit(x) = intercept + sum_j f_j(x_j), each f_j a table on a uniform grid.
 * This is the TypeScript reference that the exported ONNX graph (training/onnx) must reproduce op for op:
 *   t = fround(fround(x - lo[j]) * invWidth[j]);  b = clamp(floor(t), 0, bins - 1);  c_j = table[j * bins + b]
 *   non-finite x (NaN, +-Inf)  ->  c_j = 0 (the shapes are centred, so 0 is the average customer's contribution)
 *   logit = intercept + sum_j c_j;  probability = sigmoid(logit)
 */

/** The learned numbers of an additive per-feature model (what model.onnx holds as initializers). */
export interface AdditiveModel {
  featureCount: number;
  /** Grid cells per feature. */
  bins: number;
  /** Left edge of each feature's grid (float32). */
  lo: Float32Array;
  /** 1 / cell width per feature (float32). */
  invWidth: Float32Array;
  /** Contribution to the log-odds per feature and cell, row-major [featureCount, bins]. */
  table: Float32Array;
  /** Log-odds of a customer whose every contribution is 0 (float32). */
  intercept: number;
}

/**
 * Largest magnitude treated as finite; the ONNX graph tests |x| < this, which is false for NaN and Inf. The graph
 * holds it as a float32 (3.39999995e38, just below 3.4e38), so this is that float32: with 3.4e38 in double the
 * reference scored the one float32 value 3.39999995e38 that the graph takes for missing.
 */
export const FINITE_LIMIT = Math.fround(3.4e38);

/** What the card says non-finite inputs do (kept next to the code that does it). */
export const MISSING_VALUES_NOTE =
  'Empty, NaN or infinite feature values contribute 0 to the log-odds: each shape function is centred to mean 0 ' +
  'over the training rows, so a missing value counts as an average customer on that feature.';

/** Grid cell of value x for a feature, or -1 when x is not finite (the same float32 steps as the graph). */
export function binIndex(x: number, lo: number, invWidth: number, bins: number): number {
  if (!(Math.abs(x) < FINITE_LIMIT)) return -1;
  const t = Math.fround(Math.fround(Math.fround(x) - lo) * invWidth);
  const b = Math.floor(t);
  // NaN cannot reach here, but t can be +-Inf for huge finite x: clamp handles both ends.
  return b < 0 ? 0 : b > bins - 1 ? bins - 1 : b;
}

/** Float32 logistic function of a log-odds value. */
export function sigmoid(z: number): number {
  return Math.fround(1 / (1 + Math.exp(-z)));
}

/** Outputs of the model for a block of rows. */
export interface Prediction {
  /** P(target = 1) per row. */
  probability: Float32Array;
  /** Log-odds per row (float32). */
  logit: Float32Array;
  /** Per-row, per-feature contributions [rows, featureCount], when asked for. */
  contributions: Float32Array | null;
}

/**
 * Scores `rows` rows of `features` (row-major [rows, featureCount], float32 like the ONNX input).
 * Pass withContributions = false to skip the [rows, featureCount] output (the scoring CLI does not need it).
 */
export function predict(
  model: AdditiveModel,
  features: Float32Array,
  rows: number,
  withContributions = true,
): Prediction {
  const { featureCount: m, bins, lo, invWidth, table } = model;
  if (features.length < rows * m)
    throw new RangeError(`features holds ${features.length} values, need ${rows * m}`);
  const probability = new Float32Array(rows);
  const logit = new Float32Array(rows);
  const contributions = withContributions ? new Float32Array(rows * m) : null;
  for (let i = 0; i < rows; i++) {
    const base = i * m;
    // Summed in float64 then rounded once: float32 partial sums would differ from onnxruntime's
    // (vectorised, reordered) ReduceSum by more rounding noise for no gain.
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const b = binIndex(features[base + j], lo[j], invWidth[j], bins);
      const c = b < 0 ? 0 : table[j * bins + b];
      if (contributions) contributions[base + j] = c;
      sum += c;
    }
    const z = Math.fround(Math.fround(sum) + model.intercept);
    logit[i] = z;
    probability[i] = sigmoid(z);
  }
  return { probability, logit, contributions };
}

/** Checks the shapes of a model's arrays; throws a RangeError naming the first inconsistency. */
export function validateModel(model: AdditiveModel): void {
  const { featureCount: m, bins } = model;
  if (!Number.isInteger(m) || m < 1)
    throw new RangeError(`featureCount must be a positive integer, got ${m}`);
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (model.lo.length !== m) throw new RangeError(`lo has ${model.lo.length} values, expected ${m}`);
  if (model.invWidth.length !== m)
    throw new RangeError(`invWidth has ${model.invWidth.length} values, expected ${m}`);
  if (model.table.length !== m * bins)
    throw new RangeError(`table has ${model.table.length} values, expected ${m * bins}`);
  for (const v of [...model.lo, ...model.invWidth, ...model.table, model.intercept]) {
    if (!Number.isFinite(v)) throw new RangeError('model holds a non-finite number');
  }
}

/** The least integer e with 2^e >= x, for x >= 1: exact, where Math.log2 may round differently by engine. */
function ceilLog2(x: number): number {
  let e = 0;
  let power = 1;
  while (power < x) {
    power *= 2;
    e++;
  }
  return e;
}

/**
 * Rounds the table and intercept to multiples of a power of two so small that any sum of one entry per feature
 * plus the intercept is exact in float32. Then the log-odds do not depend on summation order, and the ONNX
 * runtime's vectorised ReduceSum equals this reference bit for bit (unrounded tables drift by ~1e-6 in
 * probability). The step is 2^-20 to 2^-4: about 2^-14 (6e-5 in log-odds) for 200 shapes of a few units each,
 * far below estimation noise; only absurd tables (sum of maxima over 2^19) are refused.
 */
export function quantizeModel(model: AdditiveModel): AdditiveModel {
  const { featureCount: m, bins, table } = model;
  let bound = Math.abs(model.intercept);
  for (let j = 0; j < m; j++) {
    let max = 0;
    for (let b = 0; b < bins; b++) max = Math.max(max, Math.abs(table[j * bins + b]));
    bound += max;
  }
  // Every partial sum is a multiple of 2^-k below 2^(24-k) in magnitude, so it fits float32's 24-bit mantissa.
  const k = Math.min(20, 23 - ceilLog2(bound + 1));
  if (k < 4) throw new RangeError(`contributions too large to quantise exactly (sum of maxima ${bound})`);
  const step = 1 / (1 << k);
  const round = (v: number) => Math.round(v / step) * step;
  return { ...model, table: table.map(round), intercept: round(model.intercept) };
}
