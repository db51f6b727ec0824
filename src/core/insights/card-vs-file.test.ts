import { describe, expect, it } from 'vitest';
import { auc, calibrationTable } from '../metrics';
import { mulberry32 } from '../random';
import {
  aucStandardError,
  binomialTwoSided,
  checkAgainstCard,
  checkCalibration,
  compareAuc,
  MIN_CLASS_ROWS,
} from './card-vs-file';

/** Standard deviation of a sample. */
function sd(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** Scores of `pos` positives ~ Exp(1/9) and `neg` negatives ~ Exp(1): AUC = P(X+ > X-) = 0.9. */
function exponentialSample(random: () => number, pos: number, neg: number) {
  const scores = new Float32Array(pos + neg);
  const labels = new Float32Array(pos + neg);
  for (let i = 0; i < pos + neg; i++) {
    const positive = i < pos;
    scores[i] = -Math.log(1 - random()) * (positive ? 9 : 1);
    labels[i] = positive ? 1 : 0;
  }
  return { scores, labels };
}

describe('aucStandardError', () => {
  it('matches the spread of AUCs over repeated samples of the exponential model it is derived for', () => {
    const random = mulberry32(5);
    for (const [pos, neg] of [
      [40, 360],
      [200, 1800],
    ]) {
      const aucs = Array.from({ length: 400 }, () => {
        const s = exponentialSample(random, pos, neg);
        return auc(s.scores, s.labels);
      });
      // 400 draws: the sample sd itself is within about 7% (2 sd) of the true spread.
      expect(sd(aucs) / aucStandardError(0.9, pos, neg)).toBeGreaterThan(0.88);
      expect(sd(aucs) / aucStandardError(0.9, pos, neg)).toBeLessThan(1.12);
    }
  });

  it('shrinks with more rows and is undefined without both classes', () => {
    expect(aucStandardError(0.9, 400, 3600)).toBeLessThan(aucStandardError(0.9, 100, 900));
    expect(aucStandardError(0.9, 0, 100)).toBeNaN();
  });
});

describe('compareAuc', () => {
  const card = { auc: 0.9088, positives: 4020, negatives: 35980 };

  it('calls a gap beyond 2.33 combined standard errors "below", and a smaller one consistent', () => {
    const se = Math.hypot(aucStandardError(0.88, 400, 3600), aucStandardError(0.9088, 4020, 35980));
    const clear = compareAuc({ auc: 0.9088 - 2.4 * se, positives: 400, negatives: 3600 }, card);
    expect(clear.verdict).toBe('below');
    const near = compareAuc({ auc: 0.9088 - 2.2 * se, positives: 400, negatives: 3600 }, card);
    expect(near.verdict).toBe('consistent');
    expect(compareAuc({ auc: 0.95, positives: 400, negatives: 3600 }, card).verdict).toBe('consistent');
  });

  it('does not compare on too few positives', () => {
    const few = compareAuc({ auc: 0.6, positives: MIN_CLASS_ROWS - 1, negatives: 400 }, card);
    expect(few.verdict).toBe('too-few');
  });

  it("flags about 1% of files from the card's own population, not more (one-sided 1%)", () => {
    const random = mulberry32(9);
    const cardSample = { auc: 0.9, positives: 4000, negatives: 36000 };
    let flagged = 0;
    const files = 600;
    for (let f = 0; f < files; f++) {
      const s = exponentialSample(random, 100, 900);
      if (
        compareAuc({ auc: auc(s.scores, s.labels), positives: 100, negatives: 900 }, cardSample).verdict ===
        'below'
      )
        flagged++;
    }
    // Expected about 6 of 600; 20 would be a test that flags far more than it says.
    expect(flagged).toBeLessThan(20);
  });
});

describe('binomialTwoSided', () => {
  it("gives R binom.test's p-values", () => {
    // binom.test(682, 925, p = 3/4): p-value = 0.3825 (R's own example).
    expect(binomialTwoSided(682, 925, 0.75)).toBeCloseTo(0.3825, 4);
    // binom.test(0, 10, 0.5): 2 * 0.5^10.
    expect(binomialTwoSided(0, 10, 0.5)).toBeCloseTo(2 / 1024, 12);
    expect(binomialTwoSided(5, 10, 0.5)).toBeCloseTo(1, 12);
  });
});

describe('checkCalibration', () => {
  /** A file whose labels are drawn with probabilities `p * factor`. */
  function file(random: () => number, rows: number, factor: number) {
    const p = new Float32Array(rows);
    const y = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      p[i] = Math.fround(Math.min(0.98, 0.6 * random() ** 4));
      y[i] = random() < Math.min(1, p[i] * factor) ? 1 : 0;
    }
    return { p, y };
  }

  it('rarely flags a file whose labels follow the predictions', () => {
    const random = mulberry32(3);
    let flagged = 0;
    for (let f = 0; f < 200; f++) {
      const { p, y } = file(random, 2000, 1);
      if (checkCalibration(calibrationTable(p, y, 10)).off.length > 0) flagged++;
    }
    // 1% overall by construction (and conservative): 200 files give about 2.
    expect(flagged).toBeLessThan(8);
  });

  it('flags a file whose transactions happen half as often as predicted, worst group first', () => {
    const { p, y } = file(mulberry32(4), 4000, 0.5);
    const check = checkCalibration(calibrationTable(p, y, 10));
    expect(check.off.length).toBeGreaterThan(0);
    expect(check.off[0].observed).toBeLessThan(check.off[0].predicted);
    expect(check.alpha).toBeCloseTo(0.001, 12);
    for (let i = 1; i < check.off.length; i++)
      expect(check.off[i].pValue).toBeGreaterThanOrEqual(check.off[i - 1].pValue);
  });

  it('combines both checks', () => {
    const bins = [{ predicted: 0.5, observed: 0.1, count: 100 }];
    const both = checkAgainstCard(
      { auc: 0.9, positives: 400, negatives: 3600, calibration: bins },
      { auc: 0.9, positives: 4000, negatives: 36000 },
    );
    expect(both.auc.verdict).toBe('consistent');
    expect(both.fitsWorse).toBe(true);
  });
});
