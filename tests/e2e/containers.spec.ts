/**
 * The file kinds analysts really have, in the app: Kaggle's archive (the member chooser, by keyboard), Parquet
 * (snappy from hyparquet-writer, zstd from DuckDB) and UTF-16 text give the same predictions.csv as the plain CSV
 * of the same table, and a customer outside the top 100 is explained from the archive member or the Parquet row.
 */
import { expect, test, type Page } from '@playwright/test';
import { parquetOfCsv, utf16Of } from '../fixtures/containers';
import { duckdbParquet } from '../fixtures/duckdb-parquet';
import { zipSync } from '../fixtures/zip-sync';
import { downloadPredictions, makeCsv, openApp, pickFile } from './helpers';

const test400 = makeCsv({ rows: 400, seed: 31 });
const train300 = makeCsv({ rows: 300, seed: 32, target: true, idPrefix: 'train' });

async function scoresOf(page: Page, name: string): Promise<string[]> {
  await expect(page.getByRole('heading', { name: `Results for ${name}` })).toBeVisible();
  const p = await downloadPredictions(page);
  return p.ids.map((id, i) => `${id},${p.scores[i]}`);
}

/** The same ids in the same order, and every score within 1e-6. */
function expectSameScores(got: string[], want: string[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((line, i) => {
    const [id, score] = line.split(',');
    const [wantId, wantScore] = want[i].split(',');
    expect(id).toBe(wantId);
    expect(Math.abs(Number(score) - Number(wantScore))).toBeLessThanOrEqual(1e-6);
  });
}

/** The batch score of a customer far down the ranking (outside the top 100 the page keeps). */
function lowCustomer(lines: string[]): { id: string; score: number } {
  const sorted = lines.map((l) => l.split(',')).sort((a, b) => Number(a[1]) - Number(b[1]));
  return { id: sorted[5][0], score: Number(sorted[5][1]) };
}

async function explainMatches(page: Page, customer: { id: string; score: number }): Promise<void> {
  await page.getByLabel('Find a customer by ID_code').fill(customer.id);
  await page.getByRole('button', { name: 'Explain' }).click();
  await expect(page.getByTestId('why-id-shown')).toHaveText(customer.id);
  const shown = Number(await page.getByTestId('why-score').first().getAttribute('data-value'));
  expect(Math.abs(shown - customer.score)).toBeLessThanOrEqual(1e-6);
}

test("Kaggle's archive: the chooser offers test.csv first, by keyboard, with the plain file's predictions", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await openApp(page);
  await pickFile(page, 'test.csv', test400);
  const plain = await scoresOf(page, 'test.csv');
  // A plain CSV starts no inflating worker.
  expect(workers.filter((url) => url.includes('unzip-worker'))).toEqual([]);

  const archive = zipSync([
    { name: 'sample_submission.csv', data: 'ID_code,target\ntest_0,0\n' },
    { name: 'train.csv', data: train300 },
    { name: 'test.csv', data: test400 },
    { name: 'README.md', data: '# data' },
  ]);
  await pickFile(page, 'santander-customer-transaction-prediction.zip', archive);
  const chooser = page.getByTestId('member-chooser');
  await expect(chooser.getByRole('heading')).toHaveText(
    'santander-customer-transaction-prediction.zip holds 3 tables: which one should be scored?',
  );
  await expect(chooser.locator('.member')).toHaveText([
    /^test\.csv.*kB.*customers to score$/,
    /^train\.csv.*kB.*scored, and the model evaluated on those labels$/,
    /^sample_submission\.csv.*not a customer file/,
  ]);
  await expect(chooser).toContainText('Also in the archive, not read: README.md.');
  await expect(page.getByTestId('download')).toHaveCount(0);
  // The best table has the focus: Enter scores it.
  await expect(chooser.getByRole('button', { name: /^test\.csv/ })).toBeFocused();
  await page.keyboard.press('Enter');
  const fromZip = await scoresOf(page, 'santander-customer-transaction-prediction.zip');
  expect(fromZip).toEqual(plain);
  await expect(page.getByTestId('source-member')).toHaveText(
    'Read test.csv from the ZIP archive, unpacked on the fly.',
  );
  // The member was inflated in a worker of its own, started from the app's origin (the CSP allows no other).
  expect(
    workers.some((url) => new URL(url).origin === new URL(page.url()).origin && url.includes('unzip-worker')),
  ).toBe(true);
  // Explaining a customer outside the top 100 reads the member again.
  await explainMatches(page, lowCustomer(fromZip));

  // The same archive again, this time train.csv (Tab to the second table): scored and evaluated on its labels.
  await pickFile(page, 'santander-customer-transaction-prediction.zip', archive);
  await expect(chooser.getByRole('button', { name: /^test\.csv/ })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(chooser.getByRole('button', { name: /^train\.csv/ })).toBeFocused();
  await page.keyboard.press('Enter');
  // The heading names the table picked, and the size line the table's own size beside the archive's.
  await expect(
    page.getByRole('heading', {
      name: 'Results for santander-customer-transaction-prediction.zip (train.csv)',
      exact: true,
    }),
  ).toBeVisible();
  await expect(page.locator('p[data-timings]')).toHaveText(
    /train\.csv, [\d.]+\skB unpacked from a [\d.]+\skB zip file,\s+scored\s+in/,
  );
  await expect(page.getByTestId('rows-scored')).toHaveText('300');
  await expect(page.getByTestId('source-member')).toContainText('Read train.csv');
});

test('Parquet (snappy and zstd) and UTF-16 text: the same predictions as the CSV, and any customer explained', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await openApp(page);
  await pickFile(page, 'test.csv', test400);
  const plain = await scoresOf(page, 'test.csv');
  // A plain CSV starts no inflating worker.
  expect(workers.filter((url) => url.includes('unzip-worker'))).toEqual([]);

  await pickFile(page, 'test.parquet', parquetOfCsv(test400, { rowGroupSize: 100 }));
  const snappy = await scoresOf(page, 'test.parquet');
  expectSameScores(snappy, plain);
  await expect(page.getByText('The file is a Parquet table.')).toBeVisible();
  await explainMatches(page, lowCustomer(snappy));

  await pickFile(page, 'duckdb.parquet', await duckdbParquet(test400));
  expectSameScores(await scoresOf(page, 'duckdb.parquet'), plain);

  await pickFile(page, 'unicode.txt', utf16Of(test400.replaceAll(',', '\t')));
  expectSameScores(await scoresOf(page, 'unicode.txt'), plain);
  await expect(page.getByText('The text was UTF-16')).toBeVisible();
});

test('a stored member of several MiB reads like the plain file; a flipped digit or header byte fails its CRC-32, with no download', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Larger than the unzip worker's 2 MiB pieces and the 1 MiB buffer a stored member's bytes are read into.
  const big = makeCsv({ rows: 1800, seed: 33 });
  expect(big.length).toBeGreaterThan(2.5 * 2 ** 20);
  await openApp(page);
  await pickFile(page, 'test.csv', big);
  const plain = await scoresOf(page, 'test.csv');

  const stored = zipSync([{ name: 'test.csv', data: big, store: true }]);
  await pickFile(page, 'stored.zip', stored);
  expect(await scoresOf(page, 'stored.zip')).toEqual(plain);

  // A digit of the last row changed for another: every row still parses, only the checksum tells.
  const damaged = stored.slice();
  const at = Buffer.from(damaged).lastIndexOf(Buffer.from('.'), big.length);
  expect(damaged[at + 1]).toBeGreaterThanOrEqual(0x30);
  damaged[at + 1] = damaged[at + 1] === 0x31 ? 0x32 : 0x31;
  await pickFile(page, 'damaged.zip', damaged);
  await expect(page.getByTestId('error-alert')).toContainText(
    '"test.csv" in the archive is damaged (Invalid CRC32). Download it again',
  );
  await expect(page.getByTestId('download')).toHaveCount(0);

  // A byte of the header line changed ("var_71" read as a second "var_70"): the reader meets the garbled header
  // before the unzip worker reaches the member's end, and the archive's damage is still what is reported.
  const header = stored.slice();
  const col = Buffer.from(header).indexOf(Buffer.from(',var_71,')) + ',var_7'.length;
  header[col] = 0x30;
  await pickFile(page, 'header.zip', header);
  await expect(page.getByTestId('error-alert')).toContainText(
    '"test.csv" in the archive is damaged (Invalid CRC32). Download it again',
  );
  await expect(page.getByTestId('download')).toHaveCount(0);
});

test('a zip inside a zip (its member named .csv, as a re-zipped download) reads like the plain file, and explains a customer', async ({
  page,
}) => {
  await openApp(page);
  await pickFile(page, 'test.csv', test400);
  const plain = await scoresOf(page, 'test.csv');
  const inner = zipSync([{ name: 'test.csv', data: test400 }]);
  await pickFile(page, 'outer.zip', zipSync([{ name: 'inner.csv', data: inner }]));
  expectSameScores(await scoresOf(page, 'outer.zip (inner.csv › test.csv)'), plain);
  await expect(page.getByTestId('source-member')).toHaveText(
    'Read test.csv from inner.csv, a ZIP archive inside the ZIP archive, unpacked on the fly.',
  );
  await explainMatches(page, lowCustomer(plain));
});
