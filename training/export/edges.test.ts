import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binIndex, FINITE_LIMIT } from '../../src/core/model';
import { modelFromOnnx } from '../../src/core/onnx/export';
import {
  candidateCell,
  checkEdges,
  exactEdges,
  modelCell,
  nextDown,
  nextDown32,
  nextUp,
  nextUp32,
} from './edges';

// Whatever model is committed: the edges are derived from it, never from fixed numbers.
const model = modelFromOnnx(readFileSync(new URL('../../models/model.onnx', import.meta.url)));
const edges = exactEdges(model);
const { bins } = model;

/** What the SQL computes for x: the guess in double, corrected by the guessed cell's exact edges. */
function sqlCell(x: number, j: number): number {
  const { lower, upper } = edges[j];
  // The query's range test; NaN fails it (and null never reaches here).
  if (!(x >= lower[0] && x < upper[bins - 1])) return -1;
  const guess = candidateCell(x, model.lo[j], model.invWidth[j], bins);
  if (x < lower[guess]) return guess - 1;
  if (x >= upper[guess]) return guess + 1;
  return guess;
}

const LIMIT32 = Math.fround(FINITE_LIMIT);
const SPECIAL = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  1e-45,
  1e6,
  -1e6,
  1e30,
  -1e30,
  1e39,
  -1e39,
  3.4e38,
  -3.4e38,
  LIMIT32,
  -LIMIT32,
  nextDown32(LIMIT32),
  -nextDown32(LIMIT32),
  nextDown(nextDown32(LIMIT32)),
  3.4028234663852886e38,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
];

describe('exact SQL edges', () => {
  it('are proved for every cell of every feature of the committed model', () => {
    expect(checkEdges(model, edges)).toEqual([]);
  });

  it('give the model cell for every edge, its float32 and float64 neighbours, grid points and special values', () => {
    let checked = 0;
    const mismatches: string[] = [];
    for (let j = 0; j < model.featureCount; j++) {
      const lo = model.lo[j];
      const w = model.invWidth[j];
      const values: number[] = [...SPECIAL];
      for (let b = 0; b < bins; b++) {
        const e = edges[j].lower[b];
        const f = Math.fround(e);
        values.push(e, nextDown(e), nextUp(e), f, nextUp32(f), nextDown32(f), lo + b / w, lo + (b + 0.5) / w);
      }
      values.push(edges[j].upper[bins - 1], nextDown(edges[j].upper[bins - 1]));
      for (const x of values) {
        checked++;
        const want = modelCell(x, lo, w, bins);
        if (sqlCell(x, j) !== want)
          mismatches.push(`feature ${j}, x ${x}: sql ${sqlCell(x, j)}, model ${want}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(model.featureCount * bins * 8);
  });

  it('agree with a random sweep of doubles over and beyond each grid', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const mismatches: string[] = [];
    for (let j = 0; j < model.featureCount; j++) {
      const span = bins / model.invWidth[j];
      for (let i = 0; i < 500; i++) {
        const x = model.lo[j] + (random() * 1.4 - 0.2) * span;
        const want = modelCell(x, model.lo[j], model.invWidth[j], bins);
        if (sqlCell(x, j) !== want) mismatches.push(`feature ${j}, x ${x}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('use the cell the TypeScript reference gives every float32 value, up to and at the finite limit', () => {
    // The reference, the ONNX graph and the edges all compare |x| with the float32 limit fround(3.4e38).
    for (let j = 0; j < model.featureCount; j += 7) {
      for (const x of [
        -1e30,
        model.lo[j],
        model.lo[j] + 1 / model.invWidth[j],
        1e30,
        nextDown32(LIMIT32),
        LIMIT32,
        -LIMIT32,
      ]) {
        const v = Math.fround(x);
        expect(modelCell(v, model.lo[j], model.invWidth[j], bins)).toBe(
          binIndex(v, model.lo[j], model.invWidth[j], bins),
        );
      }
    }
    expect(binIndex(LIMIT32, model.lo[0], model.invWidth[0], bins)).toBe(-1);
    expect(binIndex(nextDown32(LIMIT32), model.lo[0], model.invWidth[0], bins)).toBe(bins - 1);
  });

  it('refuse a grid whose cell width is not positive', () => {
    const bad = { ...model, invWidth: model.invWidth.map((w, j) => (j === 3 ? -w : w)) };
    expect(() => exactEdges(bad)).toThrow(/feature 3: invWidth must be positive/);
  });
});
