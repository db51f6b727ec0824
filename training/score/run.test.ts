import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../synth/sample';
import { rowsToCsv, tempDir } from '../testing/csv-fixture';
import { scoreFile } from './run';

const model = new URL('../../models/model.onnx', import.meta.url).pathname;

describe('scoreFile', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  it('starts the output over when the reader restarts on a late quoted field: no row twice, none lost', async () => {
    const dir = tempDir('score-run');
    dirs.push(dir);
    const rows = generate({ rows: 600, seed: 3, shapeSeed: 1, split: 'test' });
    const lines = rowsToCsv(rows.features, null, 'test').trimEnd().split('\n');
    // Row 500 (~800 KB in, past the reader's first 256 KiB chunks) has a quoted id with a comma: the fast
    // reader has handed out batches by then, so it restarts with papaparse.
    lines[500] = `"quoted,id"${lines[500].slice(lines[500].indexOf(','))}`;
    const input = join(dir, 'quoted.csv');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'predictions.csv');
    const result = await scoreFile({ model, input, out, batchRows: 64 });
    const written = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(result.rows).toBe(600);
    expect(written[0]).toBe('ID_code,target');
    expect(written).toHaveLength(601);
    const ids = written.slice(1).map((l) => l.slice(0, l.lastIndexOf(',')));
    expect(new Set(ids).size).toBe(600);
    expect(ids[499]).toBe('"quoted,id"');
  });

  it('names the training command, not the app menu, when a labelled file holds a column in another unit', async () => {
    const dir = tempDir('score-run');
    dirs.push(dir);
    const rows = generate({ rows: 20, seed: 5, shapeSeed: 1, split: 'train' });
    // var_81 in units 100 times too small: every value far outside the model's training range.
    for (let i = 0; i < 20; i++) rows.features[i * 200 + 81] *= 100;
    const input = join(dir, 'labelled-x100.csv');
    writeFileSync(input, rowsToCsv(rows.features, rows.targets));
    const error = await scoreFile({ model, input, out: join(dir, 'p.csv') }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(
      `Cannot use feature column var_81: 20 of its 20 values are far outside`,
    );
    expect((error as Error).message).toContain(
      `a model trained on this labelled file (npm run train -- --data ${input} --out <dir>) scores them`,
    );
    expect((error as Error).message).not.toContain('Model: Train');
  });

  it('writes the affected-rows list only with predictions.csv: removed again when the last rename fails', async () => {
    const dir = tempDir('score-run');
    dirs.push(dir);
    const rows = generate({ rows: 20, seed: 4, shapeSeed: 1, split: 'test' });
    const lines = rowsToCsv(rows.features, null, 'test').trimEnd().split('\n');
    lines[3] = lines[3].replace(/,[^,]*$/, ',oops');
    const input = join(dir, 'one-bad.csv');
    writeFileSync(input, lines.join('\n') + '\n');
    const list = join(dir, 'affected.csv');
    const ok = await scoreFile({ model, input, out: join(dir, 'p.csv'), affectedRows: list });
    expect(ok.issues.rows).toBe(1);
    expect(readFileSync(list, 'utf8')).toBe(
      `row,ID_code,column,kind,value\n3,test_2,var_199,non-numeric,oops\n`,
    );
    rmSync(list);
    // predictions.csv's name is taken by a directory: the rename into place fails after the list was written.
    mkdirSync(join(dir, 'taken.csv'));
    const error = await scoreFile({ model, input, out: join(dir, 'taken.csv'), affectedRows: list }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(existsSync(list)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
