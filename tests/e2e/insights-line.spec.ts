import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { auc } from '../../src/core/metrics';
import { makeCsv, openApp, pickFile, readDownload } from './helpers';
import { dataValue, flaggedCount, referenceScores, waitForInsights } from './insights-helpers';

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

/** Downloads the flagged predictions and parses ID_code, target, flagged. */
async function downloadFlagged(page: import('@playwright/test').Page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-flagged').click(),
  ]);
  const lines = (await readDownload(download)).split('\n');
  expect(lines[0]).toBe('ID_code,target,flagged');
  expect(lines.at(-1)).toBe('');
  return lines.slice(1, -1).map((l) => {
    const [id, score, flagged] = l.split(',');
    return { id, score: Number(score), flagged: Number(flagged) };
  });
}

test('the line control counts match the downloaded flagged column, by share and by score', async ({
  page,
}) => {
  const csv = makeCsv({ rows: 2000, seed: 31, idPrefix: 'line' });
  await pickFile(page, 'line.csv', csv);
  await waitForInsights(page);

  await page.getByTestId('line-value').fill('12.5');
  await page.getByTestId('line-value').press('Enter');
  await expect(page.getByTestId('flagged-count')).toHaveText('250');
  let rows = await downloadFlagged(page);
  expect(rows).toHaveLength(2000);
  expect(rows.filter((r) => r.flagged === 1)).toHaveLength(250);
  const lowestFlagged = Math.min(...rows.filter((r) => r.flagged).map((r) => r.score));
  const highestOther = Math.max(...rows.filter((r) => !r.flagged).map((r) => r.score));
  expect(lowestFlagged).toBeGreaterThanOrEqual(highestOther);

  await page.getByLabel('Everyone at or above a score').check();
  await page.getByTestId('line-value').fill('5');
  await page.getByTestId('line-value').press('Enter');
  const count = await flaggedCount(page);
  rows = await downloadFlagged(page);
  expect(rows.filter((r) => r.flagged === 1)).toHaveLength(count);
  // Six significant digits in the file: every flagged score is at least 5%, every other one below it.
  expect(rows.every((r) => (r.flagged ? r.score >= 0.05 - 5e-7 : r.score < 0.05 + 5e-7))).toBe(true);
  expect(count).toBe(rows.filter((r) => r.score >= 0.05).length);

  // The slider moves the same line.
  await page.getByTestId('line-slider').fill('90');
  await expect.poll(() => flaggedCount(page)).toBe(rows.filter((r) => r.score >= 0.9).length);
  await expect(page.getByTestId('expected-precision')).toContainText('%');
});

test('a small file: the default top share flags its best customer, and a line that flags nobody says so', async ({
  page,
}) => {
  // 4 customers: 10% of them is 0.4, which once rounded to nobody (and the holdout sentence then spoke of "those
  // contacted").
  await pickFile(page, 'four.csv', makeCsv({ rows: 4, seed: 5, idPrefix: 'four' }));
  await waitForInsights(page);
  await expect(page.getByTestId('line-value')).toHaveValue('10');
  await expect(page.getByTestId('flagged-count')).toHaveText('1');
  await expect(page.getByTestId('expected-precision')).toContainText('%');
  let rows = await downloadFlagged(page);
  expect(rows.filter((r) => r.flagged === 1)).toHaveLength(1);
  expect(rows.find((r) => r.flagged === 1)!.score).toBe(Math.max(...rows.map((r) => r.score)));

  await page.getByTestId('line-value').fill('0');
  await page.getByTestId('line-value').press('Enter');
  await expect(page.getByTestId('flagged-count')).toHaveText('0');
  await expect(page.getByTestId('holdout-at-line')).toContainText('Nobody is contacted at this line');
  await expect(page.getByTestId('expected-precision')).toHaveCount(0);
  rows = await downloadFlagged(page);
  expect(rows.filter((r) => r.flagged === 1)).toHaveLength(0);

  // Beyond 100%: everyone, and the box says what applies, also when the line was at 100% already.
  for (const typed of ['150', '150']) {
    await page.getByTestId('line-value').fill(typed);
    await page.getByTestId('line-value').press('Enter');
    await expect(page.getByTestId('flagged-count')).toHaveText('4');
    await expect(page.getByTestId('line-value')).toHaveValue('100');
  }
});

test('evaluation mode: AUC equals the reference model computed in Node, and the confusion table follows the line', async ({
  page,
}) => {
  const csv = readFileSync(new URL('../../static/sample-train.csv', import.meta.url), 'utf8');
  const reference = referenceScores(csv);
  const expected = auc(reference.probabilities, reference.targets!);
  await pickFile(page, 'labelled.csv', csv);
  await waitForInsights(page);
  await expect(page.getByTestId('eval-auc')).toBeVisible();
  expect(Math.abs((await dataValue(page, 'eval-auc')) - expected)).toBeLessThan(1e-6);

  await page.getByTestId('line-value').fill('10');
  await page.getByTestId('line-value').press('Enter');
  await expect(page.getByTestId('flagged-count')).toHaveText('50');
  // The reference ranking's top 50 (ties: earlier row) against the labels.
  const order = [...reference.probabilities.keys()].sort(
    (a, b) => reference.probabilities[b] - reference.probabilities[a] || a - b,
  );
  const top = new Set(order.slice(0, 50));
  const t = reference.targets!;
  const tp = [...top].filter((i) => t[i] === 1).length;
  const positives = t.reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('tp')).toHaveText(String(tp));
  await expect(page.getByTestId('fp')).toHaveText(String(50 - tp));
  await expect(page.getByTestId('fn')).toHaveText(String(positives - tp));
  await expect(page.getByTestId('tn')).toHaveText(String(t.length - positives - (50 - tp)));
});
