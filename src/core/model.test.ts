import { describe, expect, it } from 'vitest';
import { type AdditiveModel, binIndex, predict, quantizeModel, sigmoid, validateModel } from './model';

function tinyModel(): AdditiveModel {
  // Two features, 4 cells each on [0, 4) and [-2, 2).
  return {
    featureCount: 2,
    bins: 4,
    lo: Float32Array.from([0, -2]),
    invWidth: Float32Array.from([1, 1]),
    table: Float32Array.from([-1, -0.5, 0.5, 1, 0.25, 0, 0, -0.25]),
    intercept: Math.fround(-2),
  };
}

describe('binIndex', () => {
  it('maps values to cells, clamping below the first and above the last edge', () => {
    expect(binIndex(0, 0, 1, 4)).toBe(0);
    expect(binIndex(0.999, 0, 1, 4)).toBe(0);
    expect(binIndex(1, 0, 1, 4)).toBe(1);
    expect(binIndex(3.5, 0, 1, 4)).toBe(3);
    expect(binIndex(4, 0, 1, 4)).toBe(3);
    expect(binIndex(-0.0001, 0, 1, 4)).toBe(0);
    expect(binIndex(-1e30, 0, 1, 4)).toBe(0);
    expect(binIndex(3e38, 0, 1e10, 4)).toBe(3); // t overflows to Infinity: still the last cell
  });

  it('gives -1 for NaN and infinities', () => {
    expect(binIndex(NaN, 0, 1, 4)).toBe(-1);
    expect(binIndex(Infinity, 0, 1, 4)).toBe(-1);
    expect(binIndex(-Infinity, 0, 1, 4)).toBe(-1);
  });
});

describe('predict', () => {
  it('sums table look-ups and the intercept', () => {
    const p = predict(tinyModel(), Float32Array.from([2.5, -1.5]), 1);
    expect(Array.from(p.contributions!)).toEqual([0.5, 0.25]);
    expect(p.logit[0]).toBe(Math.fround(-2 + 0.75));
    expect(p.probability[0]).toBe(sigmoid(-1.25));
  });

  it('gives non-finite values a zero contribution, so all-missing rows score the intercept', () => {
    const p = predict(tinyModel(), Float32Array.from([NaN, 1.5, Infinity, -Infinity]), 2);
    expect(Array.from(p.contributions!)).toEqual([0, -0.25, 0, 0]);
    expect(p.logit[1]).toBe(-2);
    expect(p.probability[1]).toBeCloseTo(1 / (1 + Math.exp(2)), 7);
  });

  it('can skip the contributions output', () => {
    expect(predict(tinyModel(), Float32Array.from([0, 0]), 1, false).contributions).toBeNull();
  });
});

describe('quantizeModel', () => {
  it('makes every sum of one entry per feature exact in float32, in any order', () => {
    const m = 200;
    const bins = 8;
    const raw: AdditiveModel = {
      featureCount: m,
      bins,
      lo: new Float32Array(m),
      invWidth: new Float32Array(m).fill(1),
      table: Float32Array.from({ length: m * bins }, (_, i) => Math.sin(i * 1.7) * 0.9),
      intercept: Math.fround(-2.123456),
    };
    const q = quantizeModel(raw);
    let maxChange = 0;
    q.table.forEach((v, i) => (maxChange = Math.max(maxChange, Math.abs(v - raw.table[i]))));
    expect(maxChange).toBeLessThan(2 ** -12);
    for (let trial = 0; trial < 50; trial++) {
      const picks = Array.from({ length: m }, (_, j) => q.table[j * bins + ((j * 7 + trial) % bins)]);
      let forward = Math.fround(q.intercept);
      for (const v of picks) forward = Math.fround(forward + v);
      let backward = Math.fround(q.intercept);
      for (const v of [...picks].reverse()) backward = Math.fround(backward + v);
      const exact = picks.reduce((a, b) => a + b, q.intercept);
      expect(forward).toBe(exact);
      expect(backward).toBe(exact);
    }
  });
});

describe('validateModel', () => {
  it('names the array with the wrong length', () => {
    expect(() => validateModel({ ...tinyModel(), table: new Float32Array(7) })).toThrow(
      /table has 7 values, expected 8/,
    );
    expect(() => validateModel({ ...tinyModel(), intercept: NaN })).toThrow(/non-finite/);
  });
});
