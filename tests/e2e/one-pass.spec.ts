/**
 * One pass: the scoring worker sends the results once (ranking and evaluation included) and the page only looks
 * things up in them. Every message between the page and the scoring worker is measured in the page; after the
 * results arrive, using the whole results page (moving the line, explaining customers, finding one by ID_code,
 * the flagged download) sends nothing that grows with the file's rows, in either direction.
 */
import { expect, test, type Page } from '@playwright/test';
import { makeCsv, openApp, pickFile } from './helpers';
import { waitForInsights } from './insights-helpers';

/** What crossed between the page and the scoring worker, measured per message. */
interface Traffic {
  messages: number;
  /** Bytes of typed arrays and ArrayBuffers, plus two per string character. */
  bytes: number;
  /** Elements in the largest typed array (or bytes in the largest ArrayBuffer) of any one message. */
  largestArray: number;
  blobs: number;
}

/**
 * Wraps the page's Worker: messages to and from the worker named `scorer …` (the bridge names it) are walked and
 * counted into window.__traffic. Comlink's calls and answers all go through these two ends once a file is scored
 * (its progress callback uses a port of its own, only while a file runs).
 */
const COUNT_BRIDGE = `(() => {
  const empty = () => ({ messages: 0, bytes: 0, largestArray: 0, blobs: 0 });
  const traffic = { toWorker: empty(), fromWorker: empty() };
  window.__traffic = traffic;
  window.__resetTraffic = () => { traffic.toWorker = empty(); traffic.fromWorker = empty(); };
  const measure = (value, into, seen) => {
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'string') into.bytes += 2 * value.length;
      return;
    }
    if (seen.has(value)) return;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      into.bytes += value.byteLength;
      into.largestArray = Math.max(into.largestArray, value.length ?? value.byteLength);
      return;
    }
    if (value instanceof ArrayBuffer) {
      into.bytes += value.byteLength;
      into.largestArray = Math.max(into.largestArray, value.byteLength);
      return;
    }
    if (value instanceof Blob) { into.blobs++; return; }
    for (const key of Object.keys(value)) measure(value[key], into, seen);
  };
  const count = (side, data) => {
    traffic[side].messages++;
    measure(data, traffic[side], new Set());
  };
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      this.__scorer = typeof options?.name === 'string' && options.name.startsWith('scorer ');
      if (this.__scorer) this.addEventListener('message', (e) => count('fromWorker', e.data));
    }
    postMessage(message, transfer) {
      if (this.__scorer) count('toWorker', message);
      return super.postMessage(message, transfer);
    }
  };
})();`;

async function traffic(page: Page): Promise<{ toWorker: Traffic; fromWorker: Traffic }> {
  return page.evaluate(() => (window as unknown as { __traffic: never }).__traffic);
}

const ROWS = 3000;

test('after the results arrive, nothing that grows with the rows crosses between the page and the worker', async ({
  page,
}) => {
  await page.addInitScript(COUNT_BRIDGE);
  await openApp(page);
  await pickFile(page, 'one-pass.csv', makeCsv({ rows: ROWS, seed: 51, target: true, idPrefix: 'op' }));
  await waitForInsights(page);
  await expect(page.getByTestId('eval-auc')).toBeVisible();

  // The results came over once, with their per-row arrays (ids, scores, labels, the ranking); the page never
  // sends per-row data back (it used to send the scores back to be ranked).
  const scored = await traffic(page);
  expect(scored.fromWorker.largestArray).toBeGreaterThanOrEqual(ROWS);
  expect(scored.toWorker.largestArray).toBeLessThanOrEqual(200);
  await page.evaluate(() => (window as unknown as { __resetTraffic(): void }).__resetTraffic());

  // Use the whole results page: the line by share and by score, a customer from the list, one by ID_code,
  // and the flagged download.
  await page.getByTestId('line-value').fill('12.5');
  await page.getByTestId('line-value').press('Enter');
  await expect(page.getByTestId('flagged-count')).toHaveText('375');
  await page.getByLabel('Everyone at or above a score').check();
  await page.getByTestId('line-value').fill('20');
  await page.getByTestId('line-value').press('Enter');
  await page.getByTestId('customer-list').getByRole('option').nth(3).click();
  await expect(page.getByTestId('why-id-shown')).toBeVisible();
  await page.getByLabel('Find a customer by ID_code').fill('op_2999');
  await page.getByRole('button', { name: 'Explain' }).click();
  await expect(page.getByTestId('why-id-shown')).toHaveText('op_2999');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-flagged').click(),
  ]);
  expect(await download.path()).toBeTruthy();

  const after = await traffic(page);
  // Calls went back and forth (a customer read back, the id found, the flagged file written in the worker)...
  expect(after.toWorker.messages).toBeGreaterThanOrEqual(3);
  expect(after.fromWorker.blobs).toBe(1);
  // ...but none carried more than one customer's 200 values, and all of it together stays small.
  for (const side of [after.toWorker, after.fromWorker]) {
    expect(side.largestArray).toBeLessThanOrEqual(200);
    expect(side.bytes).toBeLessThan(20_000);
  }
});

test('the results carry where each worker spent its time (bench:browser prints it), the reader within the whole', async ({
  page,
}) => {
  await openApp(page);
  await pickFile(page, 'timings.csv', makeCsv({ rows: ROWS, seed: 52, idPrefix: 'tm' }));
  await expect(page.getByTestId('download')).toBeVisible();
  const meta = page.locator('.results .meta').first();
  const timings = JSON.parse((await meta.getAttribute('data-timings')) ?? 'null') as Record<
    string,
    unknown
  > & {
    reader: { read: number; handing: number; parse: number } | null;
  };
  for (const key of ['wait', 'model', 'drift', 'rows', 'rank']) {
    expect(timings[key]).toBeGreaterThanOrEqual(0);
  }
  // A plain CSV is read by the nested reading worker, which reports its own split.
  expect(timings.reader).not.toBeNull();
  const { read, handing, parse } = timings.reader!;
  expect(read).toBeGreaterThanOrEqual(0);
  expect(handing).toBeGreaterThanOrEqual(0);
  expect(parse).toBeGreaterThan(0);
  // The reader ran inside the scoring worker's run: its parts add up to no more than the whole (shown to 0.1 s).
  const seconds = Number(/in ([\d.]+) s/.exec(await meta.innerText())?.[1]);
  expect(read + handing + parse).toBeLessThanOrEqual(seconds * 1000 + 60);
});
