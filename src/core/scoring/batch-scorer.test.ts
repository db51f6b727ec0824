import { describe, expect, it } from 'vitest';
import { packIds, unpackIds } from '../ids';
import { BatchScorer, type RunModel, type ScoreBatch } from './batch-scorer';

const width = 2;
// A stand-in model: the probability is the first feature, so expectations are easy to compute.
const firstFeature: RunModel = async (features, rows) => {
  const p = new Float32Array(rows);
  for (let i = 0; i < rows; i++) p[i] = features[i * width];
  return p;
};

function batches(values: number[], size: number, labels: boolean): ScoreBatch[] {
  const out: ScoreBatch[] = [];
  for (let start = 0; start < values.length; start += size) {
    const part = values.slice(start, start + size);
    // Oversized buffers, as a reader that reuses them would pass: only `count` rows are valid.
    const features = new Float32Array((part.length + 3) * width).fill(7);
    part.forEach((v, i) => {
      features[i * width] = v;
      features[i * width + 1] = start + i;
    });
    out.push({
      firstRow: start + 1,
      count: part.length,
      ids: packIds(part.map((_, i) => `c${start + i + 1}`)),
      features,
      targets: labels ? new Float32Array(part.map((v) => (v > 0.5 ? 1 : 0))) : null,
    });
  }
  return out;
}

describe('BatchScorer', () => {
  const values = Array.from({ length: 103 }, (_, i) => ((i * 37) % 101) / 100);

  it.each([1, 10, 64, 500])('gives the same results whatever the batch size (%i rows)', async (size) => {
    const scorer = new BatchScorer({ width, topCount: 5, expectedRows: 8 });
    for (const b of batches(values, size, true)) await scorer.add(b, firstFeature);
    const r = scorer.finish();
    expect(r.rows).toBe(103);
    expect(unpackIds(r.ids)).toEqual(values.map((_, i) => `c${i + 1}`));
    expect([...r.probabilities]).toEqual(values.map((v) => Math.fround(v)));
    expect([...r.targets!]).toEqual(values.map((v) => (v > 0.5 ? 1 : 0)));
    const sorted = [...values].sort((a, b) => b - a).slice(0, 5);
    expect(r.top.map((e) => e.probability)).toEqual(sorted.map((v) => Math.fround(v)));
    for (const e of r.top) {
      expect(e.id).toBe(`c${e.row}`);
      expect(e.features[1]).toBe(e.row - 1); // the row's own second feature travelled with it
    }
    expect(r.summary.rows).toBe(103);
    expect(r.summary.expectedTransactions).toBeCloseTo(
      values.reduce((s, v) => s + Math.fround(v), 0),
      4,
    );
  });

  it('has no labels when the file has none', async () => {
    const scorer = new BatchScorer({ width, topCount: 3 });
    for (const b of batches(values, 50, false)) await scorer.add(b, firstFeature);
    expect(scorer.finish().targets).toBeNull();
  });

  it('refuses a model that returns too few scores, and a batch with too few values', async () => {
    const scorer = new BatchScorer({ width, topCount: 3 });
    const [b] = batches(values, 10, false);
    await expect(scorer.add(b, async () => new Float32Array(3))).rejects.toThrow(/3 scores for 10 rows/);
    await expect(scorer.add({ ...b, features: new Float32Array(4) }, firstFeature)).rejects.toThrow(
      RangeError,
    );
  });

  it('handles an empty batch without calling the model', async () => {
    const scorer = new BatchScorer({ width, topCount: 3 });
    let calls = 0;
    await scorer.add(
      { firstRow: 1, count: 0, ids: packIds([]), features: new Float32Array(), targets: null },
      async (f, n) => {
        calls++;
        return firstFeature(f, n);
      },
    );
    expect(calls).toBe(0);
    expect(scorer.finish().rows).toBe(0);
  });
});
