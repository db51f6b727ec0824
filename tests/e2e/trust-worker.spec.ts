/**
 * The scoring worker dies mid-file: the app says what happened in role="alert", starts a fresh worker, offers
 * nothing partial, and scores the next file. Two deaths: a silent one (the worker closes itself, as an
 * out-of-memory kill looks from the page: no event) and an uncaught error. Plus Cancel on a large file.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { expectNextFileScores, makeCsv, openApp, pickLargeCsv } from './helpers';

/** Starts a large file (built in the page from one repeated block) and waits until rows are being scored. */
async function startLargeFile(page: Page, name: string): Promise<void> {
  await pickLargeCsv(page, name, makeCsv({ rows: 1000, seed: 41 }), 400);
  await expect(page.getByTestId('progress-rows')).toBeVisible();
  await expect(page.getByTestId('progress-rows')).not.toHaveText('0 rows');
}

/**
 * The scoring worker (not its reading worker, onnxruntime's or the service worker), told apart by the name the
 * page gives it (`scorer <uuid>`): Playwright's Worker.url() does not reliably tell a nested worker from its parent.
 */
async function scorer(page: Page): Promise<Worker> {
  const named = await Promise.all(
    page.workers().map(async (w) => ({ w, name: await w.evaluate(() => self.name).catch(() => '') })),
  );
  const scorers = named.filter(({ name }) => name.startsWith('scorer ')).map(({ w }) => w);
  expect(scorers).toHaveLength(1);
  return scorers[0];
}

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

test('a worker that dies silently mid-file is reported, replaced, and the next file scores', async ({
  page,
}) => {
  await startLargeFile(page, 'huge.csv');
  await (await scorer(page)).evaluate(() => (self as unknown as { close(): void }).close()).catch(() => {}); // the worker may be gone before the answer comes back
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('huge.csv', { timeout: 20_000 });
  await expect(alert).toContainText(/worker stopped/i);
  await expect(page.getByTestId('progress-rows')).toHaveCount(0);
  await expect(page.getByTestId('download')).toHaveCount(0);
  await expectNextFileScores(page, 'next.csv', 120, 42);
});

test('an uncaught error in the worker is reported, and the next file scores', async ({ page }) => {
  await startLargeFile(page, 'crash.csv');
  await (
    await scorer(page)
  ).evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash');
    }, 0);
  });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('crash.csv', { timeout: 20_000 });
  await expect(alert).toContainText(/worker stopped/i);
  await expect(page.getByTestId('download')).toHaveCount(0);
  await expectNextFileScores(page, 'next.csv', 120, 42);
});

test('a worker busy for 8 s is not taken for dead: it still holds its life lock, and goes on', async ({
  page,
}) => {
  await startLargeFile(page, 'busy.csv');
  // Two unanswered pings (about 7 s) used to end a worker that was only busy, as on a loaded machine.
  await (
    await scorer(page)
  ).evaluate(() => {
    const until = Date.now() + 8000;
    while (Date.now() < until);
  });
  const rows = await page.getByTestId('progress-rows').textContent();
  await expect(page.getByTestId('progress-rows')).not.toHaveText(rows ?? '');
  await expect(page.getByText(/worker stopped/i)).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expectNextFileScores(page, 'next.csv', 120, 42);
});

test('Cancel on a large file returns to ready at once, and the next file scores', async ({ page }) => {
  await startLargeFile(page, 'long.csv');
  const started = Date.now();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Stopped scoring long.csv.')).toBeVisible();
  await expect(page.getByTestId('progress-rows')).toHaveCount(0);
  // A figure for the README, not an assertion (no timed tests).
  console.log(`cancel -> stopped notice: ${Date.now() - started} ms`);
  await expectNextFileScores(page, 'next.csv', 120, 42);
});
