import { describe, expect, it } from 'vitest';
import { stratifiedFolds, stratifiedHoldout } from './split';

const targets = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 3 ? 1 : 0)); // 100 positives

describe('stratifiedHoldout', () => {
  it('splits each class in proportion, covers every row once, and repeats for the same seed', () => {
    const a = stratifiedHoldout(targets, 0.2, 42);
    expect(a.holdout.length).toBe(200);
    expect(Array.from(a.holdout).filter((r) => targets[r] === 1)).toHaveLength(20);
    expect(new Set([...a.train, ...a.holdout]).size).toBe(1000);
    expect(stratifiedHoldout(targets, 0.2, 42)).toEqual(a);
    expect(Array.from(stratifiedHoldout(targets, 0.2, 43).holdout)).not.toEqual(Array.from(a.holdout));
  });
});

describe('stratifiedFolds', () => {
  it('balances positives over the folds', () => {
    const { train } = stratifiedHoldout(targets, 0.2, 1);
    const fold = stratifiedFolds(targets, train, 5, 1);
    const positives = [0, 0, 0, 0, 0];
    const sizes = [0, 0, 0, 0, 0];
    train.forEach((r, k) => {
      sizes[fold[k]]++;
      positives[fold[k]] += targets[r];
    });
    expect(sizes).toEqual([160, 160, 160, 160, 160]);
    expect(positives).toEqual([16, 16, 16, 16, 16]);
  });
});
