import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from './top-k';

function reference(scores: number[], k: number): number[] {
  return scores
    .map((s, i) => ({ s, row: i + 1 }))
    .sort((a, b) => b.s - a.s || a.row - b.row)
    .slice(0, k)
    .map((e) => e.row);
}

describe('TopK', () => {
  it('keeps the k best rows, best first, ties by earlier row, with their own features', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 30 }),
        (ints, k) => {
          const scores = ints.map((v) => v / 20); // few distinct values: many ties
          const width = 3;
          const features = new Float32Array(scores.length * width).map((_, i) => i);
          const top = new TopK(k, width);
          scores.forEach((s, i) => top.offer(s, i + 1, `id${i + 1}`, features, i * width));
          const got = top.sorted();
          expect(got.map((e) => e.row)).toEqual(reference(scores, k));
          for (const e of got) {
            expect(e.id).toBe(`id${e.row}`);
            expect(e.probability).toBe(scores[e.row - 1]);
            const first = (e.row - 1) * width;
            expect([...e.features]).toEqual([first, first + 1, first + 2]);
          }
        },
      ),
    );
  });

  it('reports -Infinity as threshold until full, then the weakest kept score', () => {
    const top = new TopK(2, 1);
    const f = new Float32Array([0]);
    expect(top.threshold).toBe(-Infinity);
    top.offer(0.3, 1, 'a', f, 0);
    expect(top.threshold).toBe(-Infinity);
    top.offer(0.9, 2, 'b', f, 0);
    expect(top.threshold).toBeCloseTo(0.3);
    top.offer(0.5, 3, 'c', f, 0);
    expect(top.threshold).toBeCloseTo(0.5);
    expect(top.length).toBe(2);
  });

  it('ignores NaN scores and capacity 0', () => {
    const f = new Float32Array([1]);
    const top = new TopK(3, 1);
    top.offer(NaN, 1, 'a', f, 0);
    expect(top.length).toBe(0);
    const none = new TopK(0, 1);
    none.offer(0.5, 1, 'a', f, 0);
    expect(none.sorted()).toEqual([]);
  });
});
