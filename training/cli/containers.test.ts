/**
 * The scoring and training CLIs on the file kinds the app reads: zip archives (one member, Kaggle's three with
 * --member and the refusal without it), Parquet, gzip under any name and case, UTF-16 text. Each gives the same
 * predictions.csv as the plain CSV of the same table; refusals exit 1 and write nothing. The runs behind the
 * CLIs (score/run.ts, train/run.ts) are called in this process where only the reading differs (a spawned CLI
 * costs seconds here); the command line itself for --member and its refusal.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageKinds, parquetOfCsv, utf16Of, zipOf } from '../../tests/fixtures/containers';
import { duckdbParquet } from '../../tests/fixtures/duckdb-parquet';
import { generate } from '../synth/sample';
import { rowsToCsv, tempDir } from '../testing/csv-fixture';
import { runCli } from '../testing/run-cli';
import { scoreFile, type ScoreResult } from '../score/run';
import { train } from '../train/run';

const root = fileURLToPath(new URL('../..', import.meta.url));
const model = join(root, 'models/model.onnx');

let dir = '';
let testCsv = '';
let trainCsv = '';
let plain = '';

function file(name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

/** The scoring CLI itself (spawned). */
function scoreCli(input: string, ...extra: string[]) {
  const out = join(dir, `pred-${Math.random().toString(36).slice(2)}.csv`);
  const run = runCli('training/cli/score.ts', ['--model', model, '--in', input, '--out', out, ...extra]);
  return { ...run, predictions: existsSync(out) ? readFileSync(out, 'utf8') : null };
}

/** The run behind the scoring CLI, in this process: predictions.csv's text and the run's result, or the error. */
async function score(
  input: string,
  member?: string,
): Promise<{ predictions: string | null; result?: ScoreResult; error?: Error }> {
  const out = join(dir, `pred-${Math.random().toString(36).slice(2)}.csv`);
  try {
    const result = await scoreFile({ model, input, out, member });
    return { predictions: readFileSync(out, 'utf8'), result };
  } catch (error) {
    expect(existsSync(out)).toBe(false);
    return { predictions: null, error: error as Error };
  }
}

beforeAll(async () => {
  dir = tempDir('cli-containers');
  const test = generate({ rows: 300, seed: 9, shapeSeed: 1 });
  testCsv = rowsToCsv(test.features, null, 'test');
  const train = generate({ rows: 200, seed: 10, shapeSeed: 1 });
  trainCsv = rowsToCsv(train.features, train.targets, 'train');
  const run = await score(file('test.csv', testCsv));
  expect(run.error).toBeUndefined();
  plain = run.predictions!;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('score reads the file kinds the app reads, with the same predictions', () => {
  it('a zip with one CSV inside (a folder path): byte-identical predictions', async () => {
    const zip = file('test.csv.zip', await zipOf([{ name: 'export/test.csv', data: testCsv }]));
    const run = await score(zip);
    expect(run.predictions).toBe(plain);
  });

  it("Kaggle's archive: refused without --member, listing the tables; scored with it", async () => {
    const zip = file(
      'santander-customer-transaction-prediction.zip',
      await zipOf([
        { name: 'sample_submission.csv', data: 'ID_code,target\ntest_0,0\n' },
        { name: 'test.csv', data: testCsv },
        { name: 'train.csv', data: trainCsv },
      ]),
    );
    const refused = scoreCli(zip);
    expect(refused.code).toBe(1);
    expect(refused.predictions).toBeNull();
    expect(refused.stderr).toMatch(
      /^score: .*santander-customer-transaction-prediction\.zip: This file holds 3 tables: test\.csv \([\d.]+ MB\), train\.csv \([\d.]+ MB\), sample_submission\.csv \(1 kB\)\. Choose one with --member, e\.g\. --member test\.csv\n$/,
    );
    const chosen = scoreCli(zip, '--member', 'test.csv');
    expect(chosen.code, chosen.out).toBe(0);
    expect(chosen.predictions).toBe(plain);
    const train = await score(zip, 'TRAIN.CSV');
    expect(train.predictions!.split('\n')[1]).toMatch(/^train_0,/);
    const unknown = await score(zip, 'valid.csv');
    expect(unknown.error?.message).toMatch(/has no member "valid\.csv"; it holds: test\.csv/);
  });

  it('Parquet (snappy, several row groups): the same predictions as the CSV', async () => {
    const run = await score(file('test.parquet', parquetOfCsv(testCsv, { rowGroupSize: 128 })));
    expect(run.error).toBeUndefined();
    expect(run.predictions).toBe(plain);
  });

  it("Parquet as DuckDB writes it (V1 pages, nullable columns, nulls in some pages): the CSV's predictions and issues", async () => {
    // DuckDB writes row groups of at least 2,048 rows, each column's group as one page here: with empty cells
    // (about 1 in 97) in the first 100 rows only, the first group's pages hold nulls and the others' do not.
    const table = generate({ rows: 4500, seed: 11, shapeSeed: 1 });
    const holes = rowsToCsv(table.features, null, 'test')
      .trimEnd()
      .split('\n')
      .map((line, r) =>
        r === 0 || r > 100
          ? line
          : line
              .split(',')
              .map((cell, c) => (c > 0 && (r * 31 + c * 7) % 97 === 0 ? '' : cell))
              .join(','),
      )
      .join('\n');
    const bytes = await duckdbParquet(`${holes}\n`, { compression: 'snappy', groupRows: 2048 });
    const kinds = await pageKinds(bytes, ['var_0', 'var_1']);
    // The patched hyparquet (patches/) hands pages without nulls over as they are.
    expect([...kinds.keys()].sort()).toEqual(['array', 'typed']);
    const details = async (path: string) => {
      const { predictions, result } = await score(path);
      return { predictions, issues: result?.issues, rows: result?.rows };
    };
    const want = await details(file('holes.csv', `${holes}\n`));
    expect(want.issues?.total).toBeGreaterThan(150);
    const got = await details(file('holes.parquet', bytes));
    expect(got).toEqual(want);
  });

  it('gzip under any name and case, and plain text named .gz (the shared cases 12 and 21)', async () => {
    for (const name of ['test.CSV.GZ', 'test.csv', 'test.gz.txt']) {
      expect((await score(file(name, gzipSync(testCsv)))).predictions, name).toBe(plain);
    }
    expect((await score(file('browser-unpacked.csv.gz', testCsv))).predictions).toBe(plain);
    for (const [name, text] of [
      ['12-plain-text-named.csv.gz', (bytes: Buffer) => bytes],
      ['21-UPPERCASE.CSV.GZ', (bytes: Buffer) => gunzipSync(bytes)],
    ] as const) {
      const copy = join(dir, name);
      copyFileSync(join(root, 'tests/fixtures/cases', name), copy);
      const got = await score(copy);
      expect(got.error, name).toBeUndefined();
      const want = await score(file(`${name}.plain.csv`, text(readFileSync(copy))));
      expect(got.predictions).toBe(want.predictions);
      expect(got.predictions!.split('\n').length).toBeGreaterThan(2);
    }
  });

  it('UTF-16 text with a byte order mark, tab-separated (Excel\'s "Unicode text")', async () => {
    const run = await score(file('unicode.txt', utf16Of(testCsv.replaceAll(',', '\t'))));
    expect(run.predictions).toBe(plain);
  });

  it('refuses an encrypted member and a truncated archive, writing nothing', async () => {
    const locked = file('locked.zip', await zipOf([{ name: 'test.csv', data: testCsv, password: 'pw' }]));
    const encrypted = await score(locked);
    expect(encrypted.error?.message).toMatch(
      /"test\.csv" in the archive is encrypted \(password-protected\)/,
    );
    const whole = await zipOf([{ name: 'test.csv', data: testCsv }]);
    const cut = await score(file('cut.zip', whole.subarray(0, whole.length - 30)));
    expect(cut.error?.message).toMatch(/incomplete or damaged/);
  });
});

describe('train reads a zip member and Parquet like the CSV', () => {
  // Three trainings: about 45 s on this machine when quiet, several minutes when other jobs load it.
  it(
    "trains the same model from train.csv, Kaggle's archive (its one labelled table) and a Parquet file",
    { timeout: 600_000 },
    async () => {
      const kaggle = await zipOf([
        { name: 'train.csv', data: trainCsv },
        { name: 'test.csv', data: testCsv },
      ]);
      const inputs = [
        { data: file('train.csv', trainCsv) },
        // No --member: the archive's one labelled table, as the app trains on it.
        { data: file('kaggle.zip', kaggle) },
        { data: file('train.parquet', parquetOfCsv(trainCsv)) },
      ];
      const metrics = [];
      for (const [k, input] of inputs.entries()) {
        const out = join(dir, `model-${k}`);
        const result = await train({ ...input, out, seed: 42, holdout: 0.2, folds: 2, baselines: false });
        const { trainSeconds: _seconds, ...rest } = result.card.metrics as typeof result.card.metrics & {
          trainSeconds?: number;
        };
        metrics.push(rest);
      }
      expect(metrics[1]).toEqual(metrics[0]);
      expect(metrics[2]).toEqual(metrics[0]);
    },
  );
});
