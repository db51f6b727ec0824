import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auc,
  descendingOrder,
  calibrationTable,
  histogram,
  labelledRows,
  logLoss,
  prAuc,
  prPoints,
  rocPoints,
  thresholdTable,
} from './metrics';

const f64 = (v: number[]) => Float64Array.from(v);
const u8 = (v: number[]) => Uint8Array.from(v);

describe('auc', () => {
  it('matches a hand-computed case with ties', () => {
    // Positives score 0.8, 0.4, 0.4; negatives 0.4, 0.3, 0.1.
    // Pairs (pos, neg): 0.8 beats all 3; each 0.4 beats 0.3 and 0.1 and ties 0.4 (half): 2.5 each.
    // AUC = (3 + 2.5 + 2.5) / 9 = 8/9.
    expect(auc(f64([0.8, 0.4, 0.4, 0.4, 0.3, 0.1]), u8([1, 1, 1, 0, 0, 0]))).toBeCloseTo(8 / 9, 12);
  });

  it('is 1 for perfect ranking, 0 for reversed, 0.5 when all scores tie, NaN with one class', () => {
    expect(auc(f64([3, 2, 1, 0]), u8([1, 1, 0, 0]))).toBe(1);
    expect(auc(f64([0, 1, 2, 3]), u8([1, 1, 0, 0]))).toBe(0);
    expect(auc(f64([5, 5, 5, 5]), u8([1, 0, 1, 0]))).toBe(0.5);
    expect(auc(f64([1, 2]), u8([1, 1]))).toBeNaN();
  });

  it('equals the pairwise definition on random data with many ties', () => {
    const n = 300;
    const s = Float32Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 12.9898) * 5) / 5);
    const y = Uint8Array.from({ length: n }, (_, i) => (Math.sin(i * 78.233) > 0.3 ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++)
        if (y[i] === 1 && y[k] === 0) {
          pairs++;
          wins += s[i] > s[k] ? 1 : s[i] === s[k] ? 0.5 : 0;
        }
    expect(auc(s, y)).toBeCloseTo(wins / pairs, 12);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => auc(f64([1, 2]), u8([1]))).toThrow(/labels has 1/);
  });
});

describe('logLoss and prAuc', () => {
  it('logLoss matches the formula and clips 0 and 1', () => {
    const p = f64([0.9, 0.2]);
    expect(logLoss(p, u8([1, 0]))).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(Number.isFinite(logLoss(f64([0, 1]), u8([1, 0])))).toBe(true);
  });

  it('prAuc is the average precision of a hand-computed ranking', () => {
    // Ranking: pos, neg, pos, neg -> precision at each positive: 1/1 and 2/3 -> AP = (1 + 2/3) / 2.
    expect(prAuc(f64([4, 3, 2, 1]), u8([1, 0, 1, 0]))).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });
});

describe('curves and tables', () => {
  const scores = f64([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]);
  const labels = u8([1, 1, 0, 1, 0, 0, 0, 0, 0, 0]);

  it('roc runs from (0,0) to (1,1) and is monotone; thinning keeps the ends', () => {
    const roc = rocPoints(scores, labels);
    expect(roc[0]).toEqual({ x: 0, y: 0 });
    expect(roc.at(-1)).toEqual({ x: 1, y: 1 });
    for (let i = 1; i < roc.length; i++)
      expect(roc[i].x >= roc[i - 1].x && roc[i].y >= roc[i - 1].y).toBe(true);
    const thin = rocPoints(scores, labels, 4);
    expect(thin).toHaveLength(4);
    expect(thin[0]).toEqual({ x: 0, y: 0 });
    expect(thin[3]).toEqual({ x: 1, y: 1 });
  });

  it('pr points end at recall 1 with precision = base rate', () => {
    const pr = prPoints(scores, labels);
    expect(pr[0]).toEqual({ x: 1 / 3, y: 1 });
    expect(pr.at(-1)).toEqual({ x: 1, y: 0.3 });
  });

  it('threshold table gives precision and recall of the top share', () => {
    const [top10, top30] = thresholdTable(scores, labels, [0.1, 0.3]);
    expect(top10).toEqual({ share: 0.1, threshold: 0.9, precision: 1, recall: 1 / 3 });
    expect(top30.threshold).toBe(0.7);
    expect(top30.precision).toBeCloseTo(2 / 3, 12);
    expect(top30.recall).toBeCloseTo(2 / 3, 12);
  });

  it('calibration table cuts equal-count bins in increasing order of prediction', () => {
    const table = calibrationTable(scores, labels, 2);
    expect(table.map((b) => b.count)).toEqual([5, 5]);
    expect(table[0].predicted).toBeCloseTo((0.4 + 0.3 + 0.2 + 0.1 + 0.05) / 5, 12);
    expect(table[0].observed).toBe(0);
    expect(table[1].observed).toBeCloseTo(3 / 5, 12);
  });

  it('histogram counts every value, out-of-range ones in the end bins', () => {
    const h = histogram(f64([-1, 0, 0.25, 0.5, 0.99, 1, 2]), 4, 0, 1);
    expect(h.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(h.counts).toEqual([2, 1, 1, 3]);
  });
});

describe('labelledRows', () => {
  it('keeps the rows labelled 0 or 1 and counts the positives', () => {
    const scores = Float32Array.from([0.9, 0.8, 0.7, 0.6]);
    const out = labelledRows(scores, Float32Array.from([1, NaN, 0, 1]));
    expect([...out.scores]).toEqual([...Float32Array.from([0.9, 0.7, 0.6])]);
    expect([...out.labels]).toEqual([1, 0, 1]);
    expect(out.positives).toBe(2);
  });

  it('hands back the inputs when every row is labelled', () => {
    const scores = Float32Array.from([0.2, 0.4]);
    const targets = Float32Array.from([0, 1]);
    expect(labelledRows(scores, targets)).toEqual({ scores, labels: targets, positives: 1 });
    expect(labelledRows(scores, targets).scores).toBe(scores);
  });
});

describe('descendingOrder', () => {
  it('gives the order of a comparator sort (score descending, ties by row) for float32 and float64 scores', () => {
    const score = fc.oneof(
      fc.float({ noNaN: true }),
      fc.constantFrom(0, -0, 1, 0.5, Infinity, -Infinity, 1e-45),
    );
    fc.assert(
      fc.property(fc.array(score, { maxLength: 400 }), (values) => {
        for (const scores of [Float32Array.from(values), Float64Array.from(values)]) {
          const expected = Array.from(scores, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
          expect([...descendingOrder(scores)]).toEqual(expected);
          expect([...descendingOrder(scores, { packedRowLimit: 0 })]).toEqual(expected);
        }
      }),
    );
  });
});
