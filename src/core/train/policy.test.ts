import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import type { MemberInfo } from '../input/types';
import {
  chanceMargin,
  comparable,
  guardProblems,
  holdoutCounts,
  switchVerdict,
  TrainingRefusal,
  trainingMember,
  trainingRefusal,
} from './policy';

const SPLIT = { holdout: 0.2, folds: 5 };
const SHA = 'a'.repeat(64);

/** The fields of a card that cardProblems and the guard read. */
function card(auc: number, rows: number, positives: number, sha = SHA) {
  return {
    schema: 1,
    version: 'abc-s1',
    createdAt: '2026-11-30T00:00:00.000Z',
    data: { source: 'other', sha256: 'b'.repeat(64), rows: rows * 5 },
    model: { sha256: sha },
    metrics: {
      holdout: { rows, positives, auc, logLoss: 0.3, prAuc: 0.4 },
      cv: { aucMean: auc, aucStd: 0.01, aucs: [auc] },
    },
  };
}

describe('chanceMargin', () => {
  it('is 3.09 standard deviations of a no-skill AUC: about 0.015 for the committed 40,000-row holdout', () => {
    expect(chanceMargin(4020, 35980)).toBeCloseTo(0.0148, 4);
    // sqrt(3 / 12) for one of each: the AUC is then 0 or 1.
    expect(chanceMargin(1, 1)).toBeCloseTo(3.09 * 0.5, 10);
    expect(chanceMargin(0, 10)).toBe(Infinity);
  });

  it('shrinks as the holdout grows', () => {
    expect(chanceMargin(100, 900)).toBeLessThan(chanceMargin(10, 90));
    expect(chanceMargin(1000, 9000)).toBeLessThan(chanceMargin(100, 900));
  });

  it('matches the spread of the AUC of random scores (simulated)', () => {
    // 2,000 draws of random scores for 20 positives and 180 negatives: the AUC's standard deviation should be
    // the formula's sqrt((n1 + n0 + 1) / (12 n1 n0)) within sampling error.
    const rand = mulberry32(7);
    const values: number[] = [];
    for (let draw = 0; draw < 2000; draw++) {
      const pos = Array.from({ length: 20 }, () => rand());
      const neg = Array.from({ length: 180 }, () => rand());
      let wins = 0;
      for (const p of pos) for (const n of neg) wins += p > n ? 1 : 0;
      values.push(wins / (20 * 180));
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    expect(sd).toBeCloseTo(chanceMargin(20, 180) / 3.09, 2);
  });
});

describe('trainingRefusal', () => {
  it('lets a normal file through', () => {
    expect(trainingRefusal(200_000, 20_100, SPLIT)).toBeNull();
    expect(trainingRefusal(2_000, 200, SPLIT)).toBeNull();
  });

  it('refuses one class only, with the count and the class', () => {
    expect(trainingRefusal(2_000, 0, SPLIT)).toBe(
      'All 2,000 rows have target 0: a model needs customers of both classes (target 1 made a transaction, ' +
        'target 0 did not).',
    );
    expect(trainingRefusal(30, 30, SPLIT)).toMatch(/^All 30 rows have target 1:/);
  });

  it('refuses 50 rows: the holdout would be too small to tell any model from chance', () => {
    expect(trainingRefusal(50, 5, SPLIT)).toBe(
      'Too few rows to train on: 50 rows, 5 with target 1 and 45 with target 0. The 20% holdout would hold ' +
        '1 positive and 9 negatives: too few to tell any model from chance. Use a file with at least 28 rows ' +
        'with target 1: the fewest with which even a perfect model could be told from chance; a model that ' +
        'learns something needs many more, hundreds.',
    );
  });

  it('names the smallest count that would do, and that count then passes', () => {
    const message = trainingRefusal(5_000, 12, SPLIT)!;
    const needed = Number(/at least ([\d,]+) rows with target 1/.exec(message)![1].replace(',', ''));
    expect(trainingRefusal(5_000, needed, SPLIT)).toBeNull();
    expect(trainingRefusal(5_000, needed - 1, SPLIT)).not.toBeNull();
  });

  it('refuses a file with no rows', () => {
    expect(trainingRefusal(0, 0, SPLIT)).toBe('It has no data rows.');
  });

  it('is consistent with the guard: an accepted file leaves a perfect model room to pass', () => {
    for (let positives = 1; positives < 60; positives++) {
      const rows = positives * 7;
      if (trainingRefusal(rows, positives, SPLIT) !== null) continue;
      const held = holdoutCounts(positives, rows - positives, SPLIT.holdout);
      expect(0.5 + chanceMargin(held.positives, held.negatives)).toBeLessThan(1);
    }
  });
});

describe('trainingMember', () => {
  const member = (name: string, use: MemberInfo['use']) => ({ name, use }) as MemberInfo;
  it("takes an archive's one labelled table, and names the tables when there is none or several", () => {
    const kaggle = [
      member('test.csv', 'score'),
      member('train.csv', 'evaluate'),
      member('sample.csv', 'none'),
    ];
    expect(trainingMember('k.zip', kaggle, 'pick one.')).toBe('train.csv');
    expect(() => trainingMember('t.zip', [member('a.csv', 'score'), member('b.csv', 'score')], 'x')).toThrow(
      new TrainingRefusal('None of the 2 tables in t.zip has a target column: training needs labelled rows.'),
    );
    const two = [member('a.csv', 'evaluate'), member('b.csv', 'evaluate')];
    expect(() => trainingMember('two.zip', two, 'pick one.')).toThrow(
      'two.zip holds 2 tables with a target column (a.csv, b.csv): pick one.',
    );
  });
});

describe('guardProblems', () => {
  it('passes a well-formed card whose hash matches and whose AUC clears the margin', () => {
    expect(guardProblems({ card: card(0.9088, 40000, 4020), modelSha256: SHA })).toEqual([]);
  });

  it('refuses an AUC at or under 0.5 + the margin, naming both', () => {
    // 1,000 rows with 100 positives: margin 3.09 * sqrt(1001 / (12 * 100 * 900)) = 0.0941.
    const [problem] = guardProblems({ card: card(0.59, 1000, 100), modelSha256: SHA });
    expect(problem).toBe(
      'its holdout AUC of 0.5900 is not above chance: with 100 positives and 900 negatives in the holdout it ' +
        "must exceed 0.5941 (0.5 + 3.09 standard deviations of a no-skill model's AUC)",
    );
    expect(guardProblems({ card: card(0.6, 1000, 100), modelSha256: SHA })).toEqual([]);
  });

  it('refuses a model whose SHA-256 is not the card’s', () => {
    const problems = guardProblems({ card: card(0.9, 40000, 4000), modelSha256: 'c'.repeat(64) });
    expect(problems).toEqual([
      `the model file does not match its card (card SHA-256 ${SHA}, file ${'c'.repeat(64)})`,
    ]);
  });

  it('refuses a malformed card with every problem the gate would name', () => {
    const bad = card(0.9, 40000, 4000);
    (bad.metrics.holdout as { auc: unknown }).auc = null;
    bad.version = '../x';
    const problems = guardProblems({ card: bad, modelSha256: SHA });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/version "\.\.\/x" is not a plain version string/);
    expect(problems.join('\n')).toMatch(/metrics\.holdout\.auc is non-finite/);
  });
});

describe('comparable', () => {
  it('is the holdout floor of trainingRefusal: a perfect model must be told from chance on the rows', () => {
    expect(comparable(0, 500)).toBe(false);
    expect(comparable(3, 37)).toBe(false);
    expect(comparable(8, 72)).toBe(true);
    expect(comparable(100, 900)).toBe(true);
  });
});

describe('switchVerdict', () => {
  const BUILT_IN = { trained: 'Your model', previous: 'the built-in model' };

  it('keeps out the user test’s model: 0.8379 against 0.8904 for the built-in model on 1,000 rows', () => {
    expect(switchVerdict({ rows: 1000, auc: 0.8379 }, { auc: 0.8904 }, BUILT_IN)).toEqual({
      switchIn: false,
      reason:
        "Your model's holdout AUC is 0.8379 against 0.8904 for the built-in model on the same 1,000 rows: " +
        "the built-in model stays in use. The built-in model's figure may be flattered if it was fitted on rows " +
        'of this file: it has no record of the rows it was fitted on.',
    });
  });

  it('switches in a model at least as good on the same rows, equal included', () => {
    // No record of the built-in model's fitted rows: the sentence does not claim it was not fitted on these.
    expect(switchVerdict({ rows: 500, auc: 0.8412 }, { auc: 0.5123 }, BUILT_IN)).toEqual({
      switchIn: true,
      reason: '(holdout AUC 0.8412 against 0.5123 for the built-in model on the same 500 rows)',
    });
    expect(switchVerdict({ rows: 500, auc: 0.9 }, { auc: 0.9 }, BUILT_IN).switchIn).toBe(true);
  });

  it('has no tolerance: the smallest drop the card can show keeps the model out, with the digits that show it', () => {
    const verdict = switchVerdict(
      { rows: 40000, auc: 0.889615 },
      { auc: 0.889616 },
      { trained: 'The new model', previous: 'your model abc-s42' },
    );
    expect(verdict).toEqual({
      switchIn: false,
      reason:
        "The new model's holdout AUC is 0.889615 against 0.889616 for your model abc-s42 on the same 40,000 " +
        "rows: your model abc-s42 stays in use. Your model abc-s42's figure may be flattered if it was fitted " +
        'on rows of this file: it has no record of the rows it was fitted on.',
    });
  });

  const YOURS = { trained: 'The new model', previous: 'your model 1c948dfe-s42' };

  it('with a record of the model in use’s fitted rows, compares on the rows neither was fitted on and says how many were left out', () => {
    // The user test's second run, once the 313 rows the t2k model was fitted on are left out.
    const fitted = { rows: 687, leftOut: 313, trained: 0.8412 };
    expect(switchVerdict({ rows: 1000, auc: 0.8568 }, { auc: 0.8125, fitted }, YOURS)).toEqual({
      switchIn: true,
      reason:
        '(holdout AUC 0.8412 against 0.8125 for your model 1c948dfe-s42 on the same 687 rows, which neither ' +
        'was fitted on; 313 left out: your model 1c948dfe-s42 was fitted on them)',
    });
    // The figures on the 687 rows decide, not the card's 0.8568 on all 1,000.
    expect(
      switchVerdict({ rows: 1000, auc: 0.8568 }, { auc: 0.845, fitted: { ...fitted, trained: 0.84 } }, YOURS),
    ).toEqual({
      switchIn: false,
      reason:
        "The new model's holdout AUC is 0.8400 against 0.8450 for your model 1c948dfe-s42 on the same 687 " +
        'rows, which neither was fitted on (313 left out: your model 1c948dfe-s42 was fitted on them): your ' +
        'model 1c948dfe-s42 stays in use.',
    });
  });

  it('says a left-out row may be a chance match of the record when no more match than its false positives explain', () => {
    const fitted = { rows: 3999, leftOut: 1, trained: 0.88, chance: true };
    expect(switchVerdict({ rows: 4000, auc: 0.88 }, { auc: 0.86, fitted }, BUILT_IN).reason).toBe(
      '(holdout AUC 0.8800 against 0.8600 for the built-in model on the same 3,999 rows, which neither was ' +
        'fitted on; 1 left out: it matches the record of the rows the built-in model was fitted on, as about 1 ' +
        'row in 10,000 it never saw does)',
    );
  });

  it('with a record and none of the holdout rows fitted by the model in use, says only that neither was fitted on them', () => {
    const fitted = { rows: 500, leftOut: 0, trained: 0.9 };
    expect(switchVerdict({ rows: 500, auc: 0.9 }, { auc: 0.85, fitted }, YOURS).reason).toBe(
      '(holdout AUC 0.9000 against 0.8500 for your model 1c948dfe-s42 on the same 500 rows, which neither was ' +
        'fitted on)',
    );
  });

  it('keeps the new model out when too few rows are left to compare, with the counts', () => {
    const tooFew = { leftOut: 360, positives: 3, negatives: 37 };
    expect(switchVerdict({ rows: 400, auc: 0.83 }, { tooFew }, YOURS)).toEqual({
      switchIn: false,
      reason:
        "The new model's holdout AUC is 0.8300 on 400 rows, but your model 1c948dfe-s42 was fitted on 360 of " +
        'them: the other 40 rows (3 positives, 37 negatives) are too few to compare the two, as even a perfect ' +
        'model could not be told from chance on them: your model 1c948dfe-s42 stays in use.',
    });
  });

  it('keeps the model out when the model in use could not be scored, saying why', () => {
    expect(
      switchVerdict({ rows: 500, auc: 0.95 }, { problem: 'Could not load the model (404)' }, BUILT_IN),
    ).toEqual({
      switchIn: false,
      reason:
        "Your model's holdout AUC is 0.9500 on 500 rows, but the built-in model could not be scored on the same " +
        'rows (Could not load the model (404)): the built-in model stays in use.',
    });
  });
});
