/** Words for a model in the page: where it comes from and how good it is, from its card. */
import type { ModelCard } from '../../core/model-card';
import type { SavedModel } from './model-store';

/** "30 Nov 2026" in the reader's locale (a date only: the time adds nothing here). */
function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Where a card's model comes from: "trained in this browser on train.csv, 30 Nov 2026". */
export function modelOrigin(card: ModelCard, saved: SavedModel | null): string {
  const when = formatDate(card.createdAt);
  if (card.trainedIn === 'browser') {
    const where = saved?.origin === 'trained' ? 'this browser' : 'a browser';
    return `trained in ${where} on ${card.data.file}, ${when}`;
  }
  const fromFile = saved?.origin === 'file' ? `, loaded from ${saved.fileName}` : '';
  return `trained with npm run train on ${card.data.file} (${card.data.source} data), ${when}${fromFile}`;
}

/** "holdout AUC 0.9088 on 40,000 rows". */
export function modelQuality(card: ModelCard): string {
  const h = card.metrics.holdout;
  return `holdout AUC ${h.auc.toFixed(4)} on ${h.rows.toLocaleString('en-US')} rows`;
}
