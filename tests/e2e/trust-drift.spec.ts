/**
 * Drift in the browser: a file drawn from the training distribution in the model card raises no warning; the
 * same file with five features shifted by one standard deviation names exactly those five with the results.
 */
import { expect, test } from '@playwright/test';
import { makeCsv, openApp, pickFile } from './helpers';

const SHIFTED = [5, 60, 99, 140, 181];

test('a file like the training data raises no drift warning', async ({ page }) => {
  await openApp(page);
  await pickFile(page, 'like-training.csv', makeCsv({ rows: 3000, seed: 61, idPrefix: 'drift' }));
  await expect(page.getByTestId('rows-scored')).toHaveText('3,000');
  await expect(page.getByTestId('drift')).toContainText('No feature differs from the training data');
});

test('five features shifted by one standard deviation are named, and only they', async ({ page }) => {
  await openApp(page);
  await pickFile(page, 'shifted.csv', makeCsv({ rows: 3000, seed: 62, idPrefix: 'drift', shift: SHIFTED }));
  await expect(page.getByTestId('rows-scored')).toHaveText('3,000');
  const drift = page.getByTestId('drift');
  await expect(drift).toContainText('5 features differ from the training data');
  const text = (await drift.textContent()) ?? '';
  const named = [...text.matchAll(/\bvar_(\d+)\b/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  expect(named).toEqual(SHIFTED);
});

test('a small file says drift was not checked, and why', async ({ page }) => {
  await openApp(page);
  await pickFile(page, 'tiny.csv', makeCsv({ rows: 50, seed: 63, idPrefix: 'drift' }));
  await expect(page.getByTestId('rows-scored')).toHaveText('50');
  await expect(page.getByTestId('drift')).toContainText('too few rows to judge drift (50');
});
