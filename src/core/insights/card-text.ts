/**
 * What the model card's figures were measured on, in words for the page: every card figure is labelled with
 * it, so that no holdout figure reads as if it were measured on the user's file.
 */
import type { ModelCard } from '../model-card';

type CardData = Pick<ModelCard, 'data'>;

/** "the model's synthetic holdout" (or "the model's holdout" for a model trained on real rows). */
export function holdoutName(card: CardData): string {
  return card.data.source === 'synthetic' ? 'the model’s synthetic holdout' : 'the model’s holdout';
}

/** The same, for the start of a label: "Model’s synthetic holdout". */
export function holdoutLabel(card: CardData): string {
  const name = holdoutName(card).replace(/^the /, '');
  return name[0].toUpperCase() + name.slice(1);
}

/**
 * One sentence on what the training rows are: the card's own description when it has one, else what its data
 * section says (source, and the generator's kind and shape seed for synthetic rows).
 */
export function trainingDataText(card: CardData): string {
  const { data } = card;
  if (data.description) return /[.!?]$/.test(data.description) ? data.description : `${data.description}.`;
  if (data.source === 'kaggle') return 'Kaggle’s Santander train.csv.';
  if (data.source === 'synthetic') {
    const g = data.generator ?? {};
    const kind = typeof g.kind === 'string' ? g.kind : 'shapes';
    const seed = g.shapeSeed !== undefined ? `, shape seed ${g.shapeSeed}` : '';
    return kind === 'realistic'
      ? 'Synthetic rows drawn from the real train.csv’s published per-class figures.'
      : `Synthetic rows from the project’s generator (${kind} kind${seed}): each feature’s class difference was ` +
          'drawn at random, not taken from real customers.';
  }
  return `Rows from ${data.file}.`;
}
