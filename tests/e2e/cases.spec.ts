/**
 * The shared real-world cases in the app: each is scored exactly like its plain twin (same ids, scores within
 * 1e-6) and the page says how it was read. Also: Windows-1252 found late in a big file (after batches went out)
 * reads the whole file again and gives the plain file's predictions; and the reader's Windows-1252 table is the
 * one Chromium's TextDecoder uses (the WHATWG Encoding Standard).
 */
import { expect, test } from '@playwright/test';
import { WINDOWS_1252 } from '../../src/core/csv/text-encoding';
import { caseFiles } from '../fixtures/cases';
import { downloadPredictions, makeCsv, openApp, pickFile, type Predictions } from './helpers';

async function score(page: import('@playwright/test').Page, name: string, bytes: string | Uint8Array) {
  await pickFile(page, name, bytes);
  await expect(page.getByRole('heading', { name: `Results for ${name}` })).toBeVisible();
  await expect(page.getByTestId('error-alert')).toHaveText('');
  return downloadPredictions(page);
}

function expectSame(got: Predictions, want: Predictions) {
  expect(got.ids).toEqual(want.ids);
  got.scores.forEach((p, i) =>
    expect(Math.abs(p - want.scores[i]), `row ${i + 1}`).toBeLessThanOrEqual(1e-6),
  );
}

test('each real-world case scores like its plain twin and says how it was read', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  for (const c of caseFiles()) {
    await test.step(c.name, async () => {
      const got = await score(page, c.name, c.bytes);
      expect(got.ids).toHaveLength(c.rows);
      const notes = page.getByTestId('reading-note');
      for (const fragment of c.notes) await expect(notes.filter({ hasText: fragment })).toHaveCount(1);
      const want = await score(page, `plain-${c.name}`, c.plain);
      await expect(page.getByTestId('reading-note')).toHaveCount(0);
      expectSame(got, want);
    });
  }
});

test('Windows-1252 found after batches went out: the file is read again, nothing twice', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  // 6,000 rows (~9 MB): the worker hands out batches of 2,048 rows, so the é in row 5,900 comes late.
  const plain = makeCsv({ rows: 6000, seed: 21 }).replace('\ntest_5899,', '\nRenée_5899,');
  const bytes = Uint8Array.from(Buffer.from(plain, 'latin1'));
  expect(bytes.includes(0xe9)).toBe(true);
  const got = await score(page, 'late-accent.csv', bytes);
  await expect(page.getByTestId('reading-note').filter({ hasText: 'read as Windows-1252' })).toHaveCount(1);
  await expect(page.getByTestId('rows-scored')).toHaveText('6,000');
  const want = await score(page, 'late-accent-utf8.csv', plain);
  expectSame(got, want);
  expect(got.ids[5899]).toBe('Renée_5899');
});

test("the reader's Windows-1252 table is Chromium's", async ({ page }) => {
  await openApp(page);
  const chromium = await page.evaluate(() =>
    Array.from({ length: 256 }, (_, b) =>
      new TextDecoder('windows-1252').decode(Uint8Array.of(b)).charCodeAt(0),
    ),
  );
  expect(chromium).toEqual([...WINDOWS_1252]);
});
