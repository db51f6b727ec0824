/**
 * Scoring benchmark: the CLI end to end (process start included), then the in-process run per batch size.
 *   npm run bench:score -- [--model models/model.onnx] [--in /work/data/synth/test.csv] [--batches 1024,4096,8192,16384,65536]
 */
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { scoreFile } from '../../score/run';
import { tempDir } from '../../testing/csv-fixture';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(root, 'models/model.onnx') },
    in: { type: 'string', default: '/work/data/synth/test.csv' },
    batches: { type: 'string', default: '1024,4096,8192,16384,65536' },
  },
});
const input = values.in;
const mb = statSync(input).size / 1e6;
const dir = tempDir('bench-score');
const out = join(dir, 'predictions.csv');

const started = performance.now();
const cli = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    join(root, 'training/cli/score.ts'),
    '--model',
    values.model,
    '--in',
    input,
    '--out',
    out,
  ],
  { encoding: 'utf8' },
);
const cliSeconds = (performance.now() - started) / 1000;
if (cli.status !== 0) {
  console.error(cli.stderr);
  process.exit(1);
}
console.log(`input           ${input} (${mb.toFixed(0)} MB)`);
console.log(
  `CLI end to end  ${cliSeconds.toFixed(2)} s (${(mb / cliSeconds).toFixed(0)} MB/s, process start included; bar 5 s)`,
);
console.log(`  ${cli.stdout.trim()}`);

// One unmeasured run first, so the first batch size measured does not pay for JIT warm-up.
await scoreFile({ model: values.model, input, out, batchRows: 8192 });
for (const batchRows of values.batches.split(',').map(Number)) {
  const r = await scoreFile({ model: values.model, input, out, batchRows });
  console.log(
    `batch ${String(batchRows).padStart(6)}    ${r.seconds.toFixed(2)} s (${(mb / r.seconds).toFixed(0)} MB/s, ${r.rows} rows)`,
  );
}
console.log(`peak RSS        ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (in-process runs)`);
rmSync(dir, { recursive: true, force: true });
