// The data CLI as `npm run data` runs it: files, format, determinism, the bayes command, bad arguments.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '../../src/core/schema';
import { bayesLogOdds } from '../synth/bayes';
import { generate } from '../synth/sample';
import { runCli } from '../testing/run-cli';

const work = mkdtempSync(join(tmpdir(), 'data-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const data = (args: string[]) => runCli('training/cli/data.ts', args);

const lines = (file: string): string[] => readFileSync(file, 'utf8').trimEnd().split('\n');

describe('npm run data', () => {
  const a = join(work, 'a');
  const b = join(work, 'b');
  const first = data(['--rows', '400', '--test-rows', '250', '--seed', '3', '--out', a]);
  const second = data(['--rows', '400', '--test-rows', '250', '--seed', '3', '--out', b]);

  it('writes train.csv, test.csv, test-labels.csv and spec.json in Kaggle format', () => {
    expect(first.code, first.out).toBe(0);
    expect(readdirSync(a).sort()).toEqual(['spec.json', 'test-labels.csv', 'test.csv', 'train.csv']);
    const train = lines(join(a, 'train.csv'));
    expect(train[0]).toBe(
      ['ID_code', 'target', ...Array.from({ length: 200 }, (_, j) => `var_${j}`)].join(','),
    );
    expect(train).toHaveLength(401);
    const number = /^-?\d+\.\d{0,3}[1-9]$|^-?\d+\.0$/;
    train.slice(1).forEach((line, r) => {
      const cells = line.split(',');
      expect(cells).toHaveLength(202);
      expect(cells[0]).toBe(`train_${r}`);
      expect(cells[1]).toMatch(/^[01]$/);
      for (const cell of cells.slice(2)) expect(cell).toMatch(number);
    });
    expect(train.slice(1).filter((l) => l.split(',')[1] === '1')).toHaveLength(40); // round(400 * 0.10049)
    const test = lines(join(a, 'test.csv'));
    expect(test[0].startsWith('ID_code,var_0,')).toBe(true);
    expect(test).toHaveLength(251);
    expect(test[250].split(',')[0]).toBe('test_249');
    const labels = lines(join(a, 'test-labels.csv'));
    expect(labels[0]).toBe('ID_code,target');
    expect(labels.slice(1).map((l) => l.split(',')[0])).toEqual(test.slice(1).map((l) => l.split(',')[0]));
  });

  /** Every row of a train.csv equals the in-memory rows of generate(). */
  const sameRows = (file: string, memory: ReturnType<typeof generate>) =>
    lines(file)
      .slice(1)
      .forEach((line, r) => {
        const cells = line.split(',');
        expect(Number(cells[1])).toBe(memory.targets[r]);
        for (let j = 0; j < FEATURE_COUNT; j++) {
          expect(Math.fround(Number(cells[2 + j]))).toBe(memory.features[r * FEATURE_COUNT + j]);
        }
      });

  it('writes identical bytes for the same seeds, and the same rows as generate() (realistic by default)', () => {
    expect(second.code, second.out).toBe(0);
    for (const name of ['train.csv', 'test.csv', 'test-labels.csv', 'spec.json']) {
      expect(readFileSync(join(a, name)).equals(readFileSync(join(b, name))), name).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(a, 'spec.json'), 'utf8'))).toMatchObject({
      kind: 'realistic',
      prior: 0.10049,
    });
    sameRows(join(a, 'train.csv'), generate({ rows: 400, seed: 3, kind: 'realistic' }));
  });

  it('writes the shapes kind with --kind shapes, and prints the comparison table with --report', () => {
    const dir = join(work, 'shapes');
    const r = data([
      '--kind',
      'shapes',
      '--shape-seed',
      '2',
      '--rows',
      '300',
      '--seed',
      '4',
      '--out',
      dir,
      '--report',
    ]);
    expect(r.code, r.out).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8'))).toMatchObject({
      kind: 'shapes',
      shapeSeed: 2,
    });
    sameRows(join(dir, 'train.csv'), generate({ rows: 300, seed: 4, kind: 'shapes', shapeSeed: 2 }));
    // One line per feature and class, and a summary per statistic.
    expect(r.out).toMatch(/^var_0 +0 +-?\d+\.\d{4} +10\.6267 /m);
    expect(r.out).toMatch(/^var_199 +1 .* 0\.\d{4} +0\.\d{4} +0\.\d{4}$/m);
    for (const s of ['mean', 'sd', 'q01', 'q99'])
      expect(r.out).toMatch(new RegExp(`^${s}: \\d+ of 400 feature-classes`, 'm'));
    expect(r.out).toMatch(/value counts|how often each value occurs/);
  });

  it('writes the Bayes-optimal log-odds of a file with the bayes command', () => {
    const out = join(work, 'logodds.csv');
    const r = data(['bayes', '--spec', join(a, 'spec.json'), '--in', join(a, 'test.csv'), '--out', out]);
    expect(r.code, r.out).toBe(0);
    const got = lines(out);
    expect(got[0]).toBe('ID_code,logodds');
    const test = generate({ rows: 250, seed: 3, kind: 'realistic', split: 'test' });
    const want = bayesLogOdds(test.spec, test.features, 250);
    got.slice(1).forEach((line, i) => {
      const [id, value] = line.split(',');
      expect(id).toBe(`test_${i}`);
      expect(Number(value)).toBeCloseTo(want[i], 9);
    });
  });

  it('refuses bad arguments with a message and a non-zero exit, leaving no files', () => {
    const out = join(work, 'bad');
    for (const args of [
      ['--rows', 'ten', '--out', out],
      ['--rows', '10'],
      ['--rows', '10', '--out', out, '--colour', 'red'],
      ['--rows', '-3', '--out', out],
      ['--rows', '10', '--out', out, '--seed'],
      ['--rows', '10', '--out', out, '--kind', 'gaussian'],
      ['--rows', '10', '--out', out, '--shape-seed', '2'],
    ]) {
      const r = data(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toMatch(/usage:/);
    }
    expect(existsSync(out)).toBe(false);
    const bayes = (spec: string, input: string) =>
      data(['bayes', '--spec', spec, '--in', input, '--out', out]);
    const missing = bayes(join(work, 'nope.json'), join(a, 'test.csv'));
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/nope\.json/);
    const noInput = bayes(join(a, 'spec.json'), join(work, 'nope.csv'));
    expect(noInput.code).toBe(1);
    expect(noInput.out).toMatch(/nope\.csv/);
    const bad = join(work, 'bad-cell.csv');
    const test = lines(join(a, 'test.csv'));
    const cells = test[2].split(',');
    cells[5] = 'abc';
    writeFileSync(bad, [test[0], test[1], cells.join(',')].join('\n') + '\n');
    const badCell = bayes(join(a, 'spec.json'), bad);
    expect(badCell.code).toBe(1);
    expect(badCell.out).toMatch(/bad-cell\.csv: row 2, column var_4: non-numeric value "abc"/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
