import { expect, test } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { expectReady, openApp } from './helpers';

// A new deployment changes sw.js (its precache list). The preview server serves dist/ from disk, so appending
// a comment to dist/sw.js stands in for one; it is restored at the end.
const swFile = new URL('../../dist/sw.js', import.meta.url);

test('a new version waits until the user asks: "reload to update", never a reload by itself', async ({
  page,
}) => {
  await openApp(page);
  await expect(page.getByText('Ready to work offline.')).toBeVisible({ timeout: 30_000 });
  // A reload puts the page under the service worker's control, as on every visit after the first.
  await page.reload();
  await expectReady(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // Results on screen: the prompt says a reload clears them.
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await expect(page.getByTestId('rows-scored')).toHaveText('500');
  const original = await readFile(swFile, 'utf8');
  try {
    await writeFile(swFile, `${original}\n// next version\n`);
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    await expect(page.getByText('A new version of the app is ready.')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('A new version of the app is ready.')).toHaveText(
      'A new version of the app is ready. Reloading clears the results on this page: download what you need first.',
    );
    // Nothing happens until the user says so.
    await page.waitForTimeout(1000);
    expect(navigations).toBe(0);
    // "Later" from the keyboard: the prompt goes and focus goes back to where it was before the prompt.
    const download = page.getByTestId('download');
    await download.focus();
    await page.getByRole('button', { name: 'Later' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByText('A new version of the app is ready.')).toBeHidden();
    await expect(download).toBeFocused();
    // The new version still waits: the next visit asks again.
    await page.reload();
    await expectReady(page);
    await expect(page.getByText('A new version of the app is ready.')).toBeVisible({ timeout: 30_000 });
    navigations = 0;
    await Promise.all([
      page.waitForEvent('framenavigated'),
      page.getByRole('button', { name: 'Reload to update' }).click(),
    ]);
    await expectReady(page);
    const waiting = await page.evaluate(
      async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null,
    );
    expect(waiting).toBeNull();
  } finally {
    await writeFile(swFile, original);
  }
});
