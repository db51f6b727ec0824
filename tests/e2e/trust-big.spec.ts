/**
 * The two big corpus files in the browser, built inside the page from repeated Blob parts (no 2 GB upload):
 * one 100 MB line without a newline is refused at once with the reason, and a 2 GB file either streams through
 * or is refused with a reason; the tab never crashes and the next file scores. Figures are printed, not asserted.
 */
import { expect, test, type Page } from '@playwright/test';
import { rendererRss } from '../chromium';
import { badFiles } from '../fixtures/bad-files';
import { pickRepeated, watchTrouble } from '../fixtures/browser';
import { expectNextFileScores, openApp } from './helpers';

const corpus = badFiles();

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return Math.round((metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20);
}

/** MiB resident in this test's largest Chromium renderer (the page's, workers included); 0 without /proc. */
function rendererMB(): number {
  return Math.round(Math.max(0, ...rendererRss().values()) / 2 ** 20);
}

test('one 100 MB line without a newline is refused with the reason, and the next file scores', async ({
  page,
}) => {
  const trouble = await watchTrouble(page);
  await openApp(page);
  const file = corpus.find((f) => f.key === 'long-line')!;
  const started = Date.now();
  await pickRepeated(page, file);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(file.fileName);
  await expect(alert).toContainText('Row 1 is longer than 1 MiB without a line break');
  console.log(`100 MB line: refused after ${Date.now() - started} ms; page heap ${await heapMB(page)} MB`);
  await expect(page.getByTestId('download')).toHaveCount(0);
  await expectNextFileScores(page, 'after.csv', 100, 51);
  expect(trouble.crashed()).toBe(false);
});

test('a 2 GB file streams through or is refused with a reason, and the tab survives', async ({ page }) => {
  test.setTimeout(600_000);
  const trouble = await watchTrouble(page);
  await openApp(page);
  const file = corpus.find((f) => f.key === 'big-2gb')!;
  const recipe = file.repeat!;
  const rows = recipe.part.filter((b) => b === 10).length * recipe.times;
  const started = Date.now();
  await pickRepeated(page, file);
  // The alert element is always present (hidden when empty): read it by attribute, never wait for it to show.
  const alert = page.getByTestId('error-alert');
  const results = page.getByRole('heading', { name: `Results for ${file.fileName}` });
  let peak = 0;
  let peakRenderer = rendererMB();
  const before = peakRenderer;
  // Poll until it ends one way or the other, sampling the page's heap.
  await expect
    .poll(
      async () => {
        peak = Math.max(peak, await heapMB(page));
        peakRenderer = Math.max(peakRenderer, rendererMB());
        return (await results.count()) > 0 || ((await alert.textContent()) ?? '').includes(file.fileName);
      },
      { timeout: 540_000, intervals: [2000] },
    )
    .toBe(true);
  const seconds = (Date.now() - started) / 1000;
  expect(trouble.crashed()).toBe(false);
  if ((await results.count()) > 0) {
    await expect(page.getByTestId('rows-scored')).toHaveText(rows.toLocaleString('en-US'));
    console.log(
      `2 GB: scored ${rows} rows in ${seconds.toFixed(1)} s; page heap peak ${peak} MB; ` +
        `page renderer RSS ${before} MB before, peak ${peakRenderer} MB`,
    );
  } else {
    const text = (await alert.textContent()) ?? '';
    // A refusal must give a reason, not a bare failure.
    expect(text.length).toBeGreaterThan(file.fileName.length + 20);
    console.log(
      `2 GB: refused after ${seconds.toFixed(1)} s: ${text}; page heap peak ${peak} MB; renderer peak ${peakRenderer} MB`,
    );
  }
  await expectNextFileScores(page, 'after.csv', 100, 51);
});
