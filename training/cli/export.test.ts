import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli';
import { tempDir } from '../testing/csv-fixture';

const dir = tempDir('export-cli');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run export', () => {
  it('writes the bins table and the query in each dialect, with its own lines', () => {
    const lines = {
      duckdb: 'ROW_NUMBER() OVER ()',
      spark: 'monotonically_increasing_id()',
      bigquery: 'GENERATE_UUID()',
    };
    for (const [dialect, rowKey] of Object.entries(lines)) {
      const out = join(dir, dialect);
      const r = runCli('training/cli/export.ts', [
        '--model',
        'models/model.onnx',
        '--format',
        'sql',
        '--dialect',
        dialect,
        '--out',
        out,
        '--table',
        'bank.customers',
      ]);
      expect(r.code, r.out).toBe(0);
      const query = readFileSync(join(out, 'score.sql'), 'utf8');
      expect(query).toContain(`${rowKey} AS row_key`);
      expect(query).toContain('FROM bank.customers');
      expect(query).toContain('UNPIVOT INCLUDE NULLS ((x, guess) FOR feature IN (');
      expect(query.includes('ORDER BY row_key')).toBe(dialect === 'duckdb');
      const bins = readFileSync(join(out, 'bins.sql'), 'utf8');
      expect(bins).toContain(dialect === 'bigquery' ? 'lower FLOAT64' : 'lower DOUBLE');
      // No statement near BigQuery's 1 MB limit.
      expect(Math.max(...bins.split(';\n').map((s) => s.length))).toBeLessThan(200_000);
      expect(readFileSync(join(out, 'bins.csv'), 'utf8').split('\n')[1]).toMatch(/^\(intercept\),,,,,-?\d/);
    }
  }, 120_000);

  it('writes the scorecard, and refuses bad usage with exit 2', () => {
    const out = join(dir, 'card');
    const r = runCli('training/cli/export.ts', [
      '--model',
      'models/model.onnx',
      '--format',
      'scorecard',
      '--out',
      out,
      '--pdo',
      '40',
    ]);
    expect(r.code, r.out).toBe(0);
    expect(readFileSync(join(out, 'scorecard.md'), 'utf8')).toContain('(PDO 40)');
    expect(runCli('training/cli/export.ts', ['--model', 'models/model.onnx', '--format', 'xml']).code).toBe(
      2,
    );
    expect(
      runCli('training/cli/export.ts', [
        '--model',
        'models/model.onnx',
        '--format',
        'sql',
        '--table',
        'x; DROP TABLE y',
      ]).code,
    ).toBe(2);
    const missing = runCli('training/cli/export.ts', [
      '--model',
      join(dir, 'none.onnx'),
      '--format',
      'sql',
      '--out',
      out,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such model file');
  }, 120_000);
});

describe('npm run score -- --engine duckdb', () => {
  it('writes ID_code,target like the default engine, and refuses an unknown engine with exit 2', () => {
    const input = join(dir, 'few.csv');
    const lines = readFileSync('static/sample.csv', 'utf8').split('\n').slice(0, 21);
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'few-predictions.csv');
    const r = runCli('training/cli/score.ts', [
      '--model',
      'models/model.onnx',
      '--in',
      input,
      '--out',
      out,
      '--engine',
      'duckdb',
    ]);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toMatch(/wrote .*: 20 rows in \d+\.\d\d s \(duckdb\)\n/);
    expect(r.stderr).not.toContain('target column');
    const written = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(written[0]).toBe('ID_code,target');
    expect(written).toHaveLength(21);

    // A labelled file: scored the same, and told that this engine does not evaluate the labels.
    const labelled = join(dir, 'few-labelled.csv');
    writeFileSync(
      labelled,
      lines.map((l, i) => l.replace(',', i === 0 ? ',target,' : `,${i % 2},`)).join('\n') + '\n',
    );
    const args = ['--model', 'models/model.onnx', '--in', labelled, '--out', join(dir, 'few-labelled-p.csv')];
    const r2 = runCli('training/cli/score.ts', [...args, '--engine', 'duckdb']);
    expect(r2.code, r2.out).toBe(0);
    expect(r2.stderr).toContain('the file has a target column, which the duckdb engine does not read');
    expect(readFileSync(join(dir, 'few-labelled-p.csv'), 'utf8')).toBe(readFileSync(out, 'utf8'));
    expect(
      runCli('training/cli/score.ts', [
        '--model',
        'models/model.onnx',
        '--in',
        input,
        '--out',
        out,
        '--engine',
        'spark',
      ]).code,
    ).toBe(2);
  }, 120_000);
});
