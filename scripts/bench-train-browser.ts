/**
 * Training in the browser against the CLI (`npm run bench:train-browser`): prints figures and the bars, asserts
 * nothing. In one run, on the same full-size synthetic train.csv and seed:
 *   - `npm run train` (the Node CLI): wall time of the process and the card's trainSeconds;
 *   - the app in headless Chromium (vite build --base /santander-scorer/ + vite preview): "Train a model on a
 *     labelled file", from the pick to "Trained on …" on the page's clock (in use or not: the model in use is
 *     compared on the same holdout rows first), the card's trainSeconds,
 *     and the peak renderer memory (RSS of Chromium's renderer processes, polled every 100 ms: the workers live
 *     in the renderer);
 *   - the downloaded model-<version>.zip: its model.onnx byte for byte against the CLI's;
 *   - that model.onnx scoring test.csv through the CLI (`npm run score`): AUC on test-labels.csv against the
 *     Bayes-optimal log-odds (`npm run data -- bayes`, cached next to the data);
 *   - Cancel during smoothing: click to "ready" (progress gone, the train button enabled), on the page's clock.
 * Bars (issue 13): >= 0.995 of Bayes-optimal, browser time <= 2x the CLI's, peak renderer <= 1.2 GB, Cancel
 * <= 0.5 s, byte-identical model.onnx.
 *
 * Options: --dir DIR (train.csv, test.csv, test-labels.csv, spec.json; default /work/data/fitter/synth, made with
 * `npm run data -- --rows 200000 --out DIR` when missing), --seed N (default 42, the app's), --port N (default
 * 4352), --skip-build, --out-dir DIR (build into DIR instead of dist/), --runs N (CLI and browser alternating,
 * default 1).
 */
import { chromium, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipEntries } from '../src/core/card/model-files';
import { auc } from '../src/core/metrics';
import type { ModelCard } from '../src/core/model-card';
import { CHROMIUM_LAUNCH, rendererRss } from '../tests/chromium';
import { arg, serveApp } from './preview';

const BASE = '/santander-scorer/';
const dir = arg('dir') ?? '/work/data/fitter/synth';
const seed = Number(arg('seed') ?? 42);
const port = Number(arg('port') ?? 4352);
const runs = Number(arg('runs') ?? 1);
const work = mkdtempSync(join(tmpdir(), 'bench-train-browser-'));
const trainCsv = join(dir, 'train.csv');
const testCsv = join(dir, 'test.csv');

function run(args: string[], label: string): { seconds: number; out: string } {
  const started = performance.now();
  const r = spawnSync('npx', args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { seconds, out: `${r.stdout}\n${r.stderr}` };
}

/** id -> value of a two-column CSV with a header (labels, predictions, Bayes log-odds). */
function column(path: string): Map<string, number> {
  const map = new Map<string, number>();
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  for (const line of lines.slice(1)) {
    const comma = line.lastIndexOf(',');
    map.set(line.slice(0, comma).replace(/^"|"$/g, ''), Number(line.slice(comma + 1)));
  }
  return map;
}

if (!existsSync(trainCsv)) run(['tsx', 'training/cli/data.ts', '--rows', '200000', '--out', dir], 'data');
const bayesPath = join(dir, 'test-bayes-logodds.csv');
if (!existsSync(bayesPath)) {
  run(
    [
      'tsx',
      'training/cli/data.ts',
      'bayes',
      '--spec',
      join(dir, 'spec.json'),
      '--in',
      testCsv,
      '--out',
      bayesPath,
    ],
    'data bayes',
  );
}

/** The CLI's model: wall time of `npm run train`, its card and model bytes. */
function trainCli(k: number) {
  const out = join(work, `cli-${k}`);
  const { seconds } = run(
    ['tsx', 'training/cli/train.ts', '--data', trainCsv, '--out', out, '--seed', String(seed)],
    'npm run train',
  );
  const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8')) as ModelCard;
  return { seconds, card, onnx: readFileSync(join(out, 'model.onnx')) };
}

async function waitReady(page: Page): Promise<void> {
  await page.locator('[data-testid=model-status][data-ready=true]').waitFor({ timeout: 120_000 });
}

/** Trains through the app; resolves with the page's time, the peak RSS, the card and the downloaded zip. */
async function trainBrowser(page: Page, url: string) {
  await page.goto(url);
  await waitReady(page);
  // Let the model's start-up warm-up finish before the baseline and the pick.
  await page.waitForTimeout(1500);
  const before = Math.max(0, ...rendererRss().values());
  let peak = before;
  const poll = setInterval(() => {
    for (const bytes of rendererRss().values()) peak = Math.max(peak, bytes);
  }, 100);
  try {
    const started = await page.evaluate(() => performance.now());
    await page.getByTestId('train-input').setInputFiles(trainCsv);
    // When each phase was first seen (polled every 200 ms on the page's clock).
    const phases = new Map<string, number>();
    for (;;) {
      const now = await page.evaluate(() => ({
        t: performance.now(),
        phase: document.querySelector('[data-testid=training-progress]')?.getAttribute('data-phase') ?? null,
        done: !!document
          .querySelector('[data-testid=training-notice]')
          ?.textContent?.startsWith('Trained on'),
      }));
      if (now.phase && !phases.has(now.phase)) phases.set(now.phase, now.t);
      if (now.done) break;
      const alert = (await page.getByTestId('training-alert').allInnerTexts()).join('').trim();
      if (alert) throw new Error(`training failed: ${alert}`);
      await page.waitForTimeout(200);
    }
    const ended = await page.evaluate(() => performance.now());
    const download = page.waitForEvent('download');
    await page.getByTestId('download-model').click();
    const path = join(work, `browser-${Date.now()}.zip`);
    await (await download).saveAs(path);
    const entries = await zipEntries(new Blob([readFileSync(path)]));
    const card = JSON.parse(new TextDecoder().decode(entries.get('model-card.json')!.bytes)) as ModelCard;
    const order = ['reading', 'binning', 'smoothing', 'calibrating', 'checking'];
    const seen = order.filter((p) => phases.has(p));
    const phaseSeconds = seen.map((p, i) => {
      const next = i + 1 < seen.length ? phases.get(seen[i + 1])! : ended;
      return `${p} ${((next - phases.get(p)!) / 1000).toFixed(1)} s`;
    });
    return {
      seconds: (ended - started) / 1000,
      phaseSeconds,
      peak,
      before,
      card,
      onnx: Buffer.from(entries.get('model.onnx')!.bytes),
      fittedRows: entries.get('fitted-rows.bin')?.bytes,
    };
  } finally {
    clearInterval(poll);
  }
}

/** Starts training again, clicks Cancel once smoothing is under way, and times the return to ready. */
async function cancelDuringSmoothing(page: Page): Promise<{ ms: number; feature: number }> {
  await page.getByTestId('train-input').setInputFiles(trainCsv);
  await page.locator('[data-testid=training-progress][data-phase=smoothing]').waitFor({ timeout: 300_000 });
  await page.waitForTimeout(3000);
  return page.evaluate(async () => {
    const progress = document.querySelector('[data-testid=training-progress]')!;
    const feature = Number(
      /Feature ([\d,]+) of/.exec(progress.textContent ?? '')?.[1]?.replace(',', '') ?? 0,
    );
    const button = [...progress.querySelectorAll('button')].find((b) => b.textContent?.includes('Cancel'))!;
    const clicked = performance.now();
    button.click();
    // Ready: the progress is gone and "Train a model on a labelled file…" can be pressed again.
    for (;;) {
      const train = [...document.querySelectorAll('button')].find((b) =>
        b.textContent?.includes('Train a model on a labelled file'),
      );
      if (!document.querySelector('[data-testid=training-progress]') && train && !train.disabled) break;
      await new Promise((r) => requestAnimationFrame(r));
    }
    return { ms: performance.now() - clicked, feature };
  });
}

const app = await serveApp(BASE, port, arg('out-dir'));
const browser = await chromium.launch(CHROMIUM_LAUNCH);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
try {
  const labels = column(join(dir, 'test-labels.csv'));
  const bayes = column(bayesPath);
  const ids = [...labels.keys()];
  const y = Uint8Array.from(ids, (id) => labels.get(id)!);
  const bayesAuc = auc(
    Float64Array.from(ids, (id) => bayes.get(id)!),
    y,
  );
  console.log(`data            ${trainCsv} (seed ${seed}); test ${testCsv}: ${ids.length} rows`);
  for (let k = 0; k < runs; k++) {
    const cli = trainCli(k);
    const page = await browser.newPage({ acceptDownloads: true });
    const web = await trainBrowser(page, app.url);
    const predictions = join(work, 'predictions.csv');
    // The model with its card, as the app's zip holds them: the scoring CLI checks one against the other.
    const folder = join(work, 'browser-model');
    mkdirSync(folder, { recursive: true });
    const model = join(folder, 'model.onnx');
    writeFileSync(model, web.onnx);
    writeFileSync(join(folder, 'model-card.json'), JSON.stringify(web.card, null, 2) + '\n');
    if (web.fittedRows) writeFileSync(join(folder, 'fitted-rows.bin'), web.fittedRows);
    run(['tsx', 'training/cli/score.ts', '--model', model, '--in', testCsv, '--out', predictions], 'score');
    const scores = column(predictions);
    const ours = auc(
      Float64Array.from(ids, (id) => scores.get(id)!),
      y,
    );
    const cancel = await cancelDuringSmoothing(page);
    await page.close();
    const same = cli.onnx.equals(web.onnx);
    const ratio = web.seconds / cli.seconds;
    const cardRatio = web.card.metrics.trainSeconds / cli.card.metrics.trainSeconds;
    console.log(`run ${k + 1}`);
    console.log(
      `  CLI           ${cli.seconds.toFixed(1)} s wall (npm run train process), card trainSeconds ${cli.card.metrics.trainSeconds.toFixed(1)} s`,
    );
    console.log(
      `  browser       ${web.seconds.toFixed(1)} s pick to "now in use" (page clock), card trainSeconds ${web.card.metrics.trainSeconds.toFixed(1)} s`,
    );
    console.log(
      `  ratio         ${ratio.toFixed(2)}x wall, ${cardRatio.toFixed(2)}x trainSeconds (bar <= 2x)`,
    );
    console.log(`  phases        ${web.phaseSeconds.join(', ')} (as the page saw them)`);
    console.log(`  peak renderer ${mb(web.peak)} (${mb(web.before)} before the pick; bar <= 1229 MB)`);
    console.log(
      `  model.onnx    ${same ? 'byte-identical' : 'DIFFERENT'} (${web.onnx.length} bytes; CLI sha ${cli.card.model.sha256.slice(0, 12)}, browser ${web.card.model.sha256.slice(0, 12)})`,
    );
    console.log(
      `  test.csv AUC  ${ours.toFixed(5)} vs Bayes-optimal ${bayesAuc.toFixed(5)}: ratio ${(ours / bayesAuc).toFixed(5)} (bar >= 0.995); holdout AUC ${web.card.metrics.holdout.auc}`,
    );
    console.log(
      `  cancel        ${cancel.ms.toFixed(0)} ms from the click to ready, during smoothing (feature ${cancel.feature}; bar <= 500 ms)`,
    );
  }
} finally {
  await browser.close();
  app.stop();
  rmSync(work, { recursive: true, force: true });
}
