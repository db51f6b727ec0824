import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '../../src/core/schema';
import { csvHeader, generate } from './sample';
import { referenceFigures } from './spec';

describe('generate', () => {
  it('gives identical rows for the same seeds and different rows for another seed', () => {
    const a = generate({ rows: 300, seed: 5, shapeSeed: 1 });
    const b = generate({ rows: 300, seed: 5, shapeSeed: 1 });
    const c = generate({ rows: 300, seed: 6, shapeSeed: 1 });
    expect(Buffer.from(a.features.buffer).equals(Buffer.from(b.features.buffer))).toBe(true);
    expect(a.targets).toEqual(b.targets);
    expect(Buffer.from(a.features.buffer).equals(Buffer.from(c.features.buffer))).toBe(false);
    const test = generate({ rows: 300, seed: 5, shapeSeed: 1, split: 'test' });
    expect(test.ids[0]).toBe('test_0');
    expect(Buffer.from(a.features.buffer).equals(Buffer.from(test.features.buffer))).toBe(false);
  });

  it('has Kaggle ids, 4-decimal values and exactly round(rows * 10.05%) positives', () => {
    const rows = 2000;
    const { ids, features, targets } = generate({ rows, seed: 2 });
    expect(ids.slice(0, 2)).toEqual(['train_0', 'train_1']);
    expect(ids.at(-1)).toBe('train_1999');
    expect(targets.reduce((s, t) => s + t, 0)).toBe(201);
    for (let i = 0; i < features.length; i += 97) {
      const tenThousandths = features[i] * 10000;
      expect(Math.abs(tenThousandths - Math.round(tenThousandths))).toBeLessThan(
        1e-3 * Math.max(1, Math.abs(features[i])),
      );
    }
    expect(csvHeader('train').split(',').slice(0, 3)).toEqual(['ID_code', 'target', 'var_0']);
    expect(csvHeader('test').split(',')).toHaveLength(1 + FEATURE_COUNT);
  });

  it('has marginals that follow the real figures (mean, sd, 1% and 99% quantiles)', () => {
    const rows = 30_000;
    const { features } = generate({ rows, seed: 11 });
    const column = new Float64Array(rows);
    let quantileMisses = 0;
    referenceFigures.features.forEach((f, j) => {
      let sum = 0;
      let squares = 0;
      for (let r = 0; r < rows; r++) {
        const x = features[r * FEATURE_COUNT + j];
        column[r] = x;
        sum += x;
        squares += x * x;
      }
      const mean = sum / rows;
      const sd = Math.sqrt(squares / rows - mean * mean);
      expect(Math.abs(mean - f.mean) / f.std, `${f.name} mean`).toBeLessThan(0.04);
      expect(Math.abs(sd / f.std - 1), `${f.name} sd`).toBeLessThan(0.04);
      column.sort();
      const q01 = column[Math.floor(0.01 * rows)];
      const q99 = column[Math.floor(0.99 * rows)];
      const miss = Math.max(Math.abs(q01 - f.q01), Math.abs(q99 - f.q99)) / f.std;
      // Sampling error of a 1% quantile on 30,000 rows is about 0.02 sd; the shapes themselves move it < 0.11.
      expect(miss, `${f.name} 1%/99% quantiles`).toBeLessThan(0.15);
      if (miss > 0.06) quantileMisses++;
    });
    expect(quantileMisses).toBeLessThan(20);
  });
});
