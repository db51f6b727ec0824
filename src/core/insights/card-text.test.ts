import { describe, expect, it } from 'vitest';
import { holdoutLabel, holdoutName, trainingDataText } from './card-text';

const base = { file: 'train.csv', sha256: '', rows: 10, positives: 1 };

describe('card text', () => {
  it('names a synthetic holdout as such', () => {
    const card = { data: { ...base, source: 'synthetic' as const } };
    expect(holdoutName(card)).toBe('the model’s synthetic holdout');
    expect(holdoutLabel(card)).toBe('Model’s synthetic holdout');
    expect(holdoutName({ data: { ...base, source: 'kaggle' as const } })).toBe('the model’s holdout');
  });

  it('prefers the card’s own description, else says what the generator was', () => {
    const shapes = { ...base, source: 'synthetic' as const, generator: { shapeSeed: 1 } };
    expect(trainingDataText({ data: shapes })).toContain('shapes kind, shape seed 1');
    expect(trainingDataText({ data: { ...shapes, generator: { kind: 'realistic' } } })).toContain(
      'published per-class figures',
    );
    expect(trainingDataText({ data: { ...shapes, description: 'Exactly these rows.' } })).toBe(
      'Exactly these rows.',
    );
    // A description written as a phrase still reads as a sentence before the page's row counts.
    expect(trainingDataText({ data: { ...shapes, description: '200 rows of x.csv' } })).toBe(
      '200 rows of x.csv.',
    );
  });
});
