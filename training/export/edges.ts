/**
 * Exact double-precision bin edges for the additive model, so that SQL engines without float32 (BigQuery has
 * only FLOAT64) give the model's bins with plain comparisons.
 *
 * The model sees each value as fround(x) and computes its cell in float32 steps (src/core/model.ts, and the ONNX
 * graph op for op). As a function of the double x that an engine holds, that cell is monotone, so each cell
 * b of feature j is one half-open range of doubles, lower[b] <= x < upper[b]. Outside [lower[0],
 * upper[last]) the value is non-finite once rounded to float32 (or NaN): it contributes 0.
 *
 * Found in float32 space (32 steps of bisection per edge, over the ordered float32 bit patterns), then moved to
 * doubles through the round-to-nearest-even midpoint between two neighbouring float32 values. `checkEdges`
 * proves the result at every edge from both sides (the model's own arithmetic on the edge and on the double
 * just below it).
 */
import type { AdditiveModel } from '../../src/core/model';
import { FINITE_LIMIT } from '../../src/core/model';

/** FINITE_LIMIT as the ONNX graph holds it (a float32 initializer; |x| < limit is compared in float32). */
const LIMIT32 = Math.fround(FINITE_LIMIT);

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Float32 bit patterns as integers in value order (-0 and +0 share 0); +-Infinity are +-0x7f800000. */
function keyOf32(v: number): number {
  f32[0] = v;
  const bits = u32[0];
  return bits & 0x80000000 ? -(bits & 0x7fffffff) : bits;
}

function valueOfKey32(key: number): number {
  u32[0] = key < 0 ? (-key | 0x80000000) >>> 0 : key;
  return f32[0];
}

/** The next double above x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] += x > 0 ? 1n : -1n;
  return f64[0];
}

/** The next double below x (x finite). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/** The next float32 above v (v a finite float32 value). */
export function nextUp32(v: number): number {
  return valueOfKey32(keyOf32(v) + 1);
}

/** The next float32 below v (v a finite float32 value). */
export function nextDown32(v: number): number {
  return valueOfKey32(keyOf32(v) - 1);
}

/**
 * The model's cell for the double x of feature (lo, invWidth): what the ONNX graph computes for the CSV value x
 * read as float32, or -1 when it contributes 0 (not finite once rounded, or beyond the graph's finite limit).
 */
export function modelCell(x: number, lo: number, invWidth: number, bins: number): number {
  const v = Math.fround(x);
  // The graph compares in float32 against the float32 limit; NaN fails the comparison too.
  if (!(Math.abs(v) < LIMIT32)) return -1;
  const t = Math.fround(Math.fround(v - lo) * invWidth);
  const b = Math.floor(t);
  return b < 0 ? 0 : b > bins - 1 ? bins - 1 : b;
}

/**
 * The SQL query's first guess of the cell, in double arithmetic exactly as written in the query:
 * LEAST(GREATEST(FLOOR((x - lo) * inv_width), 0), bins - 1). Monotone in x, like modelCell.
 */
export function candidateCell(x: number, lo: number, invWidth: number, bins: number): number {
  return Math.min(Math.max(Math.floor((x - lo) * invWidth), 0), bins - 1);
}

/** The smallest double whose float32 rounding is at least the float32 value v (v > the lowest float32). */
function firstDoubleRoundingTo(v: number): number {
  const below = nextDown32(v);
  // Exact in double: two neighbouring float32 values differ in one unit of a 24-bit mantissa.
  const mid = (below + v) / 2;
  // A tie rounds to the neighbour with an even mantissa: the midpoint belongs to v only if v is that one.
  return Math.fround(mid) === v ? mid : nextUp(mid);
}

/** One feature's exact cells: cell b holds the doubles lower[b] <= x < upper[b] (empty when equal). */
export interface FeatureEdges {
  lower: Float64Array;
  upper: Float64Array;
}

/** Exact edges of every feature, [featureCount] of [bins]. Throws a RangeError for a non-positive invWidth. */
export function exactEdges(model: AdditiveModel): FeatureEdges[] {
  const { featureCount, bins } = model;
  const lowestKey = keyOf32(-nextDown32(LIMIT32));
  const highestKey = keyOf32(nextDown32(LIMIT32));
  const out: FeatureEdges[] = [];
  for (let j = 0; j < featureCount; j++) {
    const lo = model.lo[j];
    const invWidth = model.invWidth[j];
    if (!(invWidth > 0)) throw new RangeError(`feature ${j}: invWidth must be positive, got ${invWidth}`);
    const cellOfKey = (key: number) => modelCell(valueOfKey32(key), lo, invWidth, bins);
    // first[b] = the first float32 (as a key) whose cell is >= b; highestKey + 1 when there is none.
    const first = new Float64Array(bins + 1);
    first[0] = lowestKey;
    first[bins] = highestKey + 1;
    for (let b = 1; b < bins; b++) {
      let a = first[b - 1];
      let z = highestKey + 1;
      while (a < z) {
        const mid = Math.floor((a + z) / 2);
        if (cellOfKey(mid) >= b) z = mid;
        else a = mid + 1;
      }
      first[b] = a;
    }
    const edges = Float64Array.from(first, (key) => firstDoubleRoundingTo(valueOfKey32(key)));
    out.push({ lower: edges.subarray(0, bins), upper: edges.subarray(1) });
  }
  return out;
}

/**
 * Proves the edges against the model's arithmetic and the query's first guess; returns the problems found
 * (empty when all hold). For every non-empty cell b of every feature:
 *   modelCell(lower) = b, modelCell(nextDown(lower)) != b, modelCell(nextDown(upper)) = b, modelCell(upper) != b
 *   candidateCell(lower) >= b - 1 and candidateCell(nextDown(upper)) <= b + 1
 * Both functions are monotone in x, so the end points bound every x in between: the query's guess is then
 * never more than one cell off, which one look-up of the guessed cell's neighbours corrects.
 */
export function checkEdges(model: AdditiveModel, edges: FeatureEdges[]): string[] {
  const problems: string[] = [];
  const { bins } = model;
  for (let j = 0; j < model.featureCount; j++) {
    const lo = model.lo[j];
    const w = model.invWidth[j];
    const { lower, upper } = edges[j];
    const cell = (x: number) => modelCell(x, lo, w, bins);
    const guess = (x: number) => candidateCell(x, lo, w, bins);
    if (cell(nextDown(lower[0])) !== -1) problems.push(`feature ${j}: a value below the first cell scores`);
    if (cell(upper[bins - 1]) !== -1) problems.push(`feature ${j}: a value above the last cell scores`);
    for (let b = 0; b < bins; b++) {
      if (!(lower[b] <= upper[b])) problems.push(`feature ${j} cell ${b}: lower > upper`);
      if (lower[b] === upper[b]) continue;
      const last = nextDown(upper[b]);
      if (cell(lower[b]) !== b || cell(last) !== b) problems.push(`feature ${j} cell ${b}: edge not in cell`);
      if (cell(nextDown(lower[b])) === b || cell(upper[b]) === b) {
        problems.push(`feature ${j} cell ${b}: cell extends past its edges`);
      }
      if (guess(lower[b]) < b - 1 || guess(last) > b + 1) {
        problems.push(`feature ${j} cell ${b}: the query's guess is more than one cell off`);
      }
    }
  }
  return problems;
}

/**
 * The least double x with Math.fround(x) >= v (v a finite float32 value): the edge, in the double the SQL reads
 * from the text, of "its float32 is at least v" (ties round to even, so the midpoint below v may round either way).
 */
export function leastRoundingTo32(v: number): number {
  const mid = (nextDown32(v) + v) / 2;
  return Math.fround(mid) === v ? mid : nextUp(mid);
}

/** The least double x with Math.fround(x) > v (v a finite float32 value): "its float32 is at most v" is x below it. */
export function leastRoundingAbove32(v: number): number {
  return leastRoundingTo32(nextUp32(v));
}
