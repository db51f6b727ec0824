import { describe, expect, it } from 'vitest';
import card from '../../../models/model-card.json';
import type { ModelCard } from '../model-card';
import {
  atShare,
  atThreshold,
  histogramShareAbove,
  shareAtThreshold,
  validationCurve,
} from './holdout-figures';

const curve = validationCurve(card as unknown as ModelCard);

describe('validation curve from the model card', () => {
  it('returns the threshold table rows at their own shares', () => {
    for (const row of card.charts.thresholds) {
      const v = atShare(curve, row.share);
      expect(v.recall).toBeCloseTo(row.recall, 3);
      expect(v.precision).toBeCloseTo(row.precision, 2);
    }
  });

  it('spans 0..1: everyone flagged captures all transactions at the base rate', () => {
    const all = atShare(curve, 1);
    expect(all.recall).toBe(1);
    expect(all.precision).toBeCloseTo(card.metrics.holdout.positives / card.metrics.holdout.rows, 10);
    expect(atShare(curve, 0).recall).toBe(0);
    expect(atShare(curve, 0).precision).toBeGreaterThan(0.9);
  });

  it('recall rises and precision falls with the share', () => {
    let last = atShare(curve, 0.001);
    for (let s = 0.01; s <= 1; s += 0.01) {
      const v = atShare(curve, s);
      expect(v.recall).toBeGreaterThanOrEqual(last.recall - 1e-12);
      expect(v.precision).toBeLessThanOrEqual(last.precision + 0.02);
      last = v;
    }
  });

  it('maps a table threshold to its share, and thresholds outside the table through the histogram', () => {
    for (const row of card.charts.thresholds)
      expect(shareAtThreshold(curve, row.threshold)).toBeCloseTo(row.share, 9);
    expect(atThreshold(curve, card.charts.thresholds[4].threshold).recall).toBeCloseTo(
      card.charts.thresholds[4].recall,
      3,
    );
    const low = shareAtThreshold(curve, 0.01);
    expect(low).toBeGreaterThan(0.5);
    expect(low).toBeLessThan(1);
    expect(shareAtThreshold(curve, 0)).toBe(1);
  });

  it('spreads a histogram bin evenly over its width', () => {
    const h = { edges: [0, 0.5, 1], counts: [6, 2] };
    expect(histogramShareAbove(h, 0)).toBe(1);
    expect(histogramShareAbove(h, 0.75)).toBeCloseTo(1 / 8, 12);
    expect(histogramShareAbove(h, 0.25)).toBeCloseTo(5 / 8, 12);
    expect(histogramShareAbove(h, 1)).toBe(0);
  });
});
