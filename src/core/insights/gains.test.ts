import { describe, expect, it } from 'vitest';
import card from '../../../models/model-card.json';
import type { ModelCard } from '../model-card';
import { evaluateLabels } from './evaluate';
import { actualCapture, expectedCapture, gainsCurve } from './gains';
import { rankScores } from './cut-line';
import { atShare, validationCurve } from './holdout-figures';

describe('gains', () => {
  const p = Float32Array.from([0.1, 0.8, 0.05, 0.4, 0.6, 0.05]);
  const y = Float32Array.from([0, 1, 0, 0, 1, 1]);
  const ranking = rankScores(p);
  const labels = evaluateLabels(p, y, ranking.order)!;

  it('expected capture at a line is the flagged probabilities over all of them', () => {
    const total = p.reduce((a, b) => a + b, 0);
    expect(expectedCapture(ranking, 0)).toBe(0);
    expect(expectedCapture(ranking, 2)).toBeCloseTo((Math.fround(0.8) + Math.fround(0.6)) / total, 12);
    expect(expectedCapture(ranking, 6)).toBeCloseTo(1, 12);
    expect(expectedCapture(ranking, 60)).toBeCloseTo(1, 12);
  });

  it('actual capture counts the labelled positives reached', () => {
    expect(actualCapture(labels, 2)).toBeCloseTo(2 / 3, 12);
    expect(actualCapture(labels, 6)).toBe(1);
  });

  it('samples every rank of a small file, from (0, 0) to (1, 1), rising', () => {
    const curve = gainsCurve(ranking, labels, null);
    expect([...curve.shares]).toEqual([0, 1, 2, 3, 4, 5, 6].map((k) => k / 6));
    expect(curve.expected[0]).toBe(0);
    expect(curve.expected[6]).toBeCloseTo(1, 12);
    for (let i = 1; i < 7; i++) expect(curve.expected[i]).toBeGreaterThanOrEqual(curve.expected[i - 1]);
    expect(curve.actual![2]).toBeCloseTo(2 / 3, 12);
    expect(curve.holdout).toBeNull();
  });

  it('samples a large file at a fixed number of ranks and takes the card curve at the same shares', () => {
    const n = 100_001;
    const big = rankScores(Float32Array.from({ length: n }, (_, i) => ((i * 7919) % n) / n));
    const holdout = validationCurve(card as unknown as ModelCard);
    const curve = gainsCurve(big, null, holdout, 200);
    expect(curve.shares).toHaveLength(201);
    expect(curve.actual).toBeNull();
    expect(curve.holdout![100]).toBeCloseTo(atShare(holdout, curve.shares[100]).recall, 12);
    expect(curve.holdout![200]).toBe(1);
    // Uniform scores: the top half holds three quarters of the expected transactions.
    expect(curve.expected[100]).toBeCloseTo(0.75, 3);
  });
});
