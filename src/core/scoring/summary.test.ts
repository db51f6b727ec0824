import { describe, expect, it } from 'vitest';
import { rankScores } from '../insights/cut-line';
import { quantiles, quantilesOfDescending, SummaryBuilder, uniformEdges } from './summary';

describe('SummaryBuilder', () => {
  it('sums, counts and bins the scores batch by batch', () => {
    const s = new SummaryBuilder(uniformEdges(4));
    s.add(new Float32Array([0, 0.1, 0.25, 0.5, 0.99, 1]));
    s.add(new Float32Array([0.3, NaN, 0.7]), 2);
    const all = new Float32Array([0, 0.1, 0.25, 0.5, 0.99, 1, 0.3, NaN]);
    const r = s.finish(all);
    expect(r.rows).toBe(7);
    expect(r.expectedTransactions).toBeCloseTo(0 + 0.1 + 0.25 + 0.5 + 0.99 + 1 + 0.3, 6);
    expect(r.mean).toBeCloseTo(r.expectedTransactions / 7, 9);
    expect(r.min).toBe(0);
    expect(r.max).toBe(1);
    expect(r.aboveHalf).toBe(3);
    // [0, .25) [.25, .5) [.5, .75) [.75, 1]: 1 lands in the last bin.
    expect(r.histogram.counts).toEqual([2, 2, 1, 2]);
    expect(r.histogram.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('bins by search when the edges are not uniform', () => {
    const s = new SummaryBuilder([0, 0.1, 0.5, 1]);
    s.add(new Float32Array([0.05, 0.1, 0.2, 0.6, 1]));
    expect(s.finish(new Float32Array()).histogram.counts).toEqual([1, 2, 2]);
  });

  it('gives NaN figures for an empty file', () => {
    const r = new SummaryBuilder().finish(new Float32Array());
    expect(r.rows).toBe(0);
    expect(r.mean).toBeNaN();
    expect(r.quantiles.every((q) => Number.isNaN(q.value))).toBe(true);
  });
});

describe('quantiles', () => {
  it('uses the nearest rank and skips NaN', () => {
    const v = new Float32Array([5, 1, NaN, 4, 2, 3]);
    expect(quantiles(v, [0, 0.2, 0.5, 0.9, 1]).map((q) => q.value)).toEqual([1, 1, 3, 5, 5]);
  });
});

describe('quantilesOfDescending', () => {
  it('reads the same quantiles from the ranking as sorting the scores again', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const n of [0, 1, 2, 7, 100, 1001]) {
      const v = Float32Array.from({ length: n }, (_, i) =>
        i % 13 === 5 ? NaN : Math.round(random() * 50) / 50,
      );
      const levels = [0, 0.01, 0.2, 0.5, 0.9, 0.99, 1];
      const finite = v.filter((x) => !Number.isNaN(x)).length;
      expect(quantilesOfDescending(rankScores(v).sorted, finite, levels)).toEqual(quantiles(v, levels));
    }
  });
});
