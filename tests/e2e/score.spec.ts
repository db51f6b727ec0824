import { expect, test } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { auc } from '../../src/core/metrics';
import {
  downloadPredictions,
  expectProbabilities,
  makeCsv,
  openApp,
  pickFile,
  pickLargeCsv,
  readDownload,
} from './helpers';

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('a picked file is scored and predictions.csv has the header, every row and probabilities', async ({
  page,
}) => {
  const csv = makeCsv({ rows: 1500, seed: 3, reversed: true, extra: true });
  await pickFile(page, 'customers.csv', csv);
  await expect(page.getByTestId('rows-scored')).toHaveText('1,500');
  await expect(page.getByText('Ignored 1 column the model does not use: note')).toBeVisible();
  const p = await downloadPredictions(page);
  expect(p.header).toBe('ID_code,target');
  expect(p.ids).toEqual(Array.from({ length: 1500 }, (_, i) => `test_${i}`));
  expectProbabilities(p.scores);
  // The summary's expected count is the sum of the downloaded probabilities.
  const expected = p.scores.reduce((a, b) => a + b, 0);
  const shown = Number((await page.getByTestId('expected').innerText()).replaceAll(',', ''));
  expect(Math.abs(shown - expected)).toBeLessThan(0.1);
  // The median tile is the downloaded scores' median, to the three significant digits shown.
  const sorted = [...p.scores].sort((a, b) => a - b);
  const median = (sorted[749] + sorted[750]) / 2;
  const medianShown = Number((await page.getByTestId('median-score').innerText()).replace('%', '')) / 100;
  expect(Math.abs(medianShown - median) / median).toBeLessThan(0.01);
  await expect(page.getByTestId('upper-percentiles')).toContainText('90th percentile');
});

test('a label column named Target is pointed out where the evaluation would be; an AUC on few labels is cautioned', async ({
  page,
}) => {
  const csv = makeCsv({ rows: 120, seed: 5, target: true }).replace('ID_code,target,', 'ID_code,Target,');
  await pickFile(page, 'Target.csv', csv);
  await expect(page.getByTestId('rows-scored')).toHaveText('120');
  await expect(page.getByText(/No column is named target, so the scores were not checked/)).toBeVisible();
  await expect(page.getByTestId('no-evaluation')).toContainText('its Target column is not read as labels');
  await expect(page.getByTestId('auc')).toHaveCount(0);

  // The same rows with the column named target: evaluated, on about 12 positives, so the AUC is cautioned.
  await pickFile(page, 'target.csv', makeCsv({ rows: 120, seed: 5, target: true }));
  await expect(page.getByTestId('auc')).toBeVisible();
  await expect(page.getByTestId('auc-few-labels')).toContainText(
    'of them made a transaction: an AUC on fewer than 20 customers of one kind',
  );
  // 1,500 labelled rows (about 150 positives): no caution.
  await pickFile(page, 'many.csv', makeCsv({ rows: 1500, seed: 6, target: true }));
  await expect(page.getByTestId('rows-scored')).toHaveText('1,500');
  await expect(page.getByTestId('auc')).toBeVisible();
  await expect(page.getByTestId('auc-few-labels')).toHaveCount(0);
});

test('a labelled file with a bad target is not offered for training, and says why; a clean one is', async ({
  page,
}) => {
  const clean = makeCsv({ rows: 200, seed: 7, target: true });
  const lines = clean.split('\n');
  lines[3] = lines[3].replace(/^([^,]*),[^,]*,/, '$1,0.99999999,');
  await pickFile(page, 'near-labels.csv', lines.join('\n'));
  await expect(page.getByTestId('rows-scored')).toHaveText('200');
  const own = page.locator('#train-own');
  await expect(own.getByTestId('train-own-refused')).toContainText('1 problem stands in the way');
  await expect(own.getByRole('button', { name: 'Train a model on this file' })).toHaveCount(0);
  await pickFile(page, 'clean.csv', clean);
  await expect(page.getByRole('heading', { name: 'Results for clean.csv' })).toBeVisible();
  await expect(own.getByRole('button', { name: 'Train a model on this file' })).toBeVisible();
  await expect(own.getByTestId('train-own-refused')).toHaveCount(0);
});

test('a file dropped anywhere on the page is scored', async ({ page }) => {
  const csv = makeCsv({ rows: 300, seed: 4, idPrefix: 'dropped' });
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(
        new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
      );
    }
  }, csv);
  await expect(page.getByRole('heading', { name: 'Results for dropped.csv' })).toBeVisible();
  await expect(page.getByTestId('rows-scored')).toHaveText('300');
  const p = await downloadPredictions(page);
  expect(p.ids[0]).toBe('dropped_0');
  expect(p.ids).toHaveLength(300);
});

test('the sample scores with one click, and both samples can be downloaded', async ({ page }) => {
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await expect(page.getByRole('heading', { name: 'Results for sample.csv' })).toBeVisible();
  await expect(page.getByTestId('rows-scored')).toHaveText('500');
  for (const [name, header] of [
    ['sample.csv', 'ID_code,var_0,'],
    ['sample-train.csv', 'ID_code,target,var_0,'],
  ]) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('region', { name: 'Choose a file' }).locator(`a[download="${name}"]`).click(),
    ]);
    expect(download.suggestedFilename()).toBe(name);
    const text = await readDownload(download);
    expect(text.startsWith(header)).toBe(true);
    expect(text.trim().split('\n')).toHaveLength(501);
  }
});

test('a gzip-compressed .csv.gz is decompressed and scored like the plain file', async ({ page }) => {
  const csv = makeCsv({ rows: 800, seed: 5 });
  await pickFile(page, 'plain.csv', csv);
  await expect(page.getByTestId('rows-scored')).toHaveText('800');
  const plain = await downloadPredictions(page);
  await pickFile(page, 'packed.csv.gz', gzipSync(csv));
  await expect(page.getByRole('heading', { name: 'Results for packed.csv.gz' })).toBeVisible();
  await expect(page.getByText('The file was gzip-compressed')).toBeVisible();
  const packed = await downloadPredictions(page);
  expect(packed).toEqual(plain);
});

test('a labelled file shows the AUC on its own labels', async ({ page }) => {
  const csv = makeCsv({ rows: 2000, seed: 6, target: true, idPrefix: 'train' });
  await pickFile(page, 'labelled.csv', csv);
  const shown = Number(await page.getByTestId('auc').innerText());
  const p = await downloadPredictions(page);
  const labels = new Float32Array(
    csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[1])),
  );
  // Downloaded scores carry 6 significant digits: enough for the AUC to 4 decimals.
  expect(shown).toBeCloseTo(auc(new Float32Array(p.scores), labels), 3);
});

test('several files dropped at once: the first is scored and the page names the ones it did not score', async ({
  page,
}) => {
  const csvs = [1, 2, 3].map((k) => makeCsv({ rows: 50 + k, seed: 20 + k, idPrefix: `f${k}` }));
  await page.evaluate((texts) => {
    const data = new DataTransfer();
    texts.forEach((text, k) => data.items.add(new File([text], `part${k + 1}.csv`, { type: 'text/csv' })));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(
        new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
      );
    }
  }, csvs);
  await expect(page.getByRole('heading', { name: 'Results for part1.csv' })).toBeVisible();
  await expect(page.getByTestId('rows-scored')).toHaveText('51');
  await expect(page.getByTestId('scoring-notice')).toHaveText(
    'Only one file is scored at a time: part2.csv, part3.csv were not scored; drop them after this one.',
  );
  // The next file clears the note: it was about the last drop.
  await pickFile(page, 'next.csv', makeCsv({ rows: 20, seed: 30 }));
  await expect(page.getByTestId('rows-scored')).toHaveText('20');
  await expect(page.getByTestId('scoring-notice')).toHaveCount(0);
});

test('a file picked while another is scoring replaces it, and the page says so', async ({ page }) => {
  await pickLargeCsv(page, 'big.csv', makeCsv({ rows: 1000, seed: 7 }), 300);
  await expect(page.getByTestId('progress-rows')).not.toHaveText('0 rows');
  await pickFile(page, 'small.csv', makeCsv({ rows: 40, seed: 31 }));
  await expect(page.getByRole('heading', { name: 'Results for small.csv' })).toBeVisible();
  await expect(page.getByTestId('rows-scored')).toHaveText('40');
  await expect(page.getByTestId('scoring-notice')).toHaveText(
    'Stopped scoring big.csv to score small.csv instead.',
  );
  const p = await downloadPredictions(page);
  expect(p.ids).toHaveLength(40);
});

test('cancel stops a large file at once, and the next file scores', async ({ page }) => {
  // 300,000 rows built in the page from one repeated block: a large File without a large upload.
  await pickLargeCsv(page, 'big.csv', makeCsv({ rows: 1000, seed: 7 }), 300);
  await expect(page.getByTestId('progress-rows')).toBeVisible();
  await expect(page.getByTestId('progress-rows')).not.toHaveText('0 rows');
  // A screen reader hears the file and each quarter read, in the live region; the racing figures are hidden.
  const progress = page.locator('section.progress');
  await expect(progress).toHaveAttribute('aria-live', 'polite');
  await expect(progress).not.toHaveAttribute('aria-busy', /.*/);
  await expect(page.getByTestId('progress-spoken')).toHaveText(/^Scoring big\.csv(: (25|50|75)% read)?$/);
  await expect(page.getByTestId('progress-rows').locator('xpath=..')).toHaveAttribute('aria-hidden', 'true');
  await page.getByRole('button', { name: 'Cancel' }).press('Enter');
  await expect(page.getByText('Stopped scoring big.csv.')).toBeVisible();
  // The button went with the card: focus is on the file picker, not lost.
  await expect(page.locator('#file-input')).toBeFocused();
  await expect(page.getByTestId('progress-rows')).toHaveCount(0);
  await expect(page.getByTestId('download')).toHaveCount(0);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-ready', 'true');

  await pickFile(page, 'after.csv', makeCsv({ rows: 200, seed: 8 }));
  await expect(page.getByTestId('rows-scored')).toHaveText('200');
  const p = await downloadPredictions(page);
  expect(p.ids).toHaveLength(200);
});

test('a refused file shows an alert, and the app still scores the next file', async ({ page }) => {
  await pickFile(page, 'broken.csv', 'ID_code,var_0\na,1\n');
  await expect(page.getByRole('alert')).toContainText('broken.csv');
  await expect(page.getByRole('alert')).toContainText('var_1');
  await pickFile(page, 'good.csv', makeCsv({ rows: 100, seed: 9 }));
  await expect(page.getByTestId('rows-scored')).toHaveText('100');
  await expect(page.getByTestId('error-alert')).toHaveText('');
});

test('no request leaves the page origin while loading and scoring', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('worker', (worker) => requests.push(worker.url()));
  await openApp(page);
  await pickFile(page, 'private.csv', makeCsv({ rows: 500, seed: 10 }));
  await expect(page.getByTestId('rows-scored')).toHaveText('500');
  await downloadPredictions(page);
  expect(requests.length).toBeGreaterThan(3);
  const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(blob|data):/.test(url));
  expect(foreign).toEqual([]);
});
