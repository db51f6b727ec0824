import { describe, expect, it } from 'vitest';
import { overlay, overlayRows } from './histogram-overlay';

describe('overlay', () => {
  it('puts two histograms with different bins on one grid as densities', () => {
    const a = { edges: [0, 0.5, 1], counts: [3, 1] };
    const b = { edges: [0, 0.25, 0.5, 0.75, 1], counts: [1, 1, 1, 1] };
    const [xs, da, db] = overlay(a, b);
    expect(xs).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // 75% of a's customers over 50 points: 1.5% per point; b is flat at 1% per point.
    expect(da).toEqual([1.5, 1.5, 0.5, 0.5, 0.5]);
    expect(db).toEqual([1, 1, 1, 1, 1]);
    // Each density integrates to 100% over its bins.
    const area = (d: number[]) => d.slice(0, -1).reduce((s, v, i) => s + v * (xs[i + 1] - xs[i]) * 100, 0);
    expect(area(da)).toBeCloseTo(100, 9);
    expect(area(db)).toBeCloseTo(100, 9);
  });

  it('lists a bin split by the other histogram edges once in the table', () => {
    const file = { edges: [0, 0.5, 1], counts: [3, 1] };
    const holdout = { edges: [0, 0.25, 0.5, 1], counts: [2, 2, 4] };
    const rows = overlayRows(overlay(file, holdout));
    // [0, 0.25) and [0.25, 0.5) share the file's density and the holdout's: one row.
    expect(rows.map((r) => [r.from, r.to])).toEqual([
      [0, 0.5],
      [0.5, 1],
    ]);
    expect(rows[0].a).toBeCloseTo(1.5, 9);
    const uneven = overlayRows(overlay(file, { edges: [0, 0.25, 0.5, 1], counts: [1, 3, 4] }));
    expect(uneven).toHaveLength(3);
  });
});
