import { expect, type Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openApp, pickFile } from './helpers';
import { waitForInsights } from './insights-helpers';

// No service worker: its "ready to work offline" notice arrives at a random moment and would cover part of the page.
test.use({ serviceWorkers: 'block' });

const SIZES = [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const;

/** The labelled sample scored, its first customer explained: every insights part is on the page. */
async function resultsPage(page: Page, viewport: { width: number; height: number }): Promise<void> {
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
}

for (const [name, viewport] of SIZES) {
  test(`the results page keeps its layout at ${name} width (${viewport.width}x${viewport.height})`, async ({
    page,
  }) => {
    // Pixel baselines are made here (Debian Chromium and its fonts); other machines render text differently.
    // Elsewhere, and after a retrain (the page shows the model's numbers), refresh them with --update-snapshots.
    test.skip(
      !!process.env.CI,
      'pixel baselines come from the development machine; CI runs the geometry test',
    );
    await resultsPage(page, viewport);
    // Timing figures differ on every run.
    const mask = [page.getByText(/scored in [\d.]+ s/)];
    await expect(page).toHaveScreenshot(`results-${name}.png`, {
      fullPage: true,
      mask,
      maxDiffPixelRatio: 0.002,
    });
  });

  test(`nothing in the insights overflows at ${name} width, and every chart is drawn`, async ({ page }) => {
    await resultsPage(page, viewport);
    const layout = await page.evaluate(() => {
      const card = document.querySelector('[data-testid="insights"]') as HTMLElement;
      const box = card.getBoundingClientRect();
      const outside = [...card.querySelectorAll('*')]
        .filter((e) => {
          const r = e.getBoundingClientRect();
          // Inside a scroll box or a visually-hidden wrapper, content may extend it without showing.
          const clipped = e.parentElement?.closest(
            '.table-wrap, [data-testid="customer-list"], .grid, .visually-hidden',
          );
          return !clipped && r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
        })
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      // The narrowest the panel can be: it must never be what widens the page.
      const width = card.style.width;
      card.style.width = 'min-content';
      const minContent = card.getBoundingClientRect().width;
      card.style.width = width;
      const charts = [...card.querySelectorAll('.chart canvas')].map((c) => {
        const r = c.getBoundingClientRect();
        return { w: r.width, h: r.height, fits: r.left >= box.left - 1 && r.right <= box.right + 1 };
      });
      return { viewport: document.documentElement.clientWidth, minContent, outside, charts };
    });
    expect(layout.minContent).toBeLessThan(layout.viewport - 32);
    expect(layout.outside).toEqual([]);
    // Histogram, ROC and calibration on the user's labels, the card's ROC and calibration (+ versions if any).
    expect(layout.charts.length).toBeGreaterThanOrEqual(5);
    for (const c of layout.charts) {
      expect(c.w).toBeGreaterThan(150);
      expect(c.h).toBeGreaterThan(100);
      expect(c.fits).toBe(true);
    }
  });
}
