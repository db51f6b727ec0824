import { expect, test } from '@playwright/test';
import { downloadPredictions, expectReady, makeCsv, openApp, pickFile } from './helpers';

test('after the first visit the app reloads and scores offline', async ({ page, context }) => {
  await openApp(page);
  await expect(page.getByText('Ready to work offline.')).toBeVisible({ timeout: 30_000 });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  await page.reload();
  await expectReady(page);
  // Said once: an offline reload of an installed app does not repeat it.
  await expect(page.getByText('Ready to work offline.')).toHaveCount(0);
  // A link with its own query (an intranet page, a mail tool) opens the app offline too.
  const page2 = new URL(page.url());
  page2.search = '?from=mail&x=1';
  await page.goto(page2.href);
  await expectReady(page);
  await pickFile(page, 'offline.csv', makeCsv({ rows: 400, seed: 11 }));
  await expect(page.getByTestId('rows-scored')).toHaveText('400');
  const p = await downloadPredictions(page);
  expect(p.ids).toHaveLength(400);
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await expect(page.getByTestId('rows-scored')).toHaveText('500');
});
