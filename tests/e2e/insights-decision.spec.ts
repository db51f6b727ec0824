import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dataKind } from '../../src/core/card/card-check';
import type { ModelCard } from '../../src/core/model-card';
import { entryKind, type Registry } from '../../src/core/registry';
import { downloadPredictions, makeCsv, openApp, pickFile } from './helpers';
import { dataValue, flaggedCount, waitForInsights } from './insights-helpers';

const labelledSample = () => readFileSync(new URL('../../static/sample-train.csv', import.meta.url));

/** The marker position a chart last drew (UPlotChart writes it from its draw hook). */
async function drawnMarker(page: Page, chart: string): Promise<{ x: number; y: number }> {
  const host = page.getByTestId(chart).locator('.chart');
  const [x, y] = await Promise.all([host.getAttribute('data-marker-x'), host.getAttribute('data-marker-y')]);
  return { x: x ? Number(x) : NaN, y: y ? Number(y) : NaN };
}

test.describe('the decision', () => {
  test.use({ serviceWorkers: 'block' });

  test('the cut is drawn on first render and moves with the control; the gains chart marks the same capture', async ({
    page,
  }) => {
    await openApp(page);
    const rows = 3000;
    await pickFile(page, 'cut.csv', makeCsv({ rows, seed: 41, idPrefix: 'cut' }));
    await waitForInsights(page);

    // First render, no resize: the histogram already shows the cut at the lowest flagged score.
    await expect
      .poll(async () => (await drawnMarker(page, 'score-histogram')).x)
      .toBeCloseTo(await dataValue(page, 'flagged-lowest'), 9);
    const first = await drawnMarker(page, 'score-histogram');
    let gains = await drawnMarker(page, 'gains-chart');
    expect(gains.x).toBeCloseTo((await flaggedCount(page)) / rows, 12);
    expect(gains.y).toBeCloseTo(await dataValue(page, 'expected-capture'), 12);

    // A new line: both markers move, and still agree with the control's figures.
    await page.getByTestId('line-value').fill('30');
    await page.getByTestId('line-value').press('Enter');
    await expect(page.getByTestId('flagged-count')).toHaveText('900');
    await expect
      .poll(async () => (await drawnMarker(page, 'score-histogram')).x)
      .toBeCloseTo(await dataValue(page, 'flagged-lowest'), 9);
    expect((await drawnMarker(page, 'score-histogram')).x).toBeLessThan(first.x);
    gains = await drawnMarker(page, 'gains-chart');
    expect(gains.x).toBeCloseTo(0.3, 12);
    expect(gains.y).toBeCloseTo(await dataValue(page, 'expected-capture'), 12);
    expect(gains.y).toBeGreaterThan(0.3); // a model better than chance reaches more than its share

    // The slider and the score mode move them too.
    await page.getByLabel('Everyone at or above a score').check();
    await page.getByTestId('line-slider').fill('50');
    await expect
      .poll(async () => (await drawnMarker(page, 'score-histogram')).x)
      .toBeCloseTo(await dataValue(page, 'flagged-lowest'), 9);
    expect((await drawnMarker(page, 'score-histogram')).x).toBeGreaterThanOrEqual(0.5);
    expect((await drawnMarker(page, 'gains-chart')).y).toBeCloseTo(
      await dataValue(page, 'expected-capture'),
      12,
    );
  });

  test('a contact cost and a transaction value give the break-even score, the best count and the net values', async ({
    page,
  }) => {
    await openApp(page);
    await pickFile(page, 'worth.csv', makeCsv({ rows: 2000, seed: 43, target: true, idPrefix: 'w' }));
    await waitForInsights(page);
    const p = await downloadPredictions(page);
    const sorted = [...p.scores].sort((a, b) => b - a);
    const top = (k: number) => sorted.slice(0, k).reduce((a, b) => a + b, 0);

    await page.getByTestId('contact-cost').fill('3');
    await page.getByTestId('transaction-value').fill('40');
    // Break-even 3 / 40 = 7.5%: everyone scoring at least that, and their expected net value.
    const best = sorted.filter((x) => x >= Math.fround(0.075)).length;
    expect(best).toBeGreaterThan(0);
    await expect(page.getByTestId('break-even')).toContainText('Break-even score 7.50%');
    await expect(page.getByTestId('break-even')).toHaveAttribute('data-count', String(best));
    expect(Number(await page.getByTestId('break-even').getAttribute('data-net'))).toBeCloseTo(
      40 * top(best) - 3 * best,
      1,
    );
    // Any other line brings less: the top 10% (the default line) and the break-even count itself.
    const count = await flaggedCount(page);
    const lineNet = Number(await page.getByTestId('line-net').getAttribute('data-net'));
    expect(lineNet).toBeCloseTo(40 * top(count) - 3 * count, 1);
    expect(lineNet).toBeLessThanOrEqual(40 * top(best) - 3 * best + 1e-6);
    // On the labels: the transactions the confusion table shows as flagged.
    const tp = Number((await page.getByTestId('tp').innerText()).replaceAll(',', ''));
    await expect(page.getByTestId('labels-net')).toHaveText(
      (40 * tp - 3 * count)
        .toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
        .replace('-', '−'),
    );
    // Every net figure in the box in one format: two decimals, whole or not, large or small (the best line's,
    // the current line's expected net, and its net on the labels).
    const box = page.getByTestId('contact-value');
    const nets = [
      await box.getByTestId('break-even').locator('strong').last().innerText(),
      ...(await box.getByTestId('line-net').locator('strong').allInnerTexts()),
    ];
    expect(nets.length).toBe(3);
    for (const net of nets) expect(net).toMatch(/^−?[\d,]+\.\d\d$/);

    await page.getByTestId('draw-break-even').click();
    await expect(page.getByTestId('flagged-count')).toHaveText(best.toLocaleString('en-US'));
    await expect(page.getByLabel('Everyone at or above a score')).toBeChecked();
    await expect(page.getByTestId('draw-break-even')).toHaveCount(0);

    // A contact worth more than a transaction: nobody pays back; a bad figure is named.
    await page.getByTestId('contact-cost').fill('50');
    await expect(page.getByTestId('break-even')).toContainText('no contact pays for itself');
    await page.getByTestId('transaction-value').fill('0');
    await expect(page.getByTestId('contact-value').getByRole('alert')).toHaveText(
      'The value of a transaction must be a number above 0.',
    );
    // The box it is about is marked for the eye too (the theme's --danger), the other box is not.
    await expect(page.getByTestId('transaction-value')).toHaveCSS('border-top-color', 'rgb(180, 35, 24)');
    await expect(page.getByTestId('contact-cost')).not.toHaveCSS('border-top-color', 'rgb(180, 35, 24)');
  });

  test('focus moves to the results heading after scoring, and to the alert after a refusal', async ({
    page,
  }) => {
    await openApp(page);
    await page.getByRole('button', { name: 'Try a labelled sample' }).click();
    await expect(page.getByRole('heading', { name: 'Results for sample-train.csv' })).toBeFocused();
    await expect(page.getByTestId('eval-auc')).toBeVisible();

    await pickFile(page, 'wrong.csv', 'name,amount\nalice,3\n');
    const alert = page.getByTestId('error-alert');
    await expect(alert).toContainText('wrong.csv');
    await expect(alert).toBeFocused();
    // The next Tab reaches the alert's own button.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Dismiss' })).toBeFocused();
    // Dismissed, the button goes with the message: focus goes on to the file picker, not to the page.
    await page.keyboard.press('Enter');
    await expect(alert).toBeHidden();
    await expect(page.locator('#file-input')).toBeFocused();
  });

  test('the single-customer panel shows one state at a time', async ({ page }) => {
    await openApp(page);
    await pickFile(page, 'one.csv', makeCsv({ rows: 300, seed: 42, idPrefix: 'one' }));
    await waitForInsights(page);
    await page.getByTestId('single-sample').click();
    await expect(page.getByTestId('single-score')).toBeVisible();
    // An empty box: a hint, and the earlier result leaves.
    await page.getByRole('button', { name: 'Score this row' }).click();
    await expect(page.getByTestId('single-hint')).toBeVisible();
    await expect(page.getByTestId('single-score')).toHaveCount(0);
    await expect(page.getByTestId('single-customer').getByRole('alert')).toHaveCount(0);
    // A bad row: the error alone.
    await page.getByTestId('single-row').fill('x,1,2');
    await page.getByRole('button', { name: 'Score this row' }).click();
    await expect(page.getByTestId('single-customer').getByRole('alert')).toBeVisible();
    await expect(page.getByTestId('single-hint')).toHaveCount(0);
    await expect(page.getByTestId('single-score')).toHaveCount(0);
  });
});

test.describe('on a phone', () => {
  test.use({ serviceWorkers: 'block', viewport: { width: 390, height: 844 } });

  test('nothing in the results overflows horizontally and every text is at least 11 px', async ({ page }) => {
    await openApp(page);
    await pickFile(page, 'sample-train.csv', labelledSample());
    await waitForInsights(page);
    await page.getByTestId('customer-list').getByRole('option').first().click();
    await expect(page.getByTestId('why-id-shown')).toBeVisible();
    await page.getByText(/^Every number/).click();
    // Full ids in the ranked list: no ellipsis.
    const ids = await page
      .getByTestId('customer-list')
      .locator('.id')
      .evaluateAll((els) => els.map((e) => e.scrollWidth <= e.clientWidth));
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.every(Boolean)).toBe(true);

    const report = await page.evaluate(() => {
      const small: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement!;
        if (!node.textContent?.trim() || el.closest('.visually-hidden, [role="tooltip"]')) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 11)
          small.push(
            `${el.tagName.toLowerCase()}.${el.className} "${node.textContent.trim().slice(0, 20)}" ${size}px`,
          );
      }
      const wide = [...document.querySelectorAll('main *')]
        .filter((e) => {
          const r = e.getBoundingClientRect();
          const clipped = e.parentElement?.closest(
            '.table-wrap, [data-testid="customer-list"], .grid, .visually-hidden',
          );
          return !clipped && r.width > 0 && r.right > document.documentElement.clientWidth + 0.5;
        })
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      return {
        small,
        wide,
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      };
    });
    expect(report.scrollWidth).toBe(report.clientWidth);
    expect(report.wide).toEqual([]);
    expect(report.small).toEqual([]);
  });
});

test.describe('on a phone, a very long ID_code', () => {
  test.use({ serviceWorkers: 'block', viewport: { width: 390, height: 844 } });

  test('breaks inside the Why panel instead of running off it', async ({ page }) => {
    await openApp(page);
    const long = `customer_${'x'.repeat(3000)}`;
    const lines = makeCsv({ rows: 50, seed: 17 }).split('\n');
    lines[5] = lines[5].replace(/^[^,]+/, long);
    await pickFile(page, 'long-id.csv', lines.join('\n'));
    await waitForInsights(page);
    await page.getByLabel('Find a customer by ID_code').fill(long);
    await page.getByRole('button', { name: 'Explain' }).click();
    await expect(page.getByTestId('why-id-shown')).toHaveText(long);
    const overflowing = await page
      .locator('[data-testid="why-customer"] p, figure.explain figcaption')
      .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
    expect(overflowing).toBe(0);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('main *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .filter(
          (e) =>
            !e.parentElement?.closest('.table-wrap, [data-testid="customer-list"], .grid, .visually-hidden'),
        )
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${e.getAttribute('data-testid') ?? ''}`),
    );
    expect(wide).toEqual([]);
  });
});

test.describe('accessibility', () => {
  test.use({ serviceWorkers: 'block' });
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`no serious or critical axe violation on the results page (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await openApp(page);
      await pickFile(page, 'sample-train.csv', labelledSample());
      await waitForInsights(page);
      await page.getByTestId('customer-list').getByRole('option').first().click();
      await expect(page.getByTestId('why-id-shown')).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(bad).toEqual([]);
    });
  }

  test('keyboard: the file input is the first Tab stop, and a term’s definition shows on focus', async ({
    page,
  }) => {
    await openApp(page);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel(/^Customer file/)).toBeFocused();
    await pickFile(page, 'sample-train.csv', labelledSample());
    await waitForInsights(page);
    const term = page.getByTestId('quality').getByRole('button', { name: 'AUC' }).first();
    await term.focus();
    const tip = page
      .getByRole('tooltip')
      .filter({ hasText: 'the chance that a customer who made a transaction' });
    await expect(tip).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(tip).toBeHidden();
  });
});

test('a term’s definition never blocks the controls under it: the pointer going from the term to the button clicks the button', async ({
  page,
}) => {
  for (const size of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(size);
    await openApp(page);
    await pickFile(page, 'sample-train.csv', labelledSample());
    await waitForInsights(page);
    const term = page.getByTestId('holdout-at-line').getByRole('button', { name: 'holdout' });
    const button = page.getByTestId('download-flagged');
    await term.scrollIntoViewIfNeeded();
    const from = (await term.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    const tip = page.getByRole('tooltip').filter({ hasText: 'rows set aside' });
    await expect(tip).toBeVisible();
    // Straight to the button below, across wherever the definition lies.
    const to = (await button.boundingBox())!;
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await expect(tip).toBeHidden();
    const hit = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid="download-flagged"]') !== null,
      [to.x + to.width / 2, to.y + to.height / 2],
    );
    expect(hit).toBe(true);

    // Opened from the keyboard, it does not stand between the pointer and the button either.
    await term.focus();
    await expect(tip).toBeVisible();
    const download = page.waitForEvent('download');
    await page.mouse.click(to.x + to.width / 2, to.y + to.height / 2);
    expect((await download).suggestedFilename()).toBe('predictions-flagged.csv');
    await expect(tip).toBeHidden();
  }
});

test('the offline notice leaves by itself within 10 s and is no Tab stop', async ({ page }) => {
  await page.goto('./');
  const notice = page.getByTestId('offline-notice');
  await expect(notice).toBeVisible({ timeout: 30_000 });
  await expect(notice.locator('button, a, [tabindex]')).toHaveCount(0);
  await expect(notice).toBeHidden({ timeout: 10_000 });
});

test('the versions chart compares like with like: only versions trained on the model’s kind of data', async ({
  page,
}) => {
  const json = <T>(path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
  const card = json<ModelCard>('../../models/model-card.json');
  const { models } = json<Registry>('../../models/registry.json');
  const same = models.filter((e) => entryKind(e) === dataKind(card)).length;
  const other = models.length - same;
  await openApp(page);
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitForInsights(page);
  const panel = page.getByTestId('model-panel');
  if (same > 1) {
    await expect(panel.locator('figcaption', { hasText: 'AUC over published versions' })).toBeVisible();
    await expect(
      panel.getByRole('img', { name: new RegExp(`of the ${same} published versions`) }),
    ).toBeAttached();
  } else {
    await expect(panel).toContainText('the AUC-over-versions chart appears once there are two');
  }
  if (other > 0) await expect(panel).toContainText(`${other} earlier version${other === 1 ? '' : 's'}`);
});
