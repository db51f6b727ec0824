import { describe, expect, it } from 'vitest';
import { FittedRows } from '../fit/fitted-rows';
import { auc } from '../metrics';
import { FEATURE_COUNT } from '../schema';
import { FittedLabelTally, fittedLabelSentence } from './fitted-labels';

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
    });
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
