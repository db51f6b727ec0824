import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../model-card';
import { renderCardMarkdown } from './card-markdown';

const committed = JSON.parse(readFileSync('models/model-card.json', 'utf8')) as ModelCard;

describe('renderCardMarkdown', () => {
  it('renders the committed card as the committed model-card.md (the CLI writes both)', () => {
    expect(renderCardMarkdown(committed)).toBe(readFileSync('models/model-card.md', 'utf8'));
  });

  it('says when and on which file a browser trained the model', () => {
    const card: ModelCard = {
      ...committed,
      trainedIn: 'browser',
      gitCommit: 'abc1234',
      createdAt: '2026-11-30T10:00:00.000Z',
      data: { ...committed.data, file: 'bank-train.csv' },
    };
    const markdown = renderCardMarkdown(card);
    expect(markdown).toContain(
      '| created | 2026-11-30T10:00:00.000Z, trained in a browser by the app (build abc1234) on `bank-train.csv` |',
    );
    expect(markdown).not.toContain('git abc1234');
  });
});
