// The gate on real models: the data, train and gate CLIs as the pipeline runs them, on 20,000 realistic rows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli';

const work = mkdtempSync(join(tmpdir(), 'gate-integration-'));
const ROWS = 20_000;

/** A CLI run as the pipeline makes it, but outside GitHub Actions (no annotations, no step summary). */
const cli = (file: string, args: string[]) =>
  runCli(file, args, { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' });

function mustRun(file: string, args: string[]): void {
  const r = cli(file, args);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.code}:\n${r.out}`);
}

const card = (name: string) => join(work, name, 'model-card.json');
const gate = (candidate: string, ...extra: string[]) =>
  cli('training/cli/gate.ts', ['--candidate', card(candidate), '--baseline', card('full'), ...extra]);

beforeAll(() => {
  const data = join(work, 'data');
  mustRun('training/cli/data.ts', [
    '--rows',
    String(ROWS),
    '--out',
    data,
    '--seed',
    '11',
    '--test-rows',
    '10',
  ]);
  // The deliberately worse model sees 2% of the rows: the header and the first 400 data lines.
  const lines = readFileSync(join(data, 'train.csv'), 'utf8').split('\n');
  writeFileSync(join(work, 'train-2pct.csv'), `${lines.slice(0, 1 + ROWS * 0.02).join('\n')}\n`);
  const train = (csv: string, out: string) =>
    mustRun('training/cli/train.ts', [
      '--data',
      csv,
      '--out',
      join(work, out),
      '--seed',
      '42',
      '--source',
      'synthetic',
      '--bayes-spec',
      join(data, 'spec.json'),
      '--no-baselines',
    ]);
  train(join(data, 'train.csv'), 'full');
  train(join(data, 'train.csv'), 'again');
  train(join(work, 'train-2pct.csv'), 'small');
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('quality gate with models from the train CLI', () => {
  it('stops the model trained on 2% of the rows, naming the AUC drop', () => {
    const full = JSON.parse(readFileSync(card('full'), 'utf8'));
    const small = JSON.parse(readFileSync(card('small'), 'utf8'));
    expect(small.data.rows).toBe(ROWS * 0.02);
    expect(small.metrics.holdout.auc).toBeLessThan(full.metrics.holdout.auc - 0.002);
    const r = gate('small');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /gate: stopped: candidate holdout AUC 0\.\d{4} is worse than baseline card .* by 0\.\d{4}/,
    );
  });

  it('passes a retrain of the same rows with the same seed', () => {
    const r = gate('again', '--model', join(work, 'again', 'model.onnx'));
    expect(r.out).toMatch(/gate: passed/);
    expect(r.code).toBe(0);
  });

  it('stops a card whose model file is another one', () => {
    const r = gate('again', '--model', join(work, 'small', 'model.onnx'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/describes model .* but the model file is/);
  });

  it('registers the full model once, idempotent by SHA-256', () => {
    const models = join(work, 'models');
    mustRun('training/cli/register.ts', ['--models-dir', models, '--card', card('full')]);
    const first = readFileSync(join(models, 'registry.json'), 'utf8');
    const r = cli('training/cli/register.ts', ['--models-dir', models, '--card', card('again')]);
    expect(r.out).toMatch(/already registered/);
    expect(readFileSync(join(models, 'registry.json'), 'utf8')).toBe(first);
    const registry = JSON.parse(first);
    const full = JSON.parse(readFileSync(card('full'), 'utf8'));
    expect(registry.models).toHaveLength(1);
    expect(registry.models[0]).toMatchObject({
      version: full.version,
      data: { source: 'synthetic', kind: 'realistic' },
      holdoutAuc: full.metrics.holdout.auc,
    });
    expect(readFileSync(join(models, registry.models[0].card), 'utf8')).toBe(
      readFileSync(card('full'), 'utf8'),
    );
  });
});
