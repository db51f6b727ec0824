import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countAtLeast, flagMask, lineCount, rankScores, resolveLine } from './cut-line';

describe('rankScores', () => {
  it('orders by score descending, ties by earlier row, NaN last, with running sums', () => {
    const p = Float32Array.from([0.2, 0.9, NaN, 0.2, 0.5]);
    const r = rankScores(p);
    expect([...r.order]).toEqual([1, 4, 0, 3, 2]);
    expect([...r.sorted.slice(0, 4)]).toEqual([...Float32Array.from([0.9, 0.5, 0.2, 0.2])]);
    expect(r.cumulative[2]).toBeCloseTo(Math.fround(0.9) + Math.fround(0.5), 12);
    expect(r.cumulative[5]).toBeCloseTo(r.cumulative[4], 12);
  });

  it('gives the order of a comparator sort for any scores (ties, -0, NaN, infinities), both ways', () => {
    const score = fc.oneof(
      fc.float(),
      fc.constantFrom(0, -0, 1, 0.5, Number.NaN, Infinity, -Infinity, 1e-45, -1e-45),
    );
    fc.assert(
      fc.property(fc.array(score, { maxLength: 400 }), (values) => {
        const p = Float32Array.from(values);
        const key = (x: number) => (Number.isNaN(x) ? -Infinity : x);
        const expected = Array.from(p, (_, i) => i).sort((a, b) => key(p[b]) - key(p[a]) || a - b);
        expect([...rankScores(p).order]).toEqual(expected);
        expect([...rankScores(p, 0).order]).toEqual(expected);
      }),
    );
  });
});

describe('lines', () => {
  const p = Float32Array.from([0.1, 0.7, 0.3, 0.7, 0.05, 0.9, 0.3, 0.3]);
  const r = rankScores(p);

  it('counts rows at or above a probability (compared in float32), ties included', () => {
    expect(countAtLeast(r.sorted, 0.7)).toBe(3);
    expect(countAtLeast(r.sorted, Math.fround(0.3))).toBe(6);
    expect(countAtLeast(r.sorted, 0.95)).toBe(0);
    expect(countAtLeast(r.sorted, 0)).toBe(8);
  });

  it('a share flags round(share * n) rows, clamped to 0..n', () => {
    expect(lineCount(r.sorted, { mode: 'share', share: 0.25 })).toBe(2);
    expect(lineCount(r.sorted, { mode: 'share', share: 2 })).toBe(8);
    expect(lineCount(r.sorted, { mode: 'share', share: -1 })).toBe(0);
  });

  it('a share above 0 flags at least one row, however small the file', () => {
    const four = rankScores(Float32Array.from([0.2, 0.9, 0.1, 0.5]));
    expect(lineCount(four.sorted, { mode: 'share', share: 0.1 })).toBe(1);
    expect(lineCount(four.sorted, { mode: 'share', share: 0.001 })).toBe(1);
    expect(lineCount(four.sorted, { mode: 'share', share: 0 })).toBe(0);
    expect(resolveLine(four, { mode: 'share', share: 0.1 }).lowest).toBe(Math.fround(0.9));
    expect(lineCount(new Float32Array(0), { mode: 'share', share: 0.1 })).toBe(0);
  });

  it('resolves count, share, lowest flagged score and expected transactions', () => {
    const line = resolveLine(r, { mode: 'probability', threshold: 0.5 });
    expect(line.count).toBe(3);
    expect(line.share).toBe(3 / 8);
    expect(line.lowest).toBe(Math.fround(0.7));
    expect(line.expected).toBeCloseTo(Math.fround(0.9) + 2 * Math.fround(0.7), 10);
    expect(Number.isNaN(resolveLine(r, { mode: 'share', share: 0 }).lowest)).toBe(true);
  });

  it('the mask flags exactly the counted rows, and the threshold rule equals p >= t', () => {
    for (const t of [0, 0.05, 0.1, 0.3, 0.31, 0.7, 0.9, 1]) {
      const line = resolveLine(r, { mode: 'probability', threshold: t });
      const mask = flagMask(r.order, line.count);
      expect(mask.reduce((a, b) => a + b, 0)).toBe(line.count);
      expect([...mask]).toEqual([...p].map((v) => (v >= Math.fround(t) ? 1 : 0)));
    }
  });

  it('a share that splits a tie flags the earlier rows', () => {
    const mask = flagMask(r.order, lineCount(r.sorted, { mode: 'share', share: 0.5 }));
    // 0.9, 0.7, 0.7, then the first of the three 0.3 rows (row 2).
    expect([...mask]).toEqual([0, 1, 1, 1, 0, 1, 0, 0]);
  });
});
