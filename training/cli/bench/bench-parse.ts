/**
 * CSV parsing speed: reading the bytes only, the fast path and the papaparse path, side by side on one file.
 * npm run bench:parse -- [--file <csv>] [--runs N]
 * Without --file, a 200,000 x 200 file of random 4-decimal values is written once to /work/data/bench-parse.csv.
 */
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURE_NAMES } from '../../../src/core/schema';
import { parseCsv } from '../../../src/core/csv/index';
import { openFile } from '../../io/read-csv';

const DEFAULT_FILE = '/work/data/bench-parse.csv';

async function generate(path: string, rows: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  out.write(['ID_code', 'target', ...FEATURE_NAMES].join(',') + '\n');
  // A fixed LCG: the same file on every machine.
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let r = 0; r < rows; r++) {
    const cells = [`train_${r}`, rand() < 0.1 ? '1' : '0'];
    for (let j = 0; j < FEATURE_NAMES.length; j++) cells.push(((rand() - 0.3) * 40).toFixed(4));
    if (!out.write(cells.join(',') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function readOnly(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of openFile(path)()) n += chunk.length;
  return n;
}

async function parse(path: string, parser: 'auto' | 'papaparse'): Promise<string> {
  let checksum = 0;
  const summary = await parseCsv(openFile(path), {
    parser,
    onBatch: (batch) => {
      checksum += batch.features[0] + batch.count;
    },
  });
  return `${summary.parser}, ${summary.rows} rows, ${summary.issueCount} issues, checksum ${checksum.toFixed(2)}`;
}

async function time(label: string, bytes: number, run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  const detail = await run();
  const seconds = (performance.now() - start) / 1000;
  const rate = bytes / 1e6 / seconds;
  console.log(
    `${label.padEnd(10)} ${seconds.toFixed(2).padStart(6)} s ${rate.toFixed(0).padStart(5)} MB/s  ${detail}`,
  );
  return rate;
}

const { values } = parseArgs({
  options: { file: { type: 'string' }, runs: { type: 'string', default: '3' } },
});
const file = values.file ?? DEFAULT_FILE;
if (!values.file && !existsSync(file)) {
  console.log(`writing ${file} (200,000 x 200, 4 decimals) ...`);
  await generate(file, 200_000);
}
const bytes = statSync(file).size;
console.log(`${file}: ${(bytes / 1e6).toFixed(1)} MB on disk; MB = 10^6 bytes of the file as stored`);
const best = { read: 0, fast: 0, papa: 0 };
const runs = Math.max(1, Number(values.runs));
for (let run = 1; run <= runs; run++) {
  console.log(`run ${run}/${runs}`);
  best.read = Math.max(
    best.read,
    await time('read only', bytes, async () => `${await readOnly(file)} bytes`),
  );
  best.fast = Math.max(best.fast, await time('fast path', bytes, () => parse(file, 'auto')));
  best.papa = Math.max(best.papa, await time('papaparse', bytes, () => parse(file, 'papaparse')));
}
console.log(
  `best of ${runs}: read ${best.read.toFixed(0)} MB/s, fast ${best.fast.toFixed(0)} MB/s, ` +
    `papaparse ${best.papa.toFixed(0)} MB/s; fast/read ${(best.fast / best.read).toFixed(2)}, ` +
    `fast/papaparse ${(best.fast / best.papa).toFixed(1)}x`,
);
