/**
 * Drift in the browser: a file drawn from the training distribution in the model card raises no warning; the
 * same file with five features shifted by one standard deviation names exactly those five with the results.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { ModelCard } from '../../src/core/model-card';
import { QUANTILE_LEVELS } from '../../src/core/model-card';
import { FEATURE_NAMES } from '../../src/core/schema';
import { openApp, pickFile, rng } from './helpers';

/** The committed model card, read when a test needs it. */
const card = (): ModelCard =>
  JSON.parse(readFileSync(new URL('../../models/model-card.json', import.meta.url), 'utf8')) as ModelCard;
const SHIFTED = [5, 60, 99, 140, 181];

/** Rows drawn from the card's quantiles (piecewise-linear inverse CDF), 4 decimals; `shift` in stds. */
function drawFromCard(rows: number, seed: number, shift: number[] = []): string {
  const random = rng(seed);
  const features = card().features;
  const quantiles = FEATURE_NAMES.map((name) => features.find((f) => f.name === name)!.quantiles);
  const lines = [['ID_code', ...FEATURE_NAMES].join(',')];
  for (let r = 0; r < rows; r++) {
    const cells = [`drift_${r}`];
    quantiles.forEach((q, j) => {
      const u = random();
      let k = 0;
      while (k < QUANTILE_LEVELS.length - 2 && u > QUANTILE_LEVELS[k + 1]) k++;
      const t = (u - QUANTILE_LEVELS[k]) / (QUANTILE_LEVELS[k + 1] - QUANTILE_LEVELS[k]);
      let x = q[k] + t * (q[k + 1] - q[k]);
      // One standard deviation of a normal spans 2.5631 between its 10% and 90% quantiles.
      if (shift.includes(j))
        x += (q[QUANTILE_LEVELS.indexOf(0.9)] - q[QUANTILE_LEVELS.indexOf(0.1)]) / 2.5631;
      cells.push(x.toFixed(4));
    });
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

test('a file like the training data raises no drift warning', async ({ page }) => {
  await openApp(page);
  await pickFile(page, 'like-training.csv', drawFromCard(3000, 61));
  await expect(page.getByTestId('rows-scored')).toHaveText('3,000');
  await expect(page.getByTestId('drift')).toContainText('No feature differs from the training data');
});

test('five features shifted by one standard deviation are named, and only they', async ({ page }) => {
  await openApp(page);
  await pickFile(page, 'shifted.csv', drawFromCard(3000, 62, SHIFTED));
  await expect(page.getByTestId('rows-scored')).toHaveText('3,000');
  const drift = page.getByTestId('drift');
  await expect(drift).toContainText('5 features differ from the training data');
  const text = (await drift.textContent()) ?? '';
  const named = [...text.matchAll(/\bvar_(\d+)\b/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  expect(named).toEqual(SHIFTED);
});

test('a small file says drift was not checked, and why', async ({ page }) => {
  await openApp(page);
  await pickFile(page, 'tiny.csv', drawFromCard(50, 63));
  await expect(page.getByTestId('rows-scored')).toHaveText('50');
  await expect(page.getByTestId('drift')).toContainText('too few rows to judge drift (50');
});
