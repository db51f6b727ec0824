/**
 * Files are read to their end while the reading worker collects garbage all the time. Chromium frees a Blob's
 * byte stream whose BYOB read is still waiting for bytes when nothing else references its reader, and that read
 * then never settles: a dropped file stayed at "Scoring …: 0 rows" for good, now and then (trust-files.spec, about
 * one run in six). A collection every few milliseconds in the reading worker makes that certain on the first file
 * unless src/worker/file-access.ts holds the reader while its read is in flight.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../chromium';
import { badFiles } from '../fixtures/bad-files';
import { makeCsv, openApp, pickFile } from './helpers';

// gc() in the page's workers; the flag changes nothing else.
test.use({
  launchOptions: { ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args, '--js-flags=--expose-gc'] },
});

/** The reading worker (named 'reader' by score-worker.ts), started with the model. */
async function readingWorker(page: Page): Promise<Worker> {
  let found: Worker | undefined;
  await expect(async () => {
    const named = await Promise.all(
      page.workers().map(async (w) => ({ w, name: await w.evaluate(() => self.name).catch(() => '') })),
    );
    found = named.find(({ name }) => name === 'reader')?.w;
    expect(found).toBeDefined();
  }).toPass();
  return found!;
}

test('files are read to the end while the reading worker collects garbage every few milliseconds', async ({
  page,
}) => {
  await openApp(page);
  const reader = await readingWorker(page);
  await reader.evaluate(() => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('gc() is missing: Chromium was started without --expose-gc');
    setInterval(gc, 2);
  });
  const results = (name: string) => page.getByRole('heading', { name: `Results for ${name}` });

  for (let i = 1; i <= 3; i++) {
    const name = `good-${i}.csv`;
    await pickFile(page, name, makeCsv({ rows: 300, seed: i }));
    await expect(results(name)).toBeVisible();
    await expect(page.getByTestId('rows-scored')).toHaveText('300');
  }
  // Read twice: its bytes are not UTF-8, so the reader starts over as Windows-1252 on a second stream.
  const latin = badFiles().find((f) => f.key === 'windows-1252')!;
  await pickFile(page, latin.fileName, latin.bytes!);
  await expect(results(latin.fileName)).toBeVisible();
  await expect(page.getByTestId('reading-note').filter({ hasText: 'read as Windows-1252' })).toHaveCount(1);
});
