/**
 * Browser benchmark of the built app (`npm run bench:browser`): prints figures, asserts nothing.
 *
 * Full-size input: 200,000 rows x 200 features (/work/data/synth/test.csv when present, else a generated file of
 * the same shape), scored in headless Chromium against `vite build --base /santander-scorer/` + `vite preview`:
 *   - drop to download-ready (setInputFiles -> download link shown), MB/s, and the ratio to the floor: reading
 *     the same File's bytes only, in a worker of a blank page, with a BYOB reader into a reused buffer and with
 *     the default reader, measured right after each run;
 *   - the scoring worker's breakdown of each run (waiting for the reader, model, drift, rows, ranking), so the
 *     next bottleneck is visible;
 *   - peak renderer memory (RSS of Chromium's renderer processes, polled; the workers live in the renderer) for
 *     the 300 MB file and a 600 MB file (the rows twice), from the drop to 2 s after download-ready;
 *   - the same table as a .zip (deflate) and as Parquet (DuckDB, snappy, 16,384-row groups; and DuckDB's default
 *     122,880-row groups), scored in the same page setup alternately with the plain CSV: time and peak renderer
 *     memory side by side, against the bars (within 1.5x the CSV's time, peak within 10% of the CSV's);
 *   - first visit to ready-to-score, and an offline reload to ready-to-score.
 * Options: --file <csv> (another full-size input), --skip-build (use the existing build), --out-dir DIR (build
 * into DIR instead of dist/, e.g. to keep another build of the same tree apart), --runs N (default 2),
 * --data-dir DIR (where generated and derived inputs go, default /work/data/bench-browser), --port N (default
 * 4175), --only-containers (skip the 600 MB file and the start-up visits),
 * --trace (print the scoring renderer's RSS every ~100 ms of each run), --settle MS (wait between "ready to score" and the drop, default 300; the worker warms the model up right after
 * "ready", and V8's optimising compile it sets off holds ~100 MB for a moment: a drop within ~1 s can land on it).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { chromium, type Browser, type Page } from '@playwright/test';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FEATURE_COUNT, FEATURE_NAMES, ID_COLUMN } from '../src/core/schema';
import { CHROMIUM_LAUNCH, rendererRss } from '../tests/chromium';
import { zipSync } from '../tests/fixtures/zip-sync';
import { arg, serveApp } from './preview';

const BASE = '/santander-scorer/';
const PORT = Number(arg('port') ?? 4175);
/** How long memory is still sampled after the download link shows (the insights' ranking and line index). */
const AFTER_READY_MS = 2000;
const DATA = '/work/data';
const OWN = arg('data-dir') ?? join(DATA, 'bench-browser');

/** 200,000 rows x 200 random 4-decimal values, written once and reused. */
async function generated(path: string, rows: number): Promise<string> {
  if (existsSync(path)) return path;
  mkdirSync(OWN, { recursive: true });
  console.log(`generating ${path} (${rows} rows)…`);
  const out = createWriteStream(`${path}.tmp`);
  out.write(`${[ID_COLUMN, ...FEATURE_NAMES].join(',')}\n`);
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  for (let start = 0; start < rows; start += 1000) {
    let chunk = '';
    for (let i = start; i < Math.min(rows, start + 1000); i++) {
      let line = `test_${i}`;
      for (let j = 0; j < FEATURE_COUNT; j++) line += `,${(random() * 40 - 15).toFixed(4)}`;
      chunk += `${line}\n`;
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${path}.tmp`, path);
  return path;
}

/**
 * The rows twice, the second copy's ids suffixed `_2` so every id stays distinct: twice the size of a clean file.
 * (Repeating the ids instead would make 200,000 rows "repeated id" issues, a different workload: the app then
 * also keeps those rows' details for the affected-rows download.)
 */
async function doubled(source: string, path: string): Promise<string> {
  if (existsSync(path) && statSync(path).size > statSync(source).size) return path;
  mkdirSync(OWN, { recursive: true });
  console.log(`writing ${path} (the rows of ${source} twice, ids made distinct)…`);
  const out = createWriteStream(`${path}.tmp`);
  for (let copy = 0; copy < 2; copy++) {
    const lines = createInterface({ input: createReadStream(source), crlfDelay: Infinity });
    let header = true;
    let chunk = '';
    for await (const line of lines) {
      if (header) {
        header = false;
        if (copy === 1) continue;
        chunk += `${line}\n`;
        continue;
      }
      if (copy === 0) chunk += `${line}\n`;
      else {
        const comma = line.indexOf(',');
        chunk += `${line.slice(0, comma)}_2${line.slice(comma)}\n`;
      }
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.write(chunk);
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${path}.tmp`, path);
  return path;
}

/** The table as a zip archive of one deflated member (as Kaggle's test.csv.zip), written once. */
function zipped(source: string, path: string): string {
  if (existsSync(path)) return path;
  console.log(`writing ${path} (deflate)…`);
  writeFileSync(`${path}.tmp`, zipSync([{ name: 'test.csv', data: readFileSync(source) }]));
  renameSync(`${path}.tmp`, path);
  return path;
}

/** The table as Parquet written by DuckDB (snappy, DOUBLE features), with row groups of `groupRows`. */
async function parquet(source: string, path: string, groupRows: number): Promise<string> {
  if (existsSync(path)) return path;
  console.log(`writing ${path} (DuckDB, ${groupRows}-row groups)…`);
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run(
    `COPY (SELECT * FROM read_csv('${source}', header = true)) TO '${path}.tmp' ` +
      `(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${groupRows})`,
  );
  connection.closeSync();
  db.closeSync();
  renameSync(`${path}.tmp`, path);
  return path;
}

/**
 * Polls renderer memory until stopped. The page, its scoring worker and the nested reading worker share one
 * renderer process; its peak RSS is the figure.
 */
function memoryProbe(): {
  stop(): { peak: number; baseline: number; trace: [number, number][] };
} {
  const baseline = rendererRss();
  const peaks = new Map(baseline);
  const t0 = performance.now();
  const samples = new Map<number, [number, number][]>();
  const sample = () => {
    const t = performance.now() - t0;
    for (const [pid, rss] of rendererRss()) {
      peaks.set(pid, Math.max(peaks.get(pid) ?? 0, rss));
      const trace = samples.get(pid);
      if (trace) trace.push([t, rss]);
      else samples.set(pid, [[t, rss]]);
    }
  };
  const timer = setInterval(sample, 25);
  return {
    stop() {
      clearInterval(timer);
      sample();
      // The page's renderer is the largest of those already there at the drop: the others are a spare renderer
      // or two (~165 MB) Chromium keeps or starts meanwhile. (Not the one that grew most: a file dropped during the
      // start-up compile may never take the page above where it stood at the drop.)
      let best = { peak: 0, baseline: 0, pid: 0 };
      for (const [pid, peak] of peaks) {
        const before = baseline.get(pid);
        if (before !== undefined && peak > best.peak) best = { peak, baseline: before, pid };
      }
      return { peak: best.peak, baseline: best.baseline, trace: samples.get(best.pid) ?? [] };
    },
  };
}

async function waitReady(page: Page): Promise<void> {
  await page.locator('[data-testid="model-status"][data-ready="true"]').waitFor({ timeout: 60_000 });
}

/**
 * Records, on the page's own clock (ms since its navigation started), when the file input appears and when the
 * model status turns ready. Read in the page: Playwright's waits re-check at growing intervals (0, 20, 50, 100,
 * 100, 500, 1000 ms), so a page ready ~400 ms after navigation was reported at ~900 ms.
 */
const START_UP_PROBE = `new MutationObserver((_, observer) => {
  if (window.__shownAt === undefined && document.querySelector('#file-input'))
    window.__shownAt = performance.now();
  if (document.querySelector('[data-testid="model-status"][data-ready="true"]')) {
    window.__readyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, attributes: true, childList: true });`;

/**
 * Records, on the page's clock, when the file input reports a picked file (the app's own `change` listener runs
 * after this capturing one) and when the download link appears: drop to download-ready without Playwright's
 * polling in it.
 */
const DROP_PROBE = `document.addEventListener('change', (e) => {
  if (e.target && e.target.id === 'file-input') window.__dropAt = performance.now();
}, true);
new MutationObserver(() => {
  if (window.__dropAt !== undefined && window.__downloadAt === undefined && document.querySelector('[data-testid="download"]'))
    window.__downloadAt = performance.now();
}).observe(document, { subtree: true, attributes: true, childList: true });`;

/**
 * Opens `url` (without one, reloads the page) and returns the milliseconds from navigation start to the file
 * input shown and to ready-to-score (the page needs START_UP_PROBE).
 */
async function visit(page: Page, url?: string): Promise<{ interactive: number; ready: number }> {
  if (url) await page.goto(url, { waitUntil: 'commit' });
  else await page.reload({ waitUntil: 'commit' });
  await waitReady(page);
  return page.evaluate(() => {
    const w = window as unknown as { __shownAt: number; __readyAt: number };
    return { interactive: w.__shownAt, ready: w.__readyAt };
  });
}

/**
 * A worker that reads a File and counts its bytes: the floor any parser stands on. `byob`: a BYOB reader into one
 * reused 4 MiB buffer (the fastest way measured here); `default`: the default stream reader, as a first try would.
 */
const READ_ONLY_WORKER = `onmessage = async (e) => {
  const { file, method } = e.data;
  const t = performance.now();
  let n = 0;
  if (method === 'byob') {
    const reader = file.stream().getReader({ mode: 'byob' });
    let buffer = new ArrayBuffer(4 << 20);
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done) break;
      n += value.byteLength;
      buffer = value.buffer;
    }
  } else {
    const reader = file.stream().getReader();
    for (;;) { const { done, value } = await reader.read(); if (done) break; n += value.byteLength; }
  }
  postMessage({ ms: performance.now() - t, n });
};`;

/** How the floor read the file. */
type ReadMethod = 'byob' | 'default';

/**
 * Reads the File's bytes in a worker of a blank page of the app's origin (not the app: its workers would compete),
 * in a context of its own. Returns the milliseconds.
 */
async function readBytesOnly(
  browser: Browser,
  origin: string,
  path: string,
  method: ReadMethod,
): Promise<number> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.route('**/__bench-floor.html', (route) =>
    route.fulfill({
      body: '<!doctype html><title>floor</title><input type="file" id="bench-input">',
      contentType: 'text/html',
    }),
  );
  await page.route('**/__bench-read-only.js', (route) =>
    route.fulfill({ body: READ_ONLY_WORKER, contentType: 'text/javascript' }),
  );
  await page.goto(new URL('__bench-floor.html', origin).href);
  await page.setInputFiles('#bench-input', path);
  const result = await page.evaluate(async (method) => {
    const file = document.querySelector<HTMLInputElement>('#bench-input')!.files![0];
    const worker = new Worker('__bench-read-only.js');
    const result = await new Promise<{ ms: number; n: number }>((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = () => reject(new Error('the read-only worker did not start'));
      worker.postMessage({ file, method });
    });
    worker.terminate();
    return { ...result, size: file.size };
  }, method);
  await context.close();
  if (result.n !== result.size)
    throw new Error(`the ${method} read gave ${result.n} of ${result.size} bytes`);
  return result.ms;
}

/** The scoring worker's breakdown (ms), as the results page carries it (ScoreTimings). */
interface Timings {
  wait: number;
  model: number;
  drift: number;
  rows: number;
  rank: number;
}

interface ScoreRun {
  ms: number;
  workerSeconds: number;
  timings: Timings;
  peak: number;
  baseline: number;
  rows: string;
}

async function scoreOnce(browser: Browser, url: string, path: string): Promise<ScoreRun> {
  const context = await browser.newContext({ acceptDownloads: true, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.addInitScript(DROP_PROBE);
  await page.goto(url);
  await waitReady(page);
  // Let start-up garbage settle before the baseline.
  await new Promise((r) => setTimeout(r, Number(arg('settle') ?? 300)));
  const probe = memoryProbe();
  await page.setInputFiles('#file-input', path);
  await page.locator('[data-testid="download"]').waitFor({ timeout: 300_000 });
  const ms = await page.evaluate(() => {
    const w = window as unknown as { __dropAt: number; __downloadAt: number };
    return w.__downloadAt - w.__dropAt;
  });
  // The results page ranks the scores and indexes the file right after: its memory counts too.
  await new Promise((r) => setTimeout(r, AFTER_READY_MS));
  const { peak, baseline, trace } = probe.stop();
  if (process.argv.includes('--trace')) {
    // The scoring renderer's RSS every ~100 ms: where in the run the peak falls.
    const shown = trace.filter((_, i) => i % 4 === 0 || i === trace.length - 1);
    console.log(`  RSS (ms:MB) ${shown.map(([t, b]) => `${fmt(t)}:${fmt(mb(b))}`).join(' ')}`);
  }
  const metaLine = page.locator('.results .meta').first();
  const meta = await metaLine.innerText();
  const workerSeconds = Number(/in ([\d.]+) s/.exec(meta)?.[1] ?? NaN);
  const timings = JSON.parse((await metaLine.getAttribute('data-timings')) ?? 'null') as Timings;
  const rows = await page.getByTestId('rows-scored').innerText();
  await context.close();
  return { ms, workerSeconds, timings, peak, baseline, rows };
}

const mb = (bytes: number) => bytes / 1e6;
const fmt = (n: number, digits = 0) => n.toFixed(digits);
const bar = (ok: boolean) => (ok ? 'meets the bar' : 'MISSES the bar');

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? 2);
  const only = process.argv.includes('--only-containers');
  const synth = join(DATA, 'synth', 'test.csv');
  const file300 =
    arg('file') ?? (existsSync(synth) ? synth : await generated(join(OWN, 'test-200k.csv'), 200_000));
  mkdirSync(OWN, { recursive: true });
  const file600 = only ? null : await doubled(file300, join(OWN, 'test-600mb-distinct-ids.csv'));
  const zip300 = zipped(file300, join(OWN, 'test.csv.zip'));
  const parquet300 = await parquet(file300, join(OWN, 'test-16k-groups.parquet'), 16_384);
  const parquetBig = await parquet(file300, join(OWN, 'test-122k-groups.parquet'), 122_880);
  const server = await serveApp(BASE, PORT);
  try {
    const browser = await chromium.launch(CHROMIUM_LAUNCH);
    console.log(`Chromium ${browser.version()}, ${file300} (${fmt(mb(statSync(file300).size))} MB)\n`);

    // Start-up: a fresh profile per visit; then the same context offline once its service worker is active.
    const visits: { interactive: number; ready: number }[] = [];
    const offline: { interactive: number; ready: number }[] = [];
    for (let i = 0; i < (only ? 0 : runs); i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(START_UP_PROBE);
      visits.push(await visit(page, server.url));
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await context.setOffline(true);
      offline.push(await visit(page));
      await context.close();
    }
    const best = (xs: { ready: number }[]) => Math.min(...xs.map((x) => x.ready));
    for (const [i, v] of visits.entries()) {
      console.log(
        `first visit ${i + 1}: page shown ${fmt(v.interactive)} ms, ready to score ${fmt(v.ready)} ms`,
      );
      console.log(
        `offline reload ${i + 1}: page shown ${fmt(offline[i].interactive)} ms, ready ${fmt(offline[i].ready)} ms`,
      );
    }

    const results: { label: string; bytes: number; run: ScoreRun; readMs: number }[] = [];
    const inputs: [string, string][] = [
      ['300 MB', file300],
      ['300 MB .zip', zip300],
      ['300 MB Parquet', parquet300],
      ['300 MB Parquet, 122,880-row groups', parquetBig],
    ];
    // Alternating kinds within each round, so the machine's drift hits them alike.
    for (let i = 0; i < runs; i++) {
      for (const [label, path] of inputs) {
        const run = await scoreOnce(browser, server.url, path);
        // The floor right after, both ways, alternating which goes first.
        const methods: ReadMethod[] = i % 2 === 0 ? ['byob', 'default'] : ['default', 'byob'];
        const read: Record<ReadMethod, number> = { byob: NaN, default: NaN };
        for (const method of methods) read[method] = await readBytesOnly(browser, server.url, path, method);
        const readMs = Math.min(read.byob, read.default);
        const bytes = statSync(path).size;
        results.push({ label, bytes, run, readMs });
        const t = run.timings;
        console.log(
          `${label} run ${i + 1}: ${run.rows} rows, drop to download-ready ${fmt(run.ms)} ms ` +
            `(${fmt(mb(bytes) / (run.ms / 1000))} MB/s of the file; worker ${run.workerSeconds} s); ` +
            `page renderer RSS ${fmt(mb(run.baseline))} MB before, peak ${fmt(mb(run.peak))} MB\n` +
            `  floor, reading the bytes only in a blank page's worker: BYOB into a reused buffer ${fmt(read.byob)} ms, ` +
            `default reader ${fmt(read.default)} ms; drop to download-ready = ${fmt(run.ms / readMs, 1)}x the faster\n` +
            `  scoring worker: waiting for the reader (read + parse) ${fmt(t.wait)} ms, model ${fmt(t.model)} ms, ` +
            `drift ${fmt(t.drift)} ms, rows (issues, ids, predictions.csv lines) ${fmt(t.rows)} ms, ` +
            `ranking and evaluation ${fmt(t.rank)} ms`,
        );
      }
    }
    for (let i = 0; i < (file600 ? runs : 0); i++) {
      const run = await scoreOnce(browser, server.url, file600!);
      const bytes = statSync(file600!).size;
      results.push({ label: '600 MB', bytes, run, readMs: NaN });
      console.log(
        `600 MB run ${i + 1}: ${run.rows} rows, drop to download-ready ${fmt(run.ms)} ms ` +
          `(${fmt(mb(bytes) / (run.ms / 1000))} MB/s); page renderer RSS ${fmt(mb(run.baseline))} MB before, ` +
          `peak ${fmt(mb(run.peak))} MB`,
      );
    }
    await browser.close();

    const of = (label: string) => results.filter((r) => r.label === label);
    const fastestOf = (label: string) => Math.min(...of(label).map((r) => r.run.ms));
    const peakOf = (label: string) => Math.max(...of(label).map((r) => r.run.peak));
    const fastest = fastestOf('300 MB');
    const peak300 = peakOf('300 MB');
    console.log('\nBars');
    console.log(
      `  drop to download-ready (300 MB, best of ${runs}): ${fmt(fastest)} ms; <= 3000 ms ${bar(fastest <= 3000)}`,
    );
    console.log(
      `  peak renderer memory, 300 MB file: ${fmt(mb(peak300))} MB; <= 400 MB ${bar(mb(peak300) <= 400)}`,
    );
    const floor = Math.min(...of('300 MB').map((r) => r.readMs));
    console.log(
      `  drop to download-ready vs the floor (300 MB, best of each): ${fmt(fastest)} / ${fmt(floor)} ms = ` +
        `${fmt(fastest / floor, 1)}x; <= 5x ${bar(fastest <= floor * 5)}`,
    );
    for (const [label] of inputs.slice(1)) {
      const ms = fastestOf(label);
      const peak = peakOf(label);
      console.log(
        `  ${label} vs the CSV (best of ${runs} each): ${fmt(ms)} ms = ${fmt(ms / fastest, 2)}x, <= 1.5x ` +
          `${bar(ms <= fastest * 1.5)}; peak ${fmt(mb(peak))} MB = ${fmt((peak / peak300 - 1) * 100, 1)}% vs the ` +
          `CSV's ${fmt(mb(peak300))} MB, <= 10% more ${bar(peak <= peak300 * 1.1)}`,
      );
    }
    if (file600) {
      const peak600 = peakOf('600 MB');
      console.log(
        `  peak renderer memory, 600 MB file: ${fmt(mb(peak600))} MB (${fmt(Math.abs(peak600 / peak300 - 1) * 100, 1)}% ` +
          `${peak600 >= peak300 ? 'more' : 'less'} than the 300 MB file); ` +
          `<= 10% more ${bar(peak600 <= peak300 * 1.1)}`,
      );
    }
    if (visits.length > 0) {
      console.log(
        `  first visit to ready-to-score (best): ${fmt(best(visits))} ms; <= 1500 ms ${bar(best(visits) <= 1500)}`,
      );
      console.log(
        `  offline reload to ready (best): ${fmt(best(offline))} ms; <= 1000 ms ${bar(best(offline) <= 1000)}`,
      );
    }
  } finally {
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
