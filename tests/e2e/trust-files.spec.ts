/**
 * Every small file of the bad-file corpus, uploaded one after another in one session through the file input:
 * a refused file shows its precise message in role="alert" and offers nothing to download; a file with row
 * problems is scored and says which rows, columns and values; the app stays usable, and a good file scores
 * normally at the end. The two big files (100 MB line, 2 GB) are in trust-big.spec.ts.
 */
import { expect, test } from '@playwright/test';
import { describeIssue } from '../../src/core/row-issues/wording';
import { badFiles, type Expected } from '../fixtures/bad-files';
import { watchTrouble } from '../fixtures/browser';
import { downloadPredictions, makeCsv, openApp, pickFile, readDownload } from './helpers';

test('every small corpus file gets its precise answer, and the app scores a good file afterwards', async ({
  page,
}) => {
  /** What the page shows for a file, against what the corpus says must happen. */
  const expectOutcome = async (expected: Expected, fileName: string) => {
    if (expected.outcome === 'refused') {
      await expect(alert).toContainText(fileName);
      for (const fragment of expected.message) await expect.soft(alert).toContainText(fragment);
      // Nothing partial is offered.
      await expect.soft(page.getByTestId('download')).toHaveCount(0);
      await expect.soft(page.getByTestId('rows-scored')).toHaveCount(0);
      return;
    }
    await expect(page.getByRole('heading', { name: `Results for ${fileName}` })).toBeVisible();
    await expect.soft(page.getByTestId('rows-scored')).toHaveText(expected.rows.toLocaleString('en-US'));
    await expect.soft(alert).toHaveText('');
    const report = page.getByTestId('row-issues');
    if (expected.issues.length > 0) {
      const rows = new Set(expected.issues.map((i) => i.row)).size;
      await expect.soft(report).toContainText(`${rows} row${rows === 1 ? '' : 's'} affected`);
      const first = expected.issues[0];
      await expect.soft(report).toContainText(describeIssue({ column: '', value: '', ...first }));
    }
    if (expected.duplicateRows) await expect.soft(report).toContainText('were all kept and scored');
    if (expected.issues.length === 0 && !expected.duplicateRows) await expect.soft(report).toHaveCount(0);
    // The reading notes: the same sentences the CLI prints (src/core/csv/notes.ts).
    const notes = page.getByTestId('reading-note');
    for (const fragment of expected.notes ?? []) {
      await expect.soft(notes.filter({ hasText: fragment })).toHaveCount(1);
    }
    const warning = page.getByTestId('column-warning');
    if (expected.warning)
      for (const fragment of expected.warning) await expect.soft(warning).toContainText(fragment);
    else await expect.soft(warning).toHaveCount(0);
    const sources = page.locator('[data-testid^="source-"]');
    for (const note of expected.sourceNotes ?? [])
      await expect.soft(sources.filter({ hasText: note })).toHaveCount(1);
    if (expected.extra) {
      await expect.soft(page.getByText(`the model does not use: ${expected.extra.join(', ')}`)).toBeVisible();
    }
    if (expected.ids) {
      const p = await downloadPredictions(page);
      expect.soft(p.ids.length).toBe(expected.rows);
      expect.soft(p.ids, 'no empty id is ever written').not.toContain('');
      for (const { row, id } of expected.ids) {
        const safe = /^[=+\-@\t\r]/.test(id) ? `'${id}` : id;
        const quoted = /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
        expect.soft(p.ids[row - 1], `id of row ${row}`).toBe(quoted);
      }
    }
  };
  test.setTimeout(240_000);
  const trouble = await watchTrouble(page);
  await openApp(page);
  // The alert element is always in the page (hidden when empty), so assistive tech announces new text.
  const alert = page.getByTestId('error-alert');
  const files = badFiles().filter((f) => f.bytes !== undefined);
  expect(files.length).toBeGreaterThan(30);

  for (const file of files) {
    await test.step(`${file.key}: ${file.description}`, async () => {
      await pickFile(page, file.fileName, file.bytes!);
      if (file.chooser) {
        // A zip of several tables: the page lists them, best first, and scores the one picked.
        const chooser = page.getByTestId('member-chooser');
        await expect(chooser).toBeVisible();
        await expect(page.getByTestId('download')).toHaveCount(0);
        const names = await chooser.locator('.member .name').allInnerTexts();
        expect.soft(names.filter((n) => file.chooser!.order.includes(n))).toEqual(file.chooser.order);
        await chooser.getByRole('button', { name: file.chooser.pick }).click();
        await expectOutcome(file.chooser.then, file.fileName);
        return;
      }
      await expectOutcome(file.appExpected ?? file.expected, file.fileName);
    });
  }

  await test.step('a good file still scores normally', async () => {
    await pickFile(page, 'good.csv', makeCsv({ rows: 300, seed: 11 }));
    await expect(page.getByRole('heading', { name: 'Results for good.csv' })).toBeVisible();
    await expect(page.getByTestId('rows-scored')).toHaveText('300');
    await expect(alert).toHaveText('');
    const p = await downloadPredictions(page);
    expect(p.ids).toHaveLength(300);
  });
  expect(trouble.pageErrors).toEqual([]);
  expect(trouble.crashed()).toBe(false);
});

test('the affected-rows list downloads with row, ID_code, column, kind and value', async ({ page }) => {
  await openApp(page);
  const file = badFiles().find((f) => f.key === 'non-finite')!;
  await pickFile(page, file.fileName, file.bytes!);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the list of affected rows' }).click(),
  ]);
  const text = await readDownload(download);
  expect(text.trim().split('\n')).toEqual([
    'row,ID_code,column,kind,value',
    '1,test_0,var_1,missing,NaN',
    '2,test_1,var_2,non-finite,inf',
    '3,test_2,var_3,non-finite,1e400',
    "4,test_3,var_4,non-finite,'-Infinity",
  ]);
});
