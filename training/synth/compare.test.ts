import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '../../src/core/schema';
import { bonferroniZ, kthSmallest, quantileOf, sampleFigures } from './compare';
import { normalCdf } from './normal';
import { Rng } from './prng';

/** numpy's default quantile on a sorted copy: linear between the order statistics around (n - 1) p. */
function sortedQuantile(values: Float64Array, p: number): number {
  const s = Float64Array.from(values).sort();
  const h = (s.length - 1) * p;
  const i = Math.floor(h);
  return i + 1 < s.length ? s[i] + (h - i) * (s[i + 1] - s[i]) : s[i];
}

describe('order statistics', () => {
  it('kthSmallest and quantileOf agree with sorting, with ties and tiny arrays', () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 3, 10, 101, 5000]) {
      // Values on a coarse grid so ties are common.
      const values = Float64Array.from({ length: n }, () => Math.round(rng.normal() * 20) / 4);
      const sorted = Float64Array.from(values).sort();
      for (const k of [0, n >> 1, n - 1]) expect(kthSmallest(Float64Array.from(values), k)).toBe(sorted[k]);
      for (const p of [0, 0.01, 0.5, 0.99, 1]) {
        expect(quantileOf(Float64Array.from(values), p), `n ${n} p ${p}`).toBeCloseTo(
          sortedQuantile(values, p),
          12,
        );
      }
    }
  });

  it('sampleFigures gives per-class means, population sds and quantiles of each column', () => {
    const rows = 1000;
    const rng = new Rng(5);
    const features = Float32Array.from({ length: rows * FEATURE_COUNT }, () => rng.normal());
    const targets = Uint8Array.from({ length: rows }, (_, r) => (r % 7 === 0 ? 1 : 0));
    const figures = sampleFigures(features, targets, rows);
    for (const j of [0, 9, 199]) {
      for (const cls of [0, 1]) {
        const column = Float64Array.from({ length: rows }, (_, r) => features[r * FEATURE_COUNT + j]).filter(
          (_, r) => targets[r] === cls,
        );
        const mean = column.reduce((a, b) => a + b, 0) / column.length;
        const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
        const got = figures[j][cls];
        expect(got.count).toBe(column.length);
        expect(got.mean).toBeCloseTo(mean, 10);
        expect(got.sd).toBeCloseTo(sd, 10);
        expect(got.q01).toBeCloseTo(sortedQuantile(column, 0.01), 6);
        expect(got.q99).toBeCloseTo(sortedQuantile(column, 0.99), 6);
      }
    }
  });

  it('bonferroniZ leaves familyRisk / checks in both tails', () => {
    const z = bonferroniZ(1600, 0.001);
    expect(2 * 1600 * normalCdf(-z)).toBeCloseTo(0.001, 8);
    expect(z).toBeCloseTo(4.983, 3);
  });
});
