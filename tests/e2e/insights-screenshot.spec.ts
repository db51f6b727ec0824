import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openApp, pickFile } from './helpers';
import { waitForInsights } from './insights-helpers';

// No service worker: its "ready to work offline" notice arrives at a random moment and would cover part of the page.
test.use({ serviceWorkers: 'block' });

for (const [name, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  test(`the results page keeps its layout at ${name} width (${viewport.width}x${viewport.height})`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await openApp(page);
    await pickFile(
      page,
      'sample-train.csv',
      readFileSync(new URL('../../static/sample-train.csv', import.meta.url)),
    );
    await waitForInsights(page);
    await page.getByTestId('customer-list').getByRole('option').first().click();
    await expect(page.getByTestId('why-id-shown')).toBeVisible();
    await expect(page.getByTestId('eval-auc')).toBeVisible();
    // Timing figures differ on every run.
    const mask = [page.getByText(/scored in [\d.]+ s/)];
    await expect(page).toHaveScreenshot(`results-${name}.png`, {
      fullPage: true,
      mask,
      maxDiffPixelRatio: 0.002,
    });
  });
}
