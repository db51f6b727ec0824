import { describe, expect, it } from 'vitest';
import { FittedRows } from '../fit/fitted-rows';
import { auc } from '../metrics';
import { FEATURE_COUNT } from '../schema';
import {
  chanceCeiling,
  expectedFalsePositives,
  FittedLabelTally,
  fittedLabelSentence,
} from './fitted-labels';

/** Row i's 200 values: distinct rows. */
function rows(n: number): Float32Array {
  return new Float32Array(n * FEATURE_COUNT).map((_, k) => Math.fround(Math.sin(k * 12.9898) * 43.7585));
}

describe('FittedLabelTally', () => {
  it('counts the fitted rows (labelled or not) and ranks only the other rows labelled 0 or 1, across batches', () => {
    const x = rows(10);
    const record = FittedRows.of(x, [0, 1, 2]);
    const scores = Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]);
    const targets = Float32Array.from([1, 0, NaN, 1, 0, 1, 0, 0, 2, 1]);
    const tally = new FittedLabelTally(record);
    tally.add(x.subarray(0, 4 * FEATURE_COUNT), scores.subarray(0, 4), targets.subarray(0, 4), 4);
    tally.add(x.subarray(4 * FEATURE_COUNT), scores.subarray(4), targets.subarray(4), 6);
    const figures = tally.figures();
    // Rows 3..9, less row 8 (target 2): 3, 4, 5, 6, 7, 9.
    const kept = [3, 4, 5, 6, 7, 9];
    expect(figures).toEqual({
      fitted: 3,
      labelled: 6,
      positives: 3,
      auc: auc(
        Float64Array.from(kept, (r) => scores[r]),
        Uint8Array.from(kept, (r) => targets[r]),
      ),
      beyondChance: true,
    });
  });

  it('says a file holds fitted rows only when false positives cannot explain their number', () => {
    // The built-in model's record: 160,000 rows at 1 in 10,000. A 4,000-row file of fresh rows expects 0.4.
    const record = FittedRows.of(rows(1), [0]);
    const big = { bits: 160_000 * 19.17, hashes: 13, rows: 160_000 };
    expect(expectedFalsePositives(big, 4000)).toBeCloseTo(0.4, 1);
    // A record whose every look-up answers `marked` for the first rows of each batch, sized like the big one.
    const marking = (marked: number) =>
      Object.assign(Object.create(record) as FittedRows, big, {
        mark: (_x: Float32Array, n: number) => Uint8Array.from({ length: n }, (_, r) => (r < marked ? 1 : 0)),
      });
    const tallyOf = (marked: number) => {
      const tally = new FittedLabelTally(marking(marked));
      tally.add(new Float32Array(4000 * FEATURE_COUNT), new Float32Array(4000), new Float32Array(4000), 4000);
      return tally.figures();
    };
    // Two marks in 4,000 fresh rows (what the page test met): chance, not a file of training rows.
    expect(tallyOf(2)).toMatchObject({ fitted: 2, beyondChance: false });
    expect(tallyOf(300)).toMatchObject({ fitted: 300, beyondChance: true });
  });

  it('has no AUC when the other rows hold one class', () => {
    const x = rows(4);
    const tally = new FittedLabelTally(FittedRows.of(x, [0, 1]));
    tally.add(x, Float32Array.from([0.1, 0.2, 0.3, 0.4]), Float32Array.from([1, 0, 0, 0]), 4);
    expect(tally.figures()).toMatchObject({ fitted: 2, labelled: 2, positives: 0 });
    expect(tally.figures().auc).toBeNaN();
  });
});

describe('fittedLabelSentence', () => {
  const head =
    'The model was fitted on 1,600 rows of this file (by its record of the rows it was fitted on), so its ' +
    'figures on all your labels flatter it. ';

  it('gives the AUC on the other labelled rows', () => {
    expect(fittedLabelSentence({ fitted: 1600, labelled: 400, positives: 41, auc: 0.81234 })).toBe(
      `${head}AUC on the other 400 rows labelled 0 or 1: 0.8123 (41 of them 1).`,
    );
  });

  it('says when no other row can measure it', () => {
    expect(fittedLabelSentence({ fitted: 1600, labelled: 0, positives: 0, auc: NaN })).toBe(
      `${head}No other row has a label to measure it on.`,
    );
    expect(fittedLabelSentence({ fitted: 1600, labelled: 3, positives: 0, auc: NaN })).toBe(
      `${head}The other 3 labelled rows are all 0: no AUC on them.`,
    );
  });
});

describe('chanceCeiling', () => {
  /** P(X >= k) for X ~ Poisson(mean), summed independently of the code under test. */
  const tail = (mean: number, k: number) => {
    let below = 0;
    let term = Math.exp(-mean);
    for (let i = 0; i < k; i++) {
      below += term;
      term *= mean / (i + 1);
    }
    return 1 - below;
  };

  it('is the fewest marks that false positives reach less often than once in a million', () => {
    expect(chanceCeiling(0)).toBe(1);
    for (const mean of [0.05, 0.4, 2, 20]) {
      const k = chanceCeiling(mean);
      expect(tail(mean, k)).toBeLessThan(1e-6);
      expect(tail(mean, k - 1)).toBeGreaterThanOrEqual(1e-6);
    }
  });
});
