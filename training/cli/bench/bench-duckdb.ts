/**
 * The DuckDB engine side by side with the ONNX CLI, alternating in one run, on the same file:
 *   npm run bench:duckdb -- [--in /work/data/synth/test.csv] [--model models/model.onnx] [--rounds 3]
 *     [--base /path/to/another/checkout]
 * Each round runs, as separate processes (start included): the ONNX CLI; the DuckDB CLI; DuckDB reading only
 * (the file through the same check and view, every feature summed: what the scoring costs before the model's
 * SQL; it prints how the file was read and the check's and DuckDB's reading seconds); and with --base, the
 * DuckDB CLI of that checkout (an older commit in a worktree, with its node_modules). Prints wall and CPU
 * (user + system) seconds of each, their medians and the ratio DuckDB / ONNX.
 * Then checks the bar: every row's probability from DuckDB (double) against onnxruntime's (float32), at full
 * precision, in this process.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tempDir } from '../../testing/csv-fixture';
import { duckdbProbabilities, onnxProbabilities } from '../../testing/engines';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(root, 'models/model.onnx') },
    in: { type: 'string', default: '/work/data/synth/test.csv' },
    rounds: { type: 'string', default: '3' },
    base: { type: 'string' },
  },
});
const input = values.in;
const mb = statSync(input).size / 1e6;
const dir = tempDir('bench-duckdb');

interface Timing {
  wall: number;
  cpu: number;
}

/** Runs a command under bash's `time` (wall, user, system of the process and its children); `out` gets stdout. */
function timed(args: string[], out?: (stdout: string) => void): Timing {
  const command = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ${command}${out ? '' : ' > /dev/null'}`], {
    encoding: 'utf8',
  });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  out?.(r.stdout.trim());
  const [wall, user, sys] = last.split(' ').map(Number);
  return { wall, cpu: user + sys };
}

const tsx = [process.execPath, '--import', 'tsx'];
const score = (engine: string, checkout = root) => [
  ...tsx,
  join(checkout, 'training/cli/score.ts'),
  '--model',
  values.model,
  '--in',
  input,
  '--out',
  join(dir, `predictions-${engine}${checkout === root ? '' : '-base'}.csv`),
  '--engine',
  engine,
];
const readOnly = [...tsx, join(root, 'training/cli/bench/duckdb-read-only.ts'), input];

const runs: Record<string, Timing[]> = { onnx: [], duckdb: [], 'duckdb read only': [] };
if (values.base) runs['duckdb base'] = [];
console.log(`input ${input} (${mb.toFixed(0)} MB); ${values.rounds} rounds, alternating; wall / CPU seconds`);
if (values.base) console.log(`base: ${values.base}`);
for (let round = 1; round <= Number(values.rounds); round++) {
  let reading = '';
  runs.onnx.push(timed(score('onnx')));
  runs.duckdb.push(timed(score('duckdb')));
  runs['duckdb read only'].push(timed(readOnly, (out) => (reading = out.split(': ').slice(1).join(': '))));
  if (values.base) runs['duckdb base'].push(timed(score('duckdb', values.base)));
  const line = Object.entries(runs)
    .map(([name, t]) => `${name} ${t.at(-1)!.wall.toFixed(2)} / ${t.at(-1)!.cpu.toFixed(2)}`)
    .join(' | ');
  console.log(`round ${round}: ${line}\n  reading only: ${reading}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const med = Object.fromEntries(
  Object.entries(runs).map(([name, t]) => [
    name,
    { wall: median(t.map((x) => x.wall)), cpu: median(t.map((x) => x.cpu)) },
  ]),
) as Record<string, Timing>;
for (const [name, t] of Object.entries(med)) {
  console.log(
    `median ${name.padEnd(17)} ${t.wall.toFixed(2)} s wall (${(mb / t.wall).toFixed(0)} MB/s), ${t.cpu.toFixed(2)} s CPU`,
  );
}
console.log(
  `duckdb / onnx: ${(med.duckdb.wall / med.onnx.wall).toFixed(2)}x wall (bar 2x), ${(med.duckdb.cpu / med.onnx.cpu).toFixed(2)}x CPU; ` +
    `reading is ${((100 * med['duckdb read only'].wall) / med.duckdb.wall).toFixed(0)}% of DuckDB's wall time`,
);
if (values.base) {
  const base = med['duckdb base'];
  const sameAsBase =
    readFileSync(join(dir, 'predictions-duckdb-base.csv'), 'utf8') ===
    readFileSync(join(dir, 'predictions-duckdb.csv'), 'utf8');
  console.log(
    `duckdb base / onnx: ${(base.wall / med.onnx.wall).toFixed(2)}x wall; duckdb base / duckdb: ` +
      `${(base.wall / med.duckdb.wall).toFixed(2)}x wall, ${(base.cpu / med.duckdb.cpu).toFixed(2)}x CPU; ` +
      `predictions.csv identical to the base's: ${sameAsBase}`,
  );
}
const same =
  readFileSync(join(dir, 'predictions-onnx.csv'), 'utf8') ===
  readFileSync(join(dir, 'predictions-duckdb.csv'), 'utf8');
console.log(
  `predictions.csv files byte-identical: ${same} (6 significant digits; see the full-precision check below)`,
);

const onnx = await onnxProbabilities(values.model, input);
const duck = await duckdbProbabilities(values.model, input);
let worst = 0;
let at = -1;
for (let i = 0; i < onnx.probability.length; i++) {
  const d = Math.abs(onnx.probability[i] - duck.probability[i]);
  if (d > worst) [worst, at] = [d, i];
}
const idsMatch = onnx.ids.length === duck.ids.length && onnx.ids.every((id, i) => id === duck.ids[i]);
console.log(
  `full precision: ${onnx.probability.length} rows, ids in the same order: ${idsMatch}, ` +
    `max |p_duckdb - p_onnx| = ${worst.toExponential(2)} (row ${at + 1}; bar 1e-6)`,
);
rmSync(dir, { recursive: true, force: true });
