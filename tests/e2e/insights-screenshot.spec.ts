import { expect, type Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openApp, pickFile } from './helpers';
import { waitForInsights } from './insights-helpers';

// No service worker: its "ready to work offline" notice arrives at a random moment and would cover part of the page.
test.use({ serviceWorkers: 'block' });

/** The browser the pixel baselines were made with (playwright.config.ts's default). */
const BASELINE_BROWSER = '/usr/bin/chromium';

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
  // Every chart on screen: the model card's are behind a disclosure.
  await page.getByTestId('card-charts').locator('summary').click();
}

const SCHEMES = ['light', 'dark'] as const;

for (const [name, viewport] of SIZES) {
  for (const scheme of SCHEMES) {
    test(`the results page keeps its layout at ${name} width (${viewport.width}x${viewport.height}), ${scheme}`, async ({
      page,
    }) => {
      // Pixel baselines are made with Debian's Chromium and its fonts (here and in CI, the same machine kind);
      // another browser build (CHROMIUM_PATH) renders text differently. After a retrain (the page shows the
      // model's numbers) or a layout change, refresh them with --update-snapshots and look at them.
      test.skip(
        (process.env.CHROMIUM_PATH ?? BASELINE_BROWSER) !== BASELINE_BROWSER,
        `pixel baselines come from ${BASELINE_BROWSER}; the geometry test still runs`,
      );
      await page.emulateMedia({ colorScheme: scheme });
      await resultsPage(page, viewport);
      // Timing figures differ on every run.
      const mask = [page.getByText(/scored in [\d.]+ s/)];
      await expect(page).toHaveScreenshot(`results-${name}${scheme === 'dark' ? '-dark' : ''}.png`, {
        fullPage: true,
        mask,
        maxDiffPixelRatio: 0.002,
      });
    });
  }

  test(`nothing on the results page overflows at ${name} width, and every chart is drawn`, async ({
    page,
  }) => {
    await resultsPage(page, viewport);
    const layout = await page.evaluate(() => {
      const viewportWidth = document.documentElement.clientWidth;
      // Every card on the page (file picker, results, insights, ...) and the page's own edges.
      const boxes = [...document.querySelectorAll('main > *')].map((card) => {
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
        // The narrowest the card can be: it must never be what widens the page.
        const el = card as HTMLElement;
        const width = el.style.width;
        el.style.width = 'min-content';
        const minContent = el.getBoundingClientRect().width;
        el.style.width = width;
        const name = `${card.tagName.toLowerCase()}.${card.className}`;
        return { name, minContent, outside, left: box.left, right: box.right };
      });
      const charts = [...document.querySelectorAll('main .card .chart canvas')].map((c) => {
        const box = c.closest('.card')!.getBoundingClientRect();
        const r = c.getBoundingClientRect();
        return { w: r.width, h: r.height, fits: r.left >= box.left - 1 && r.right <= box.right + 1 };
      });
      return { viewportWidth, scrollWidth: document.documentElement.scrollWidth, boxes, charts };
    });
    expect(layout.scrollWidth).toBe(layout.viewportWidth);
    expect(layout.boxes.map((b) => b.name)).toEqual(
      expect.arrayContaining([expect.stringContaining('picker'), expect.stringContaining('results')]),
    );
    for (const b of layout.boxes) {
      expect.soft(b.minContent, `${b.name} at its narrowest`).toBeLessThan(layout.viewportWidth - 32);
      expect.soft(b.outside, `inside ${b.name}`).toEqual([]);
      expect.soft(b.left, b.name).toBeGreaterThanOrEqual(0);
      expect.soft(b.right, b.name).toBeLessThanOrEqual(layout.viewportWidth);
    }
    // Gains and histogram, ROC and calibration on the user's labels, the card's ROC and calibration (+ versions).
    expect(layout.charts.length).toBeGreaterThanOrEqual(6);
    for (const c of layout.charts) {
      expect(c.w).toBeGreaterThan(150);
      expect(c.h).toBeGreaterThan(100);
      expect(c.fits).toBe(true);
    }
  });
}
