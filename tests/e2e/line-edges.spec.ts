/**
 * The decision tool at its edges, as a break-it session found them: customers with the same score on both sides
 * of the line, typing back the score the box shows, decimal commas and junk typed into the box, and labels that
 * cannot evaluate (one class only) or leave flagged customers out of the confusion table.
 */
import { expect, test, type Page } from '@playwright/test';
import { makeCsv, openApp, pickFile, readDownload } from './helpers';
import { flaggedCount, waitForInsights } from './insights-helpers';

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

/** A file of `rows` rows whose rows in `same` carry the features of the first of them (so the same score). */
function withTies(rows: number, same: number[], options: { target?: (row: number) => string } = {}): string {
  const [head, ...lines] = makeCsv({ rows, seed: 41, idPrefix: 'tie' }).trim().split('\n');
  const features = (line: string) => line.slice(line.indexOf(',') + 1);
  const copied = features(lines[same[0]]);
  const out = lines.map((line, i) => {
    const id = line.slice(0, line.indexOf(','));
    const body = same.includes(i) ? copied : features(line);
    return options.target ? `${id},${options.target(i)},${body}` : `${id},${body}`;
  });
  const header = options.target ? head.replace('ID_code,', 'ID_code,target,') : head;
  return `${[header, ...out].join('\n')}\n`;
}

async function typeLine(page: Page, text: string) {
  await page.getByTestId('line-value').fill(text);
  await page.getByTestId('line-value').press('Enter');
}

async function flaggedIds(page: Page): Promise<string[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-flagged').click(),
  ]);
  return (await readDownload(download))
    .trim()
    .split('\n')
    .slice(1)
    .filter((l) => l.endsWith(',1'))
    .map((l) => l.split(',')[0]);
}

test('switching mode and straight back keeps the customers flagged, also when ties straddle the line', async ({
  page,
}) => {
  await pickFile(page, 'ties.csv', withTies(20, [2, 5, 9, 13, 17]));
  await waitForInsights(page);
  // Find a share whose line cuts through the five tied customers: some of them flagged, some not.
  let cut = 0;
  for (let k = 1; k <= 20 && cut === 0; k++) {
    await typeLine(page, String(k * 5));
    const left = page.getByTestId('ties-left');
    if ((await left.count()) > 0) cut = k * 5;
  }
  expect(cut, 'a share that cuts through the tied customers').toBeGreaterThan(0);
  await expect(page.getByTestId('ties-left')).toContainText('more with this score not contacted');
  const count = await flaggedCount(page);
  const before = await flaggedIds(page);

  await page.getByLabel('Everyone at or above a score').check();
  // A score cut takes every customer with the lowest flagged score: more than the share did.
  expect(await flaggedCount(page)).toBeGreaterThan(count);
  await expect(page.getByTestId('ties-left')).toHaveCount(0);

  await page.getByLabel('Top share of customers').check();
  await expect(page.getByTestId('line-value')).toHaveValue(String(cut));
  expect(await flaggedCount(page)).toBe(count);
  expect(await flaggedIds(page)).toEqual(before);
});

test('typing back the score the box shows flags the same customers', async ({ page }) => {
  await pickFile(page, 'cut.csv', makeCsv({ rows: 500, seed: 43, idPrefix: 'cut' }));
  await waitForInsights(page);
  for (const share of ['1', '5', '10']) {
    await page.getByLabel('Top share of customers').check();
    await typeLine(page, share);
    const count = await flaggedCount(page);
    await page.getByLabel('Everyone at or above a score').check();
    expect(await flaggedCount(page)).toBe(count);
    const shown = await page.getByTestId('line-value').inputValue();
    await typeLine(page, '50');
    await typeLine(page, shown);
    expect(await flaggedCount(page), `share ${share}%, score box ${shown}`).toBe(count);
  }
});

test('the box reads a decimal comma, and ignores what is not a number', async ({ page }) => {
  await pickFile(page, 'typed.csv', makeCsv({ rows: 400, seed: 44, idPrefix: 'typed' }));
  await waitForInsights(page);
  await typeLine(page, '12,5');
  await expect(page.getByTestId('flagged-count')).toHaveText('50');
  await expect(page.getByTestId('line-value')).toHaveValue('12.5');
  for (const junk of ['abc', '', '1,234.5']) {
    await typeLine(page, junk);
    await expect(page.getByTestId('line-value')).toHaveValue('12.5');
    await expect(page.getByTestId('flagged-count')).toHaveText('50');
  }
  // A share too small for three decimals still flags the best customer, and the box does not say 0.
  await typeLine(page, '0.0001');
  await expect(page.getByTestId('flagged-count')).toHaveText('1');
  await expect(page.getByTestId('line-value')).toHaveValue('0.0001');
});

test('labels of one class only are named as such, and flagged customers without a label are named in the caption', async ({
  page,
}) => {
  await pickFile(page, 'all0.csv', withTies(30, [0], { target: () => '0' }));
  await waitForInsights(page);
  await expect(page.getByTestId('no-evaluation')).toContainText('its labels are not both 0 and 1');
  await expect(page.getByTestId('quality')).not.toContainText('Your file has no target column');

  // Ten labels: rows 0-9 transact; the other rows' targets are "yes" (not 0 or 1).
  await pickFile(page, 'yes.csv', withTies(40, [0], { target: (i) => (i < 10 ? String(i % 2) : 'yes') }));
  await waitForInsights(page);
  await typeLine(page, '100');
  const caption = page.getByTestId('confusion-caption');
  await expect(caption).toContainText('of the 10 contacted customers with a label transacted');
  await expect(caption).toContainText('30 of the 40 contacted have no 0 or 1 label');
  await typeLine(page, '0');
  await expect(caption).toContainText('nobody is contacted');
  await expect(caption).not.toContainText('of those contacted');
});

test('an empty target column is said to be empty: the file is scored but not evaluated', async ({ page }) => {
  await pickFile(page, 'empty-target.csv', withTies(30, [0], { target: () => '' }));
  await waitForInsights(page);
  await expect(page.getByTestId('no-evaluation')).toContainText(
    'target column is empty, so the file is scored but not evaluated',
  );
  const issues = page.getByTestId('row-issues');
  await expect(issues).toContainText('The target column is empty: the file is scored but not evaluated');
  await expect(issues).not.toContainText('not 0 or 1');
  await expect(page.getByTestId('quality')).not.toContainText('not both 0 and 1');
});

test('yes/no targets are named, with the first one’s row, and the page says to recode them as 1/0', async ({
  page,
}) => {
  await pickFile(page, 'yes-no.csv', withTies(30, [0], { target: (i) => (i % 4 === 2 ? 'Yes' : 'No') }));
  await waitForInsights(page);
  const recode = 'target holds Yes/No, not 1/0 (first: row 1, "No"); recode it as 1/0';
  await expect(page.getByTestId('no-evaluation')).toContainText(recode);
  await expect(page.getByTestId('row-issues')).toContainText(recode);
  await expect(page.getByTestId('row-issues')).not.toContainText('not 0 or 1');
});
