import { describe, expect, it } from 'vitest';
import { auc, calibrationTable, prAuc, rocPoints } from '../metrics';
import { confusionAt, evaluateLabels, labelTally } from './evaluate';
import { flagMask, rankScores } from './cut-line';

function data(n: number, seed: number) {
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const p = new Float32Array(n);
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = random() < 0.15 ? 1 : 0;
    p[i] = Math.min(1, Math.max(0, random() * 0.6 + t[i] * 0.3));
    if (i % 17 === 0) t[i] = NaN; // unlabelled rows take no part
  }
  return { p, t };
}

describe('evaluateLabels', () => {
  const { p, t } = data(3000, 7);
  const ranking = rankScores(p);
  const e = evaluateLabels(p, t, ranking.order)!;

  it('computes AUC on the labelled rows only, as metrics.auc does', () => {
    const keep = [...t.keys()].filter((i) => t[i] === 0 || t[i] === 1);
    const expected = auc(
      Float32Array.from(keep, (i) => p[i]),
      Float32Array.from(keep, (i) => t[i]),
    );
    expect(e.auc).toBe(expected);
    expect(e.labelled).toBe(keep.length);
    expect(e.roc[0]).toEqual({ x: 0, y: 0 });
    expect(e.roc.at(-1)).toEqual({ x: 1, y: 1 });
    expect(e.calibration).toHaveLength(10);
  });

  it('reads every figure along the one ranking: the same numbers as sorting the labelled rows again', () => {
    // Many ties (scores on a coarse grid) and unlabelled rows: the ranking's order must stand in for a new sort.
    const coarse = Float32Array.from(p, (x) => Math.round(x * 20) / 20);
    const ranked = evaluateLabels(coarse, t, rankScores(coarse).order)!;
    const keep = [...t.keys()].filter((i) => t[i] === 0 || t[i] === 1);
    const scores = Float32Array.from(keep, (i) => coarse[i]);
    const labels = Float32Array.from(keep, (i) => t[i]);
    expect(ranked.auc).toBe(auc(scores, labels));
    expect(ranked.prAuc).toBe(prAuc(scores, labels));
    expect(ranked.roc).toEqual(rocPoints(scores, labels, 200));
    expect(ranked.calibration).toEqual(calibrationTable(scores, labels, 10));
  });

  it('the confusion table at any count matches counting the flagged rows', () => {
    for (const k of [0, 1, 150, 1234, 3000]) {
      const mask = flagMask(ranking.order, k);
      const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
      for (let i = 0; i < p.length; i++) {
        if (t[i] !== 0 && t[i] !== 1) continue;
        const key = mask[i] ? (t[i] === 1 ? 'tp' : 'fp') : t[i] === 1 ? 'fn' : 'tn';
        c[key]++;
      }
      expect(confusionAt(e, k)).toEqual({
        truePositives: c.tp,
        falsePositives: c.fp,
        falseNegatives: c.fn,
        trueNegatives: c.tn,
      });
    }
  });

  it('is null with one class only', () => {
    const ones = new Float32Array(5).fill(1);
    expect(evaluateLabels(new Float32Array(5), ones, rankScores(new Float32Array(5)).order)).toBeNull();
  });
});

describe('labelTally', () => {
  it('counts labelled rows and positives and sums their scores, leaving bad labels out', () => {
    const p = Float32Array.from([0.5, 0.25, 0.125, 0.75]);
    const t = Float32Array.from([0, 0, NaN, 1]);
    expect(labelTally(p, t)).toEqual({ labelled: 3, positives: 1, expected: 1.5 });
    // One class only: no evaluation, but the tally still says what was observed against what was expected.
    const zeros = Float32Array.from([0, 0, 0, 0]);
    expect(evaluateLabels(p, zeros, Uint32Array.from([3, 0, 1, 2]))).toBeNull();
    expect(labelTally(p, zeros)).toEqual({ labelled: 4, positives: 0, expected: 1.625 });
  });
});
