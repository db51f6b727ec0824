// scripts/pipeline.sh stops at the first failing step; the full run is `npm run pipeline` (minutes, not a test).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, ID_COLUMN, TARGET_COLUMN } from '../src/core/schema';

const script = join(import.meta.dirname, 'pipeline.sh');
const work = mkdtempSync(join(tmpdir(), 'pipeline-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pipeline(env: Record<string, string>, args: string[] = []) {
  const r = spawnSync('bash', [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GITHUB_ACTIONS: '', PIPELINE_TMP: work, ...env },
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const header = [ID_COLUMN, TARGET_COLUMN, ...FEATURE_NAMES].join(',');
const row = (i: number, target: number, cell = '1.5') =>
  [`train_${i}`, target, ...FEATURE_NAMES.map(() => cell)].join(',');

describe('scripts/pipeline.sh', () => {
  it('stops at training when the data fails validation, before the gate and the registry', () => {
    const data = join(work, 'bad-data');
    const rows = Array.from({ length: 50 }, (_, i) => row(i, i % 10 === 0 ? 1 : 0));
    rows[6] = row(6, 0, 'abc');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'train.csv'), `${header}\n${rows.join('\n')}\n`);
    writeFileSync(join(data, 'test.csv'), `${header.replace(',target', '')}\n`);
    const r = pipeline({ DATA_DIR: data, DATA_SOURCE: 'other' });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/=== train/);
    // The train CLI names the file, the row and the column of the bad cell.
    expect(r.out).toMatch(/train\.csv/);
    expect(r.out).toMatch(/abc/);
    expect(r.out).toMatch(/pipeline: FAILED at step "train" \(exit 1\)/);
    expect(r.out).not.toMatch(/=== gate/);
    expect(r.out).not.toMatch(/=== register/);
  });

  it('refuses unknown arguments', () => {
    const r = pipeline({}, ['--publsh']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/unknown argument --publsh/);
  });
});
