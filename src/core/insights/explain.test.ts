import { describe, expect, it } from 'vitest';
import { QUANTILE_LEVELS } from '../model-card';
import { outsideTraining, percentileOf, topReasons, waterfall } from './explain';

describe('percentileOf', () => {
  const q = QUANTILE_LEVELS.map((l) => l * 100); // quantiles of a uniform 0..100 variable

  it('reads the level of a value between stored quantiles', () => {
    expect(percentileOf(50, q)).toBeCloseTo(0.5, 12);
    expect(percentileOf(97, q)).toBeCloseTo(0.97, 12);
    expect(percentileOf(-5, q)).toBe(0);
    expect(percentileOf(500, q)).toBe(1);
  });

  it('is NaN for a missing value or missing quantiles', () => {
    expect(percentileOf(NaN, q)).toBeNaN();
    expect(percentileOf(1, [])).toBeNaN();
  });
});

describe('waterfall', () => {
  const contributions = new Float32Array(200);
  contributions[3] = 0.8;
  contributions[10] = -1.2;
  contributions[7] = 0.05;
  for (let j = 20; j < 200; j++) contributions[j] = 0.001 * ((j % 3) - 1);
  const features = Float32Array.from({ length: 200 }, (_, j) => j / 10);

  it('orders bars by size, aggregates the rest, and ends at intercept + all contributions', () => {
    const w = waterfall(contributions, features, -2.5, [], 3);
    expect(w.steps.map((s) => s.label)).toEqual(['var_10', 'var_3', 'var_7', '197 other features']);
    expect(w.steps[0].start).toBe(-2.5);
    for (let i = 1; i < w.steps.length; i++) expect(w.steps[i].start).toBe(w.steps[i - 1].end);
    const total = -2.5 + contributions.reduce((a, b) => a + b, 0);
    expect(w.logOdds).toBeCloseTo(total, 6);
    expect(w.steps.at(-1)!.end).toBe(w.logOdds);
    expect(w.probability).toBeCloseTo(1 / (1 + Math.exp(-total)), 9);
    expect(w.steps[1].value).toBeCloseTo(0.3, 6);
  });

  it('has no aggregate bar when every feature is shown', () => {
    const w = waterfall(contributions, features, 0, [], 200);
    expect(w.steps).toHaveLength(200);
    expect(w.steps.every((s) => s.feature >= 0)).toBe(true);
  });
});

describe('topReasons', () => {
  it('splits the feature pushes into up and down, largest first, with the score without each', () => {
    const contributions = new Float32Array(200);
    contributions[3] = 1.5;
    contributions[7] = -0.8;
    contributions[9] = 0.4;
    contributions[11] = -2;
    const features = new Float32Array(200).fill(1);
    const w = waterfall(contributions, features, -2, [], 15);
    const { up, down } = topReasons(w, 5);
    expect(up.map((r) => r.label)).toEqual(['var_3', 'var_9']);
    expect(down.map((r) => r.label)).toEqual(['var_11', 'var_7']);
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    const logOdds = -2 + 1.5 - 0.8 + 0.4 - 2;
    expect(up[0].without).toBeCloseTo(sigmoid(logOdds - 1.5), 6);
    expect(up[0].change).toBeCloseTo(sigmoid(logOdds) - sigmoid(logOdds - 1.5), 6);
    expect(down[0].change).toBeLessThan(0);
    expect(topReasons(w, 1).up).toHaveLength(1);
  });
});

describe('outsideTraining', () => {
  const q = QUANTILE_LEVELS.map((l) => l * 100); // min 0, max 100
  const quantiles = Array.from({ length: 200 }, () => q);

  it('names every value beyond the training minimum or maximum, with that edge', () => {
    const features = new Float32Array(200).fill(50);
    features[3] = 1e9;
    features[150] = -0.5;
    features[7] = 100; // the maximum itself is inside
    features[8] = NaN; // missing is not outside
    features[9] = 200; // beyond the maximum by the range's width: still data
    features[10] = -100.5; // beyond the minimum by more than that: taken for an error
    expect(outsideTraining(features, quantiles)).toEqual([
      { feature: 3, value: 1e9, side: 'above', edge: 100, far: true },
      { feature: 9, value: 200, side: 'above', edge: 100, far: false },
      { feature: 10, value: -100.5, side: 'below', edge: 0, far: true },
      { feature: 150, value: -0.5, side: 'below', edge: 0, far: false },
    ]);
    expect(waterfall(new Float32Array(200), features, 0, quantiles).outside).toHaveLength(4);
  });

  it('names a value beside a feature trained on one value as outside, never as far (it has no width)', () => {
    const constant = quantiles.slice();
    constant[5] = QUANTILE_LEVELS.map(() => 7);
    const features = new Float32Array(200).fill(50);
    features[5] = 1e6;
    expect(outsideTraining(features, constant)).toEqual([
      { feature: 5, value: 1e6, side: 'above', edge: 7, far: false },
    ]);
  });

  it('says nothing without quantiles, or when the levels do not reach 0 and 1', () => {
    const features = new Float32Array(200).fill(1e9);
    expect(outsideTraining(features, [])).toEqual([]);
    expect(
      outsideTraining(
        features,
        quantiles,
        QUANTILE_LEVELS.map((l) => Math.min(l, 0.99)),
      ),
    ).toEqual([]);
  });
});
