import { describe, expect, it } from 'vitest';
import { QUANTILE_LEVELS } from '../model-card';
import { FEATURE_COUNT } from '../schema';
import { blankFarValues, farBounds, farLimits, farText } from './far-values';

// Every feature trained on [0, 100]: values below -100 or above 200 are taken for errors.
const features = Array.from({ length: FEATURE_COUNT }, () => ({
  quantiles: QUANTILE_LEVELS.map((l) => l * 100),
}));

describe('farBounds', () => {
  it('widens the training range by its own width on each side', () => {
    const bounds = farBounds(features)!;
    expect(bounds.low[0]).toBe(-100);
    expect(bounds.high[199]).toBe(200);
  });

  it('checks nothing without quantiles from level 0 to 1, or for a feature without them', () => {
    expect(farBounds([])).toBeNull();
    expect(farBounds(features, [0.01, 0.5, 0.99])).toBeNull();
    const some = farBounds([{ quantiles: [] }, ...features.slice(1)])!;
    expect(some.low[0]).toBe(-Infinity);
    expect(some.high[0]).toBe(Infinity);
  });

  it('does not check a feature trained on one value (a constant column has no width to measure by)', () => {
    const constant = features.slice();
    constant[5] = { quantiles: QUANTILE_LEVELS.map(() => 7) };
    const bounds = farBounds(constant)!;
    expect(bounds.low[5]).toBe(-Infinity);
    expect(bounds.high[5]).toBe(Infinity);
    expect(bounds.high[4]).toBe(200);
    expect(farLimits(7, 7)).toEqual([-Infinity, Infinity]);
    const rows = new Float32Array(FEATURE_COUNT).fill(50);
    rows[5] = 7.5;
    expect(blankFarValues(rows, 1, bounds)).toBe(0);
  });
});

describe('blankFarValues', () => {
  it('sets the values beyond the bounds to NaN, reports each in row then feature order, and keeps the rest', () => {
    const rows = new Float32Array(3 * FEATURE_COUNT).fill(50);
    rows[5] = 200; // on the bound: data
    rows[6] = 200.5;
    rows[FEATURE_COUNT + 0] = -100.5;
    rows[FEATURE_COUNT + 1] = NaN; // missing stays missing, unreported
    rows[2 * FEATURE_COUNT + 199] = 1e9;
    rows[2 * FEATURE_COUNT + 198] = -Infinity;
    const found: [number, number, number][] = [];
    const n = blankFarValues(rows, 3, farBounds(features)!, (r, j, v) => found.push([r, j, v]));
    expect(n).toBe(4);
    expect(found).toEqual([
      [0, 6, 200.5],
      [1, 0, -100.5],
      [2, 198, -Infinity],
      [2, 199, 1e9],
    ]);
    expect(rows[5]).toBe(200);
    for (const at of [6, FEATURE_COUNT, FEATURE_COUNT + 1, 2 * FEATURE_COUNT + 198, 2 * FEATURE_COUNT + 199])
      expect(rows[at]).toBeNaN();
    expect(rows.filter((v) => v === 50)).toHaveLength(3 * FEATURE_COUNT - 6);
  });

  it('leaves rows past `count` alone', () => {
    const rows = new Float32Array(2 * FEATURE_COUNT).fill(1e6);
    expect(blankFarValues(rows, 1, farBounds(features)!)).toBe(FEATURE_COUNT);
    expect(rows[FEATURE_COUNT]).toBe(1e6);
  });
});

describe('farText', () => {
  it('shows a float32 value to 7 significant digits', () => {
    expect(farText(Math.fround(1050.3))).toBe('1050.3');
    expect(farText(Math.fround(1e9))).toBe('1000000000');
  });
});
