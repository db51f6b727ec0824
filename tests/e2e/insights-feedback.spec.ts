/**
 * What the results page says back when what the user typed, pasted or searched cannot apply as given: the line
 * box, the pasted row, a customer found by ID_code, labels of one class. Nothing is changed without a word.
 */
import { expect, test } from '@playwright/test';
import { downloadPredictions, makeCsv, openApp, pickFile } from './helpers';
import { builtInCard } from '../fixtures/training-like';
import { flaggedCount, waitForInsights } from './insights-helpers';

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('the line box says when it clamps or cannot read a value, and the score cut it switches to, typed back, flags the same customers', async ({
  page,
}) => {
  await pickFile(page, 'box.csv', makeCsv({ rows: 1500, seed: 61, idPrefix: 'box' }));
  await waitForInsights(page);
  await expect(page.getByTestId('predictions-format')).toContainText('ID_code');
  const box = page.getByTestId('line-value');
  const note = page.getByTestId('line-note');

  await box.fill('150');
  await box.press('Enter');
  await expect(box).toHaveValue('100');
  await expect(note).toHaveText('150 is outside 0-100%: set to 100%.');
  await box.fill('abc');
  await box.press('Enter');
  await expect(box).toHaveValue('100');
  await expect(note).toHaveText('“abc” is not a number: the line stays at 100%.');
  await box.fill('-1');
  await box.press('Enter');
  await expect(page.getByTestId('flagged-count')).toHaveText('0');
  await expect(note).toContainText('set to 0%');
  // Typed back as what it was set to: no change event, but the note about -1 no longer holds.
  await box.fill('0');
  await box.press('Enter');
  await expect(note).toHaveText('');
  await box.fill('-5');
  await box.press('Enter');
  await expect(note).toContainText('-5 is outside');
  await box.fill('12');
  await box.press('Enter');
  await expect(note).toHaveText('');
  await expect(page.getByTestId('flagged-count')).toHaveText('180');

  // Switched to a score cut, the box shows the lowest score contacted rounded down: the same customers, also
  // when what it shows is typed back.
  await page.getByLabel('Everyone at or above a score').check();
  await expect.poll(() => flaggedCount(page)).toBe(180);
  const shown = await box.inputValue();
  await box.fill(shown);
  await box.press('Enter');
  await expect.poll(() => flaggedCount(page)).toBe(180);
  await expect(box).toHaveValue(shown);
});

test('the lowest score contacted is rounded as the list rounds that customer’s score', async ({ page }) => {
  await pickFile(page, 'lowest.csv', makeCsv({ rows: 400, seed: 63, idPrefix: 'low' }));
  await waitForInsights(page);
  const box = page.getByTestId('line-value');
  for (const share of ['1.25', '2', '0.5']) {
    await box.fill(share);
    await box.press('Enter');
    const count = await flaggedCount(page);
    // The last customer contacted, as the ranked list shows them (rank `count`, at the top of the list's view).
    const last = page.locator(`#customer-${count - 1} .num`).first();
    await expect(last).toBeVisible();
    await expect(page.getByTestId('flagged-lowest')).toHaveText(await last.innerText());
  }
});

test('a pasted row: two rows are refused, a cell that is not a number is named, and a 200-field row is told it lacks its ID_code', async ({
  page,
}) => {
  const csv = makeCsv({ rows: 5, seed: 62, idPrefix: 'paste' });
  await pickFile(page, 'paste.csv', csv);
  await waitForInsights(page);
  const [, first, second] = csv.split('\n');
  const panel = page.getByTestId('single-customer');
  const score = page.getByRole('button', { name: 'Score this row' });

  await page.getByTestId('single-row').fill(`${first}\n${second}`);
  await score.click();
  await expect(panel.getByRole('alert')).toContainText('The box holds 2 rows; it explains one customer');
  await expect(page.getByTestId('single-score')).toHaveCount(0);

  const cells = first.split(',');
  cells[6] = 'abc';
  await page.getByTestId('single-row').fill(cells.join(','));
  await score.click();
  await expect(page.getByTestId('single-score')).toBeVisible();
  await expect(page.getByTestId('single-problems')).toContainText('Scored with one cell as missing');
  await expect(page.getByTestId('single-problems')).toContainText('var_5: "abc" is not a number');
  await expect(page.getByTestId('single-customer').getByTestId('outside-training')).toHaveCount(0);

  // Just beyond the training maximum: named, with the edge the model reads it as.
  const { quantiles } = builtInCard.features[3];
  const [min, max] = [quantiles[0], quantiles.at(-1)!];
  const near = first.split(',');
  near[4] = String(Math.round((max + (max - min) / 2) * 100) / 100);
  await page.getByTestId('single-row').fill(near.join(','));
  await score.click();
  await expect(page.getByTestId('single-problems')).toHaveCount(0);
  await expect(page.getByTestId('single-customer').getByTestId('outside-training')).toHaveText(
    new RegExp(`^Outside every training value: var_3 = ${near[4]} \\(training max -?[\\d.]+\\)`),
  );
  // A typing or unit error far beyond it: named too, and scored as the same row with that cell empty.
  const typo = first.split(',');
  typo[4] = '1e9';
  await page.getByTestId('single-row').fill(typo.join(','));
  await score.click();
  await expect(page.getByTestId('single-customer').getByTestId('outside-training')).toHaveText(
    /^Too far outside every training value to be data, so scored as missing: var_3 = 1000000000 \(training max -?[\d.]+\)/,
  );
  const farScore = await page.getByTestId('single-score').innerText();
  typo[4] = '';
  await page.getByTestId('single-row').fill(typo.join(','));
  await score.click();
  await expect(page.getByTestId('single-problems')).toContainText('var_3: empty');
  await expect(page.getByTestId('single-score')).toHaveText(farScore);

  // One field too many (a thousands separator split a cell): refused, not read one column off as train.csv's.
  const split = first.split(',');
  split[3] = '1,234.5';
  await page.getByTestId('single-row').fill(split.join(','));
  await score.click();
  await expect(panel.getByRole('alert')).toContainText('is not a 0 or 1 label');
  await expect(page.getByTestId('single-score')).toHaveCount(0);

  await page.getByTestId('single-row').fill(first.split(',').slice(1).join(','));
  await score.click();
  await expect(panel.getByRole('alert')).toHaveText(
    'The row has 200 fields; expected 201 (ID_code and 200 values). Is its ID_code missing? Or paste the header line above it.',
  );
});

test('a customer found by ID_code is shown with their rank, and the ranked list moves to them', async ({
  page,
}) => {
  await pickFile(page, 'rank.csv', makeCsv({ rows: 3000, seed: 63, idPrefix: 'rank' }));
  await waitForInsights(page);
  const batch = await downloadPredictions(page);
  const order = batch.ids
    .map((id, i) => ({ id, score: batch.scores[i], i }))
    .sort((a, b) => b.score - a.score || a.i - b.i);
  // No row looks chosen before one is.
  await expect(page.locator('[data-testid="customer-list"] [aria-selected="true"]')).toHaveCount(0);
  const wanted = order[1234];
  await page.getByLabel('Find a customer by ID_code').fill(wanted.id);
  await page.getByRole('button', { name: 'Explain' }).click();
  await expect(page.getByTestId('why-id-shown')).toHaveText(wanted.id);
  // Six significant digits in predictions.csv: a tie there may be broken the other way in float32.
  const rank = Number(await page.getByTestId('why-rank').getAttribute('data-value'));
  const sameScore = order.filter((o) => o.score === wanted.score).map((o) => order.indexOf(o) + 1);
  expect(sameScore).toContain(rank);
  await expect(page.getByTestId('why-rank')).toHaveText(`rank ${rank.toLocaleString('en-US')} of 3,000`);
  const selected = page.locator('[data-testid="customer-list"] [aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected.locator('.id')).toHaveText(wanted.id);
  // Scrolled to within the list (the row is clipped by the list's own box when it is not).
  await page.getByTestId('customer-list').scrollIntoViewIfNeeded();
  await expect(selected).toBeInViewport();
  // The keyboard goes on from the customer found: one down and Enter explains the next in the ranking.
  await page.getByTestId('customer-list').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('why-rank')).toHaveAttribute('data-value', String(rank + 2));
  await expect(selected.locator('.id')).toHaveText(order[rank + 1].id);
});

test('labels of one class: no AUC, but the labels counted against the transactions the scores expect', async ({
  page,
}) => {
  const csv = makeCsv({ rows: 400, seed: 64, idPrefix: 'zero', target: true }).replace(
    /^(zero_\d+),1,/gm,
    '$1,0,',
  );
  await pickFile(page, 'zeros.csv', csv);
  await waitForInsights(page);
  await expect(page.getByTestId('no-evaluation')).toBeVisible();
  const expected = await page.getByTestId('expected').innerText();
  await expect(page.getByTestId('labels-tally')).toHaveText(
    `What the labels do say: 400 labelled customers, 0 with a transaction, against ${expected} expected from their scores.`,
  );
  // Training would refuse these labels: the page says so instead of offering a button that fails.
  await expect(page.getByTestId('train-own-refused')).toContainText('All 400 rows have target 0');
  await expect(page.getByRole('button', { name: 'Train a model on this file' })).toHaveCount(0);
});

test('an ID_code on several rows: the first is explained and every row is offered with its rank and score', async ({
  page,
}) => {
  const lines = makeCsv({ rows: 300, seed: 65, idPrefix: 'twice' }).split('\n');
  // Row 200 repeats row 1's ID_code: the file is scored as given, two customers with one id.
  lines[200] = lines[200].replace(/^twice_199,/, 'twice_0,');
  await pickFile(page, 'twice.csv', lines.join('\n'));
  await waitForInsights(page);
  await page.getByLabel('Find a customer by ID_code').fill('twice_0');
  await page.getByRole('button', { name: 'Explain' }).click();
  const repeats = page.getByTestId('why-repeats');
  await expect(repeats).toContainText('ID_code "twice_0" is on 2 rows of this file, each scored as given');
  const buttons = repeats.getByRole('button');
  await expect(buttons).toHaveCount(2);
  await expect(buttons.first()).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('why-id-shown')).toHaveText('twice_0');
  await expect(page.getByTestId('why-customer')).toContainText('(row 1 of the file)');
  await buttons.nth(1).click();
  await expect(page.getByTestId('why-customer')).toContainText('(row 200 of the file)');
  await expect(buttons.nth(1)).toHaveAttribute('aria-pressed', 'true');
  const label = await buttons.nth(1).innerText();
  // The second row's own score and values, not the first's (the slice read back held both rows).
  await expect(page.getByTestId('why-score')).toHaveText(label.split(': ')[1]);
  await expect(page.getByTestId('why-rank')).toHaveText(new RegExp(`^${label.split(':')[0]} of 300$`));
});

test('amounts group thousands with commas: a value of 40,000 is forty thousand, and the sentence says what was read', async ({
  page,
}) => {
  await pickFile(page, 'amounts.csv', makeCsv({ rows: 500, seed: 66, idPrefix: 'amount' }));
  await waitForInsights(page);
  await page.getByTestId('contact-cost').fill('2');
  await page.getByTestId('transaction-value').fill('40,000');
  await expect(page.getByTestId('break-even')).toContainText(
    'Break-even score 0.0050% (cost 2 ÷ value 40,000)',
  );
  await page.getByTestId('transaction-value').fill('40');
  await expect(page.getByTestId('break-even')).toContainText('Break-even score 5.00% (cost 2 ÷ value 40)');
  // One separator and three digits after it: read one way, and the other reading is offered.
  await page.getByTestId('contact-cost').fill('2,500');
  await expect(page.getByTestId('amount-hint')).toHaveText('"2,500" was read as 2,500; for 2.5, type 2.5.');
  await expect(page.getByTestId('break-even')).toContainText(
    'A contact (2,500) costs more than a transaction is worth (40)',
  );
  await page.getByTestId('contact-cost').fill('€2');
  await expect(page.getByTestId('contact-value').getByRole('alert')).toContainText('"€2" is not one');
  // The box at fault says so to a screen reader when it is next focused; the other box does not.
  const cost = page.getByRole('textbox', { name: 'Cost of one contact' });
  await expect(cost).toHaveAttribute('aria-invalid', 'true');
  await expect(cost).toHaveAccessibleDescription(/"€2" is not one/);
  await expect(page.getByTestId('transaction-value')).not.toHaveAttribute('aria-invalid', /.*/);
  await page.getByTestId('contact-cost').fill('2');
  await expect(cost).not.toHaveAttribute('aria-invalid', /.*/);
});

test('an AUC on few customers of one class says so beside it', async ({ page }) => {
  // One customer with a transaction among 300: the AUC is the rank of that one customer.
  const csv = makeCsv({ rows: 300, seed: 67, idPrefix: 'one', target: true })
    .replace(/^(one_\d+),1,/gm, '$1,0,')
    .replace(/^one_7,0,/m, 'one_7,1,');
  await pickFile(page, 'one-positive.csv', csv);
  await waitForInsights(page);
  await expect(page.getByTestId('eval-auc-few')).toHaveText(
    'on only 1 with a transaction: it can move a long way',
  );
});
