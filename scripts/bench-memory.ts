/**
 * Where the renderer's memory goes (`npm run bench:memory`): prints figures, asserts nothing.
 *
 * Loads the built app in headless Chromium, asks Chromium for a detailed memory-infra dump of the page's renderer
 * (the page and both workers live in it) before a file is dropped and again when the download link shows (plus
 * --after MS), and prints each dump's allocator tree: V8 heaps per isolate and space, ArrayBuffer and Blink buffer
 * partitions, malloc. This is how the per-row memory of bench:browser was traced to ids held as strings and to
 * per-batch line strings in the scoring worker.
 * Options: --file <csv> (default /work/data/synth/test.csv), --settle MS (from ready to the first dump and the
 * drop, default 1500), --after MS (default 0), --depth N (allocator tree depth, default 3), --min MB (smallest
 * node shown, default 1), --skip-build, --out-dir DIR.
 */
import { chromium, type CDPSession } from '@playwright/test';
import { existsSync } from 'node:fs';
import { CHROMIUM_LAUNCH } from '../tests/chromium';
import { arg, serveApp } from './preview';

const BASE = '/santander-scorer/';
const PORT = 4178;

/** The parts of a memory-infra trace event this script reads (sizes are hex strings). */
interface DumpEvent {
  ph: string;
  pid: number;
  args?: {
    dumps?: {
      process_totals?: { private_footprint_bytes?: string; peak_resident_set_size?: string };
      allocators?: Record<string, { attrs?: { size?: { value?: string } } }>;
    };
  };
}

/** One detailed memory dump of every process, as trace events. */
async function memoryDump(cdp: CDPSession): Promise<DumpEvent[]> {
  const events: DumpEvent[] = [];
  const collect = (e: { value: object[] }) => events.push(...(e.value as DumpEvent[]));
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    traceConfig: {
      includedCategories: ['disabled-by-default-memory-infra'],
      excludedCategories: ['*'],
      // No periodic dumps: only the one asked for (the protocol types this object loosely).
      memoryDumpConfig: { triggers: [] } as unknown as Record<string, string>,
    },
  });
  const { success } = await cdp.send('Tracing.requestMemoryDump', {
    deterministic: false,
    levelOfDetail: 'detailed',
  });
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  if (!success) throw new Error('Chromium did not take the memory dump');
  return events.filter((e) => e.ph === 'v' && e.args?.dumps);
}

const hexMb = (hex: string | undefined) => parseInt(hex ?? '0', 16) / 1e6;

/** Prints the renderer with the largest private footprint: its totals and allocator tree. */
function show(label: string, events: DumpEvent[]): void {
  const byPid = new Map<number, { footprint: number; peak: number; sizes: Map<string, number> }>();
  for (const e of events) {
    const entry = byPid.get(e.pid) ?? { footprint: 0, peak: 0, sizes: new Map<string, number>() };
    const totals = e.args?.dumps?.process_totals;
    if (totals) {
      entry.footprint = hexMb(totals.private_footprint_bytes);
      entry.peak = hexMb(totals.peak_resident_set_size);
    }
    for (const [name, node] of Object.entries(e.args?.dumps?.allocators ?? {})) {
      entry.sizes.set(name, hexMb(node.attrs?.size?.value));
    }
    byPid.set(e.pid, entry);
  }
  // The browser process has no v8 workers; of the renderers, the app's is the biggest.
  const [pid, app] = [...byPid].reduce((a, b) => (b[1].footprint > a[1].footprint ? b : a));
  const depth = Number(arg('depth') ?? 3);
  const min = Number(arg('min') ?? 1);
  console.log(
    `${label}: renderer ${pid}, private footprint ${app.footprint.toFixed(0)} MB, peak RSS ${app.peak.toFixed(0)} MB`,
  );
  const names = [...app.sizes.keys()]
    .filter((n) => n.split('/').length <= depth && (app.sizes.get(n) ?? 0) >= min && !n.includes('/__'))
    .sort();
  for (const name of names) console.log(`  ${name.padEnd(72)} ${app.sizes.get(name)!.toFixed(1)} MB`);
}

async function main(): Promise<void> {
  const file = arg('file') ?? '/work/data/synth/test.csv';
  if (!existsSync(file)) throw new Error(`no ${file}: pass --file, or run npm run data first`);
  const server = await serveApp(BASE, PORT);
  try {
    const browser = await chromium.launch(CHROMIUM_LAUNCH);
    const cdp = await browser.newBrowserCDPSession();
    const context = await browser.newContext({ acceptDownloads: true, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('[data-testid="model-status"][data-ready="true"]').waitFor({ timeout: 60_000 });
    // By default past the start-up warm-up's compile (see src/worker/model-session.ts).
    await new Promise((r) => setTimeout(r, Number(arg('settle') ?? 1500)));
    show('before the drop', await memoryDump(cdp));
    await page.setInputFiles('#file-input', file);
    await page.locator('[data-testid="download"]').waitFor({ timeout: 300_000 });
    await new Promise((r) => setTimeout(r, Number(arg('after') ?? 0)));
    show(`download-ready + ${arg('after') ?? 0} ms`, await memoryDump(cdp));
    await browser.close();
  } finally {
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
