import { expect, test, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { downloadPredictions, makeCsv, openApp, pickFile } from './helpers';
import { dataValue, waitForInsights } from './insights-helpers';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Asks "Why this score" for the customer with this ID_code. */
async function explainById(page: Page, id: string): Promise<void> {
  await page.getByLabel('Find a customer by ID_code').fill(id);
  await page.getByRole('button', { name: 'Explain' }).click();
}

/** Sum of the waterfall table's contributions (intercept included) and the log-odds it shows. */
async function waterfallSums(page: Page, scope: string) {
  const table = page.getByTestId(scope).getByTestId('waterfall-table');
  const values = (await table
    .getByTestId('contribution')
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))))) as number[];
  const logOdds = Number(await table.getByTestId('log-odds').getAttribute('data-value'));
  return { sum: values.reduce((a, b) => a + b, 0), logOdds, bars: values.length };
}

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('the waterfall of a top customer and of one found by ID_code sums to the shown log-odds and the batch score', async ({
  page,
}) => {
  const csv = makeCsv({ rows: 1200, seed: 21, idPrefix: 'why' });
  await pickFile(page, 'why.csv', csv);
  await waitForInsights(page);
  const batch = await downloadPredictions(page);
  const scoreOf = (id: string) => batch.scores[batch.ids.indexOf(id)];

  // The list draws only the rows in view: each option still says where it stands among all 1,200.
  const options = page.getByTestId('customer-list').getByRole('option');
  await expect(options.first()).toHaveAttribute('aria-posinset', '1');
  await expect(options.first()).toHaveAttribute('aria-setsize', '1200');
  // A click on the first row of the ranked list: the worker kept this customer's contributions.
  await options.first().click();
  const first = await page.getByTestId('why-id-shown').innerText();
  expect(scoreOf(first)).toBe(Math.max(...batch.scores));
  let w = await waterfallSums(page, 'why-customer');
  expect(w.bars).toBe(17); // start, 15 features, the rest
  expect(Math.abs(w.sum - w.logOdds)).toBeLessThan(1e-9);
  expect(Math.abs(sigmoid(w.logOdds) - scoreOf(first))).toBeLessThan(2e-6);

  // A customer far down the list: read back from a slice of the file (through the worker's line index).
  const order = batch.ids.map((id, i) => [id, batch.scores[i]] as const).sort((a, b) => a[1] - b[1]);
  const low = order[10][0];
  await explainById(page, low);
  await expect(page.getByTestId('why-id-shown')).toHaveText(low);
  w = await waterfallSums(page, 'why-customer');
  expect(Math.abs(w.sum - w.logOdds)).toBeLessThan(1e-9);
  expect(Math.abs(sigmoid(w.logOdds) - scoreOf(low))).toBeLessThan(2e-6);
  const shown = await dataValue(page, 'why-score');
  expect(Number(shown.toPrecision(6))).toBe(scoreOf(low));
  // Values sit somewhere in the training distribution: the percentile column is filled for every feature bar.
  const percentiles = await page.getByTestId('why-customer').getByTestId('percentile').allTextContents();
  expect(percentiles.filter((t) => /^\d+(st|nd|rd|th)$/.test(t))).toHaveLength(15);
  // The top reasons, in the analyst's terms: each with its value, its percentile and its push in points.
  const reasons = await page.getByTestId('why-customer').getByTestId('reason').allInnerTexts();
  expect(reasons.length).toBeGreaterThan(0);
  for (const r of reasons)
    expect(r).toMatch(/var_\d+ = .*percentile of training.*[+−][\d.]+ points to the score/s);

  // The bar of the features not drawn one by one is named in its direction's list of reasons, never left out
  // under "No feature pushes it down".
  for (const id of [first, low]) {
    await explainById(page, id);
    await expect(page.getByTestId('why-id-shown')).toHaveText(id);
    const cells = page.getByTestId('why-customer').getByTestId('contribution');
    const rest = Number(await cells.last().getAttribute('data-value'));
    const direction = rest < 0 ? 'down' : 'up';
    const said = page
      .getByTestId('why-customer')
      .locator(`[data-testid="rest-${direction}"], [data-testid="no-reason-${direction}"]`);
    await expect(said).toContainText(`${rest < 0 ? '−' : '+'}${Math.abs(rest).toFixed(2)} log-odds`);
    await expect(said).toContainText('other features together');
  }

  await explainById(page, 'nobody-here');
  await expect(
    page.getByRole('alert').filter({ hasText: 'No customer with ID_code "nobody-here"' }),
  ).toBeVisible();
  // The customer explained before is gone with it: their explanation is not left under the message.
  await expect(page.getByTestId('why-id-shown')).toHaveCount(0);
});

test('a pasted row and edited values score exactly as the batch scores that row', async ({ page }) => {
  const csv = makeCsv({ rows: 700, seed: 22, idPrefix: 'one', reversed: true });
  await pickFile(page, 'one.csv', csv);
  await waitForInsights(page);
  const lines = csv.trim().split('\n');
  const id = 'one_321';
  const line = lines.find((l) => l.endsWith(`,${id}`))!;

  // The batch's own float32 score of that row, through "Why this score".
  await explainById(page, id);
  await expect(page.getByTestId('why-id-shown')).toHaveText(id);
  const batchScore = await dataValue(page, 'why-score');

  // Pasted without a header: the uploaded file's (reversed) header is used.
  await page.getByTestId('single-row').fill(line);
  await page.getByRole('button', { name: 'Score this row' }).click();
  await expect(page.getByTestId('single-id')).toHaveText(id);
  expect(await dataValue(page, 'single-score')).toBe(batchScore);

  // The same customer's values in the form, unedited, score the same; an edit moves the score.
  await page.getByTestId('single-sample').click();
  await expect(page.getByTestId('single-score')).toHaveText(await page.getByTestId('why-score').innerText());
  expect(await dataValue(page, 'single-score')).toBe(batchScore);
  await page.getByText(`Edit the 200 values of ${id}`).click();
  const input = page.getByLabel('var_81', { exact: true });
  await input.fill('100');
  await expect.poll(() => dataValue(page, 'single-score')).not.toBe(batchScore);
  const w = await waterfallSums(page, 'single-customer');
  expect(Math.abs(w.sum - w.logOdds)).toBeLessThan(1e-9);
  expect(Math.abs(sigmoid(w.logOdds) - (await dataValue(page, 'single-score')))).toBeLessThan(2e-6);
});

test('the ranked list keeps a few rows in the page however long the file, and works from the keyboard', async ({
  page,
}) => {
  const csv = makeCsv({ rows: 5000, seed: 23, idPrefix: 'list' });
  await pickFile(page, 'list.csv', csv);
  await waitForInsights(page);
  const list = page.getByTestId('customer-list');
  const options = list.getByRole('option');
  expect(await options.count()).toBeLessThan(40);

  // Scroll to the very end: the last rank is drawn, still with a handful of rows.
  await list.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
    el.dispatchEvent(new Event('scroll'));
  });
  await expect(list.getByText('5,000', { exact: true })).toBeVisible();
  expect(await options.count()).toBeLessThan(40);

  // Home, two steps down, Enter: the third customer by score is explained.
  await list.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const third = await page.locator('#customer-2 .id').innerText();
  await expect(page.getByTestId('why-id-shown')).toHaveText(third);
  await expect(list).toHaveAttribute('aria-activedescendant', 'customer-2');
});

test('in a .csv.gz file (no slices), a customer outside the top rows is found by streaming it again', async ({
  page,
}) => {
  const csv = makeCsv({ rows: 900, seed: 24, idPrefix: 'gz' });
  await pickFile(page, 'packed.csv.gz', gzipSync(csv));
  await waitForInsights(page);
  const batch = await downloadPredictions(page);
  const low = batch.ids[batch.scores.indexOf(Math.min(...batch.scores))];
  await explainById(page, low);
  await expect(page.getByTestId('why-id-shown')).toHaveText(low);
  const w = await waterfallSums(page, 'why-customer');
  expect(Math.abs(sigmoid(w.logOdds) - batch.scores[batch.ids.indexOf(low)])).toBeLessThan(2e-6);
});

test('a search matches the ID_code exactly, spaces included, and says when only the id without its spaces matched', async ({
  page,
}) => {
  // Two customers whose ids differ only by the spaces around them: ids are kept byte-exact, so both are there.
  const lines = makeCsv({ rows: 400, seed: 23, idPrefix: 'pad' }).trim().split('\n');
  lines[301] = lines[301].replace(/^pad_300,/, ' pad_7 ,');
  await pickFile(page, 'padded.csv', `${lines.join('\n')}\n`);
  await waitForInsights(page);
  const shown = page.getByTestId('why-customer');

  await explainById(page, ' pad_7 ');
  await expect(page.getByTestId('why-id-shown')).toHaveText(' pad_7 ', { useInnerText: false });
  await expect(shown).toContainText('(row 301 of the file)');
  await expect(page.getByTestId('why-trimmed')).toHaveCount(0);

  await explainById(page, 'pad_7');
  await expect(shown).toContainText('(row 8 of the file)');
  await expect(page.getByTestId('why-trimmed')).toHaveCount(0);

  // Only the id without the spaces typed around it is in the file: found, and said so.
  await explainById(page, '  pad_9 ');
  await expect(shown).toContainText('(row 10 of the file)');
  await expect(page.getByTestId('why-trimmed')).toHaveText(
    'No ID_code is exactly "  pad_9 "; this is "pad_9", the same without the spaces around it.',
  );
  // As it reads on screen: the two spaces typed are not collapsed into one.
  expect(await page.getByTestId('why-trimmed').evaluate((e) => (e as HTMLElement).innerText)).toContain(
    'exactly "  pad_9 "',
  );
  await explainById(page, 'pad_9');
  await expect(shown).toContainText('(row 10 of the file)');
  await expect(page.getByTestId('why-trimmed')).toHaveCount(0);
});

test('an emptied value in the edit form is scored as missing and said so, with no console noise', async ({
  page,
}) => {
  const noise: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') noise.push(m.text());
  });
  const csv = makeCsv({ rows: 300, seed: 24, idPrefix: 'edit' });
  await pickFile(page, 'edit.csv', csv);
  await waitForInsights(page);
  await page.getByTestId('single-sample').click();
  await expect(page.getByTestId('single-score')).toBeVisible();
  const before = await dataValue(page, 'single-score');
  await page.getByText(/^Edit the 200 values of /).click();
  const input = page.getByLabel('var_81', { exact: true });
  await input.fill('100');
  await expect.poll(() => dataValue(page, 'single-score')).not.toBe(before);

  // Emptied: missing, which is the neutral contribution: the bar of var_81 is gone from the waterfall.
  await input.fill('');
  const note = page.getByTestId('single-missing');
  await expect(note).toHaveText(
    'var_81 is empty: scored as missing, which gives the neutral contribution (an average customer on that feature).',
  );
  await expect(input).toHaveValue('');
  const table = page.getByTestId('single-customer').getByTestId('waterfall-table');
  await expect(table.getByRole('row', { name: /var_81/ })).toHaveCount(0);
  await page.getByLabel('var_82', { exact: true }).fill('');
  await expect(note).toContainText('var_81 and var_82 are empty: scored as missing');
  // Typed again, the note goes.
  await input.fill('3');
  await page.getByLabel('var_82', { exact: true }).fill('1');
  await expect(note).toHaveCount(0);
  expect(noise).toEqual([]);
});
