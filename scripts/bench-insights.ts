/**
 * Browser benchmark of the insights (`npx tsx scripts/bench-insights.ts`): prints figures, asserts nothing.
 * With a full-size file scored (200,000 labelled rows: `npm run data -- --rows 200000 --out <dir>` and pass
 * --file <dir>/train.csv; default /work/data/insights/train-200k.csv), it times in
 * headless Chromium, from the user's action to the next painted frame:
 *   - ranking the file in the worker after scoring (results shown -> line figures shown);
 *   - changing the line (typed share, typed score, slider drags);
 *   - opening a top customer's explanation (a click in the ranked list), and one found by ID_code elsewhere
 *     (the worker reads the File again);
 *   - scrolling the 200,000-row list to far positions;
 *   - building the flagged download.
 * Options: --file <csv>, --skip-build (use /tmp/insights-dist as built), --runs N (repeats per action, default 15),
 * --port N (the preview server's port, default 4192).
 */
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { CHROMIUM_LAUNCH } from '../tests/chromium';
import { arg, serveApp } from './preview';

const BASE = '/santander-scorer/';
const PORT = Number(arg('port') ?? 4192);
const OUT = '/tmp/insights-dist';

const file = arg('file') ?? '/work/data/insights/train-200k.csv';
const runs = Number(arg('runs') ?? 15);

function stats(label: string, ms: number[]): void {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const p90 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))];
  console.log(
    `${label.padEnd(52)} median ${median.toFixed(1).padStart(7)} ms   p90 ${p90.toFixed(1).padStart(7)} ms   max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms   (n=${ms.length})`,
  );
}

/** Runs `act` in the page, then waits for `done` to hold and two animation frames (the change is painted). */
async function timed(page: Page, act: string, done: string): Promise<number> {
  return page.evaluate(
    async ([actSource, doneSource]) => {
      const act = new Function(actSource) as () => void;
      const done = new Function(`return (${doneSource})`) as () => boolean;
      const start = performance.now();
      act();
      while (!done()) await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - start;
    },
    [act, done] as const,
  );
}

/** The ID_code of the customer whose explanation is shown. */
const SHOWN = `document.querySelector('[data-testid="why-id-shown"]')?.textContent`;

/** Times scrolling the ranked list (32 px rows) until the row at `rank` is drawn. */
function scrollToRank(page: Page, rank: number): Promise<number> {
  return timed(
    page,
    `document.querySelector('[data-testid="customer-list"]').scrollTop = ${rank * 32}; document.querySelector('[data-testid="customer-list"]').dispatchEvent(new Event('scroll'));`,
    `document.getElementById('customer-${rank}') !== null`,
  );
}

/** Times a click on the row at `rank` until that customer's explanation is shown. */
function explainRank(page: Page, rank: number): Promise<number> {
  return timed(
    page,
    `document.getElementById('customer-${rank}').click();`,
    `${SHOWN} === document.querySelector('#customer-${rank} .id').textContent`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(file)) throw new Error(`${file} not found: pass --file <a full-size CSV>`);
  const server = await serveApp(BASE, PORT, OUT);
  try {
    const browser = await chromium.launch(CHROMIUM_LAUNCH);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.log('page error:', e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-ready="true"]', { timeout: 180_000 });
    // Frame-accurate times of "results shown" and "line figures shown", taken in the page.
    // (A string: tsx would wrap named functions in a helper the page does not have.)
    await page.evaluate(`(() => {
      const t = {};
      window.__t = t;
      const poll = () => {
        const now = performance.now();
        if (!t.download && document.querySelector('[data-testid="download"]')) t.download = now;
        if (!t.line && document.querySelector('[data-testid="flagged-count"]')) t.line = now;
        if (!t.line) requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    })()`);
    const picked = Date.now();
    await page.getByLabel('Customer file (.csv or .csv.gz)').setInputFiles(file);
    await page.getByTestId('flagged-count').waitFor({ timeout: 300_000 });
    const seconds = (Date.now() - picked) / 1000;
    const t = await page.evaluate(() => (window as unknown as { __t: Record<string, number> }).__t);
    const rows = await page.getByTestId('rows-scored').innerText();
    console.log(`file: ${file} (${rows} rows); scored and ranked in ${seconds.toFixed(1)} s`);
    console.log(
      `ranking in the worker (results shown -> line figures shown): ${(t.line - t.download).toFixed(0)} ms`,
    );

    // At once after ranking: the worker may still be indexing the file's lines, and this click waits for it.
    const coldRank = 150_000;
    await scrollToRank(page, coldRank);
    const cold = await explainRank(page, coldRank);
    console.log(
      `first explanation outside the top 100, right after ranking (waits for the line index): ${cold.toFixed(0)} ms`,
    );

    const count = `document.querySelector('[data-testid="flagged-count"]').textContent`;
    const setValue = (v: number) =>
      `const el = document.querySelector('[data-testid="line-value"]'); window.__before = ${count}; el.value = '${v}'; el.dispatchEvent(new Event('change', { bubbles: true }));`;
    const changed = `${count} !== window.__before`;

    // What "nothing at all" costs with this method: the two animation frames every figure below waits for.
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) floor.push(await timed(page, '', 'true'));
    stats('floor: no action, two animation frames', floor);

    const share: number[] = [];
    for (let i = 0; i < runs; i++) share.push(await timed(page, setValue(1 + ((i * 7) % 49) + 0.5), changed));
    stats('line: type a share of customers', share);

    await page.getByLabel('Everyone at or above a score').check();
    const score: number[] = [];
    for (let i = 0; i < runs; i++)
      score.push(await timed(page, setValue(2 + ((i * 13) % 90) + 0.25), changed));
    stats('line: type a score', score);

    const slide = (v: number) =>
      `const el = document.querySelector('[data-testid="line-slider"]'); window.__before = ${count}; el.value = '${v}'; el.dispatchEvent(new Event('input', { bubbles: true }));`;
    const slider: number[] = [];
    for (let i = 0; i < runs; i++) slider.push(await timed(page, slide(10 + i * 3.3), changed));
    stats('line: drag the slider (one input event)', slider);

    await scrollToRank(page, 0);
    const top: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate between two ranks so every click changes the customer shown.
      const rank = i % 2 === 0 ? i % 5 : 5 + (i % 5);
      top.push(await explainRank(page, rank));
    }
    stats('explain: click a top customer in the list', top);

    const scroll: number[] = [];
    for (let i = 0; i < runs; i++) {
      const rank = Math.floor(((i + 1) * 199_000) / runs);
      scroll.push(await scrollToRank(page, rank));
    }
    stats('list: jump-scroll to a far position', scroll);

    const far: number[] = [];
    for (let i = 0; i < Math.min(runs, 5); i++) {
      const rank = 150_000 + i * 9000;
      await scrollToRank(page, rank);
      far.push(await explainRank(page, rank));
    }
    stats('explain: click a customer outside the top 100', far);

    const search: number[] = [];
    const ids = await page.evaluate(() => {
      const list = document.querySelector('[data-testid="customer-list"]') as HTMLElement;
      list.scrollTop = 120_000 * 32;
      list.dispatchEvent(new Event('scroll'));
      return new Promise<string[]>((resolve) =>
        requestAnimationFrame(() =>
          resolve(
            [...document.querySelectorAll('[data-testid="customer-list"] .id')].map(
              (e) => e.textContent ?? '',
            ),
          ),
        ),
      );
    });
    for (const id of ids.slice(0, Math.min(runs, 5))) {
      search.push(
        await timed(
          page,
          `const input = document.getElementById('why-id'); input.value = ${JSON.stringify(id)}; input.dispatchEvent(new Event('input', { bubbles: true })); input.form.requestSubmit();`,
          `${SHOWN} === ${JSON.stringify(id)}`,
        ),
      );
    }
    stats('explain: search an ID_code (rank ~120,000)', search);

    const download: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = Date.now();
      const [d] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('download-flagged').click(),
      ]);
      await d.path();
      download.push(Date.now() - start);
    }
    stats('download with the flagged column (click -> file saved)', download);
    await browser.close();
  } finally {
    server.stop();
  }
}

await main();
