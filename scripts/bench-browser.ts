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
 *   - the CPU seconds each thread of the page's renderer process used from the drop to download-ready (utime +
 *     stime from /proc/<pid>/task/<tid>/stat): how busy each worker was, whatever else loads the machine. The
 *     scoring and reading workers are both named "DedicatedWorker" there (whatever name the page gives them), so
 *     threads sharing a name are listed by thread id; ids rise in start order (today the page starts the scoring
 *     worker, which starts the reading worker at once: the lower id is the scorer); a thread started after the
 *     drop is marked, and so is one that ended before download-ready (the unzip worker), counted up to its last
 *     reading (threads are read every 100 ms);
 *   - with --baseline DIR (another checkout, e.g. `git worktree add /work/data/<you>/base <commit>`, with
 *     node_modules; it may be a symlink to this one's): that checkout too, built into DIR/dist and served on the
 *     next port, its runs (the 300 MB CSV and the containers) alternating with this build's in the same browser
 *     (the order swapped each round), then side by side: drop to download-ready (the baseline's over this
 *     build's, bar 1.5x), each against the floor (bar 5x), peak renderer memory (bar: no higher) and renderer
 *     CPU, and each container's time, peak and CPU against the baseline's;
 *   - peak renderer memory (RSS of Chromium's renderer processes, polled; the workers live in the renderer) for
 *     the 300 MB file and a 600 MB file (the rows twice), from the drop to 2 s after download-ready;
 *   - the same table as a .zip (deflate) and as Parquet (DuckDB, snappy, 16,384-row groups; and DuckDB's default
 *     122,880-row groups), scored in the same page setup alternately with the plain CSV: time and peak renderer
 *     memory side by side, against the bars (within 1.5x the CSV's time, peak within 10% of the CSV's);
 *   - first visit to ready-to-score, and an offline reload to ready-to-score.
 * Options: --file <csv> (another full-size input), --skip-build (use the existing build), --out-dir DIR (build
 * into DIR instead of dist/, e.g. to keep another build of the same tree apart), --runs N (default 2),
 * --data-dir DIR (where generated and derived inputs go, default /work/data/bench-browser), --port N (default
 * 4175; a baseline uses the next), --baseline DIR, --only-csv (the floor and the 300 MB CSV only: no start-up
 * visits, no 600 MB file, no containers), --only-containers (skip the 600 MB file and the start-up visits),
 * --containers zip,parquet,parquet-122k (which containers to score, default all three),
 * --trace (print the scoring renderer's RSS every ~100 ms of each run), --settle MS (wait between "ready to
 * score" and the drop, default 300; the worker warms the model up right after "ready", and V8's optimising compile
 * it sets off holds ~100 MB for a moment: a drop within ~1 s can land on it).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { FEATURE_COUNT, FEATURE_NAMES, ID_COLUMN } from '../src/core/schema';
import type { ReaderTimings } from '../src/core/scoring/pipeline';
import type { ScoreTimings } from '../src/core/scoring/score-file';
import { CHROMIUM_LAUNCH, rendererRss } from '../tests/chromium';
import { zipSync } from '../tests/fixtures/zip-sync';
import { arg, serveApp, serveCheckout } from './preview';

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
  stop(): { peak: number; baseline: number; trace: [number, number][]; pid: number };
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
      return {
        peak: best.peak,
        baseline: best.baseline,
        trace: samples.get(best.pid) ?? [],
        pid: best.pid,
      };
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
 * The BYOB reader is held in a global, as src/worker/file-access.ts holds the app's: Chromium may collect an
 * unreferenced BYOB reader's stream while its read waits, and that read never settles.
 */
const READ_ONLY_WORKER = `onmessage = async (e) => {
  const { file, method } = e.data;
  const t = performance.now();
  let n = 0;
  if (method === 'byob') {
    const reader = (self.heldReader = file.stream().getReader({ mode: 'byob' }));
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

/** Clock ticks per second, the unit of utime and stime in /proc (100 on Linux, asked rather than assumed). */
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) so far of each thread of process `pid`, by thread id, from /proc. */
function threadCpu(pid: number): Map<number, { name: string; seconds: number }> {
  const out = new Map<number, { name: string; seconds: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // The name (comm, at most 15 bytes) is in parentheses and may hold spaces: the fields follow the last ')'.
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of the line; fields[0] here is field 3 (state).
      const ticks = Number(fields[11]) + Number(fields[12]);
      out.set(Number(tid), { name, seconds: ticks / TICKS_PER_SECOND });
    } catch {
      // the thread ended while we looked
    }
  }
  return out;
}

/** A thread's CPU seconds at its last reading; `ended`: it was gone at a later one. */
type ThreadReading = { name: string; seconds: number; ended?: boolean };

/**
 * Reads the threads of the processes `pids` every 100 ms until stopped, so that a thread which ends before the
 * last reading (the unzip worker, terminated once its member is read) keeps the CPU it used up to its last poll
 * (at most 100 ms of it is missed). stop() takes a last reading and returns, by pid, every thread seen.
 */
function threadWatch(pids: number[]): { stop(): Map<number, Map<number, ThreadReading>> } {
  const seen = new Map(pids.map((pid) => [pid, new Map<number, ThreadReading>()]));
  const read = () => {
    for (const [pid, threads] of seen) {
      const now = threadCpu(pid);
      for (const [tid, reading] of threads) if (!now.has(tid)) reading.ended = true;
      for (const [tid, reading] of now) threads.set(tid, reading);
    }
  };
  read();
  const timer = setInterval(read, 100);
  return {
    stop() {
      clearInterval(timer);
      read();
      return seen;
    },
  };
}

/**
 * One thread's CPU over a run. `started`: the thread was not there at the drop; `ended`: it was gone before
 * download-ready (its CPU counted up to its last reading).
 */
interface ThreadUse {
  name: string;
  tid: number;
  seconds: number;
  started: boolean;
  ended: boolean;
}

/** CPU seconds each thread used between two readings of one process, busiest first. */
function cpuBetween(before: Map<number, ThreadReading>, after: Map<number, ThreadReading>): ThreadUse[] {
  const used: ThreadUse[] = [];
  for (const [tid, { name, seconds, ended }] of after) {
    const earlier = before.get(tid);
    const spent = seconds - (earlier?.seconds ?? 0);
    if (spent > 0)
      used.push({ name, tid, seconds: spent, started: earlier === undefined, ended: ended === true });
  }
  return used.sort((a, b) => b.seconds - a.seconds || a.tid - b.tid);
}

/**
 * The renderer's CPU over a run: the total, cores busy on average over `ms` (the window's wall-clock length), and
 * each thread of at least 0.05 s. A name one thread holds is shown alone; a shared one (DedicatedWorker,
 * ThreadPoolForeg) as name[tid]; the process's first thread (tid = pid: the page's main thread) as "main thread".
 */
/** " (started after the drop, ended before download-ready)", either alone, or nothing. */
function marks(t: ThreadUse): string {
  const said = [t.started && 'started after the drop', t.ended && 'ended before download-ready'].filter(
    Boolean,
  );
  return said.length > 0 ? ` (${said.join(', ')})` : '';
}

function describeCpu(cpu: ThreadUse[], ms: number, pid: number): string {
  const total = cpu.reduce((n, t) => n + t.seconds, 0);
  const count = new Map<string, number>();
  for (const t of cpu) count.set(t.name, (count.get(t.name) ?? 0) + 1);
  const shown = cpu.filter((t) => t.seconds >= 0.05);
  const rest = total - shown.reduce((n, t) => n + t.seconds, 0);
  const parts = shown.map(
    (t) =>
      `${t.tid === pid ? 'main thread' : count.get(t.name)! > 1 ? `${t.name}[${t.tid}]` : t.name} ` +
      fmt(t.seconds, 2) +
      marks(t),
  );
  if (rest > 0) parts.push(`other threads ${fmt(rest, 2)}`);
  return (
    `renderer CPU from the drop to download-ready ${fmt(total, 2)} s (${fmt(total / (ms / 1000), 2)} cores busy ` +
    `on average): ${parts.join(', ')}`
  );
}

/** The workers' breakdowns (ms), as the results page carries them in data-timings. */
type Timings = ScoreTimings & {
  /** The reading worker's; missing on older builds, null where the scorer read the file itself. */
  reader?: ReaderTimings | null;
};

interface ScoreRun {
  ms: number;
  workerSeconds: number;
  /** Null for a build whose results page carries no data-timings (an older baseline). */
  timings: Timings | null;
  peak: number;
  baseline: number;
  rows: string;
  /** CPU seconds of the page's renderer threads from the drop to download-ready. */
  cpu: ThreadUse[];
  /** The wall-clock length (ms, Node's clock) of the window `cpu` covers. */
  cpuWallMs: number;
  /** The page's renderer process. */
  pid: number;
}

async function scoreOnce(browser: Browser, url: string, path: string): Promise<ScoreRun> {
  const context = await browser.newContext({ acceptDownloads: true, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.addInitScript(DROP_PROBE);
  await page.goto(url);
  await waitReady(page);
  // Let start-up garbage settle before the baseline.
  await new Promise((r) => setTimeout(r, Number(arg('settle') ?? 300)));
  // Every renderer's threads, as the page's renderer is only known (by its memory) after the run.
  const cpuBefore = new Map([...rendererRss().keys()].map((pid) => [pid, threadCpu(pid)]));
  const watch = threadWatch([...cpuBefore.keys()]);
  const cpuFrom = performance.now();
  const probe = memoryProbe();
  await page.setInputFiles('#file-input', path);
  await page.locator('[data-testid="download"]').waitFor({ timeout: 300_000 });
  // Read as soon as Playwright sees the link (its checks space out, so this window is a little wider than the
  // page's drop to download-ready; cpuWallMs is its own length), before the results page adds its own work.
  const cpuAfter = watch.stop();
  const cpuWallMs = performance.now() - cpuFrom;
  const ms = await page.evaluate(() => {
    const w = window as unknown as { __dropAt: number; __downloadAt: number };
    return w.__downloadAt - w.__dropAt;
  });
  // The results page ranks the scores and indexes the file right after: its memory counts too.
  await new Promise((r) => setTimeout(r, AFTER_READY_MS));
  const { peak, baseline, trace, pid } = probe.stop();
  if (process.argv.includes('--trace')) {
    // The scoring renderer's RSS every ~100 ms: where in the run the peak falls.
    const shown = trace.filter((_, i) => i % 4 === 0 || i === trace.length - 1);
    console.log(`  RSS (ms:MB) ${shown.map(([t, b]) => `${fmt(t)}:${fmt(mb(b))}`).join(' ')}`);
  }
  const metaLine = page.locator('.results .meta').first();
  const meta = await metaLine.innerText();
  const workerSeconds = Number(/in ([\d.]+) s/.exec(meta)?.[1] ?? NaN);
  const timings = JSON.parse((await metaLine.getAttribute('data-timings')) ?? 'null') as Timings | null;
  const rows = await page.getByTestId('rows-scored').innerText();
  await context.close();
  const cpu = cpuBetween(cpuBefore.get(pid) ?? new Map(), cpuAfter.get(pid) ?? new Map());
  return { ms, workerSeconds, timings, peak, baseline, rows, cpu, cpuWallMs, pid };
}

const mb = (bytes: number) => bytes / 1e6;
const fmt = (n: number, digits = 0) => n.toFixed(digits);
const bar = (ok: boolean) => (ok ? 'meets the bar' : 'MISSES the bar');

/** A checkout's commit, and whether its tree differs from it: what a build was made from. */
function describeCheckout(dir: string): string {
  const git = (...args: string[]) =>
    spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).stdout.trim();
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  return `${resolve(dir)} at ${git('rev-parse', '--short', 'HEAD') || '?'}${dirty ? ' with uncommitted changes' : ''}`;
}

/** A build being measured: a short name for each line, and where it is served. */
interface Build {
  name: 'this build' | 'baseline';
  url: string;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? 2);
  const onlyCsv = process.argv.includes('--only-csv');
  const only = onlyCsv || process.argv.includes('--only-containers');
  const baselineDir = arg('baseline');
  const synth = join(DATA, 'synth', 'test.csv');
  const file300 =
    arg('file') ?? (existsSync(synth) ? synth : await generated(join(OWN, 'test-200k.csv'), 200_000));
  mkdirSync(OWN, { recursive: true });
  const file600 = only ? null : await doubled(file300, join(OWN, 'test-600mb-distinct-ids.csv'));
  const kinds = (arg('containers') ?? 'zip,parquet,parquet-122k').split(',');
  const unknown = kinds.filter((k) => !['zip', 'parquet', 'parquet-122k'].includes(k));
  if (unknown.length > 0) throw new Error(`--containers: unknown ${unknown.join(', ')}`);
  const containers: [string, string][] = [];
  if (!onlyCsv && kinds.includes('zip'))
    containers.push(['300 MB .zip', zipped(file300, join(OWN, 'test.csv.zip'))]);
  if (!onlyCsv && kinds.includes('parquet')) {
    containers.push(['300 MB Parquet', await parquet(file300, join(OWN, 'test-16k-groups.parquet'), 16_384)]);
  }
  if (!onlyCsv && kinds.includes('parquet-122k')) {
    containers.push([
      '300 MB Parquet, 122,880-row groups',
      await parquet(file300, join(OWN, 'test-122k-groups.parquet'), 122_880),
    ]);
  }
  // The baseline builds into its own checkout's dist/: never where this build goes.
  const baselineOut = baselineDir ? join(resolve(baselineDir), 'dist') : null;
  if (baselineOut && baselineOut === resolve(arg('out-dir') ?? 'dist'))
    throw new Error(`--baseline ${baselineDir} would build into ${baselineOut}, where this build goes`);
  const server = await serveApp(BASE, PORT);
  let baseline: { url: string; stop(): void } | null = null;
  try {
    if (baselineDir) {
      console.log(`building and serving the baseline ${baselineDir}…`);
      baseline = await serveCheckout(BASE, PORT + 1, baselineOut!, baselineDir);
    }
    const browser = await chromium.launch(CHROMIUM_LAUNCH);
    console.log(`Chromium ${browser.version()}, ${file300} (${fmt(mb(statSync(file300).size))} MB)`);
    console.log(`this build: ${describeCheckout('.')}, ${server.url}`);
    if (baseline) console.log(`baseline: ${describeCheckout(baselineDir!)}, ${baseline.url}`);
    console.log('');

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

    const ours: Build = { name: 'this build', url: server.url };
    const builds: Build[] = baseline ? [ours, { name: 'baseline', url: baseline.url }] : [ours];
    const results: {
      label: string;
      build: Build['name'];
      bytes: number;
      run: ScoreRun;
      readMs: number;
    }[] = [];
    // Alternating kinds (and builds, in swapped order each round) within each round, so the machine's drift hits
    // them alike.
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? builds : [...builds].reverse();
      const jobs: [string, string, Build][] = [
        ...order.map((build): [string, string, Build] => ['300 MB', file300, build]),
        ...containers.flatMap(([label, path]) =>
          order.map((build): [string, string, Build] => [label, path, build]),
        ),
      ];
      for (const [label, path, build] of jobs) {
        const run = await scoreOnce(browser, build.url, path);
        // The floor right after, both ways, alternating which goes first.
        const methods: ReadMethod[] = i % 2 === 0 ? ['byob', 'default'] : ['default', 'byob'];
        const read: Record<ReadMethod, number> = { byob: NaN, default: NaN };
        for (const method of methods) read[method] = await readBytesOnly(browser, server.url, path, method);
        const readMs = Math.min(read.byob, read.default);
        const bytes = statSync(path).size;
        results.push({ label, build: build.name, bytes, run, readMs });
        const t = run.timings;
        console.log(
          `${label}${baseline ? `, ${build.name}` : ''} run ${i + 1}: ${run.rows} rows, drop to download-ready ` +
            `${fmt(run.ms)} ms (${fmt(mb(bytes) / (run.ms / 1000))} MB/s of the file; worker ${run.workerSeconds} s); ` +
            `page renderer RSS ${fmt(mb(run.baseline))} MB before, peak ${fmt(mb(run.peak))} MB\n` +
            `  floor, reading the bytes only in a blank page's worker: BYOB into a reused buffer ${fmt(read.byob)} ms, ` +
            `default reader ${fmt(read.default)} ms; drop to download-ready = ${fmt(run.ms / readMs, 1)}x the faster\n` +
            (t
              ? `  scoring worker: waiting for the reader (read + parse) ${fmt(t.wait)} ms, model ${fmt(t.model)} ms, ` +
                `drift ${fmt(t.drift)} ms, rows (issues, ids, predictions.csv lines) ${fmt(t.rows)} ms, ` +
                `ranking and evaluation ${fmt(t.rank)} ms\n` +
                (t.reader
                  ? `  reading worker: waiting for bytes ${fmt(t.reader.read)} ms, parsing (and the line index) ` +
                    `${fmt(t.reader.parse)} ms, handing batches on (waiting for the scorer) ${fmt(t.reader.handing)} ms\n` +
                    (t.reader.unzip
                      ? `  unzip worker: ${fmt(t.reader.unzip.total)} ms, of which waiting for the next unpacked ` +
                        `chunk (reading and inflating) ${fmt(t.reader.unzip.unpack)} ms, waiting for the reader to ` +
                        `hand a piece back ${fmt(t.reader.unzip.room)} ms\n`
                      : '')
                  : '')
              : "  scoring worker: no breakdown (no data-timings on this build's results page)\n") +
            `  ${describeCpu(run.cpu, run.cpuWallMs, run.pid)}`,
        );
      }
    }
    for (let i = 0; i < (file600 ? runs : 0); i++) {
      const run = await scoreOnce(browser, server.url, file600!);
      const bytes = statSync(file600!).size;
      results.push({ label: '600 MB', build: 'this build', bytes, run, readMs: NaN });
      console.log(
        `600 MB run ${i + 1}: ${run.rows} rows, drop to download-ready ${fmt(run.ms)} ms ` +
          `(${fmt(mb(bytes) / (run.ms / 1000))} MB/s); page renderer RSS ${fmt(mb(run.baseline))} MB before, ` +
          `peak ${fmt(mb(run.peak))} MB\n  ${describeCpu(run.cpu, run.cpuWallMs, run.pid)}`,
      );
    }
    await browser.close();

    const of = (label: string, build: Build['name'] = 'this build') =>
      results.filter((r) => r.label === label && r.build === build);
    /** The renderer's CPU seconds over a run, all threads. */
    const cpuSeconds = (r: (typeof results)[number]) => r.run.cpu.reduce((n, t) => n + t.seconds, 0);
    const fastestOf = (label: string, build?: Build['name']) =>
      Math.min(...of(label, build).map((r) => r.run.ms));
    const peakOf = (label: string, build?: Build['name']) =>
      Math.max(...of(label, build).map((r) => r.run.peak));
    const fastest = fastestOf('300 MB');
    const peak300 = peakOf('300 MB');
    // The floor of every 300 MB CSV run, whichever build it followed.
    const floor = Math.min(...results.filter((r) => r.label === '300 MB').map((r) => r.readMs));
    console.log('\nBars');
    console.log(
      `  drop to download-ready (300 MB, best of ${runs}): ${fmt(fastest)} ms; <= 3000 ms ${bar(fastest <= 3000)}`,
    );
    console.log(
      `  peak renderer memory, 300 MB file: ${fmt(mb(peak300))} MB; <= 400 MB ${bar(mb(peak300) <= 400)}`,
    );
    console.log(
      `  drop to download-ready vs the floor (300 MB, best of each): ${fmt(fastest)} / ${fmt(floor)} ms = ` +
        `${fmt(fastest / floor, 1)}x; <= 5x ${bar(fastest <= floor * 5)}`,
    );
    if (baseline) {
      const times = (build: Build['name']) => of('300 MB', build).map((r) => fmt(r.run.ms));
      const median = (xs: number[]) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const mid = sorted.length >> 1;
        return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
      };
      const medianMs = (build: Build['name']) => median(of('300 MB', build).map((r) => r.run.ms));
      const cpuOf = (build: Build['name']) => median(of('300 MB', build).map(cpuSeconds));
      const old = fastestOf('300 MB', 'baseline');
      const oldPeak = peakOf('300 MB', 'baseline');
      console.log(
        `  against the baseline, drop to download-ready (300 MB, best of ${runs} each, alternating): ` +
          `${fmt(old)} -> ${fmt(fastest)} ms = ${fmt(old / fastest, 2)}x faster (medians ${fmt(medianMs('baseline'))} ` +
          `-> ${fmt(medianMs('this build'))} ms = ${fmt(medianMs('baseline') / medianMs('this build'), 2)}x; runs: ` +
          `baseline ${times('baseline').join(', ')}, this build ${times('this build').join(', ')} ms); ` +
          `>= 1.5x ${bar(old >= fastest * 1.5)}`,
      );
      console.log(
        `  against the floor (${fmt(floor)} ms), best of each: this build ${fmt(fastest / floor, 1)}x ` +
          `${bar(fastest <= floor * 5)}, baseline ${fmt(old / floor, 1)}x ${bar(old <= floor * 5)} (<= 5x)`,
      );
      console.log(
        `  peak renderer memory against the baseline (300 MB): ${fmt(mb(oldPeak))} -> ${fmt(mb(peak300))} MB; ` +
          `no higher ${bar(peak300 <= oldPeak)}`,
      );
      console.log(
        `  renderer CPU from the drop to download-ready (300 MB, median; the work done, whatever the load): ` +
          `${fmt(cpuOf('baseline'), 2)} -> ${fmt(cpuOf('this build'), 2)} s (baseline / this build ` +
          `= ${fmt(cpuOf('baseline') / cpuOf('this build'), 2)}x)`,
      );
    }
    for (const [label] of containers) {
      const ms = fastestOf(label);
      const peak = peakOf(label);
      console.log(
        `  ${label} vs the CSV (best of ${runs} each): ${fmt(ms)} ms = ${fmt(ms / fastest, 2)}x, <= 1.5x ` +
          `${bar(ms <= fastest * 1.5)}; peak ${fmt(mb(peak))} MB = ${fmt((peak / peak300 - 1) * 100, 1)}% vs the ` +
          `CSV's ${fmt(mb(peak300))} MB, <= 10% more ${bar(peak <= peak300 * 1.1)}`,
      );
      if (baseline) {
        const cpu = (build: Build['name']) => Math.min(...of(label, build).map(cpuSeconds));
        console.log(
          `    against the baseline (best of ${runs} each, alternating): ${fmt(fastestOf(label, 'baseline'))} -> ` +
            `${fmt(ms)} ms, peak ${fmt(mb(peakOf(label, 'baseline')))} -> ${fmt(mb(peak))} MB, renderer CPU ` +
            `${fmt(cpu('baseline'), 2)} -> ${fmt(cpu('this build'), 2)} s`,
        );
      }
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
    baseline?.stop();
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
