import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../synth/sample';
import { rowsToCsv, tempDir } from '../testing/csv-fixture';
import { scoreFile } from './run';

const model = new URL('../../models/model.onnx', import.meta.url).pathname;

describe('scoreFile', () => {
  it('starts the output over when the reader restarts on a late quoted field: no row twice, none lost', async () => {
    const dir = tempDir('score-run');
    const rows = generate({ rows: 100, seed: 3, shapeSeed: 1, split: 'test' });
    const lines = rowsToCsv(rows.features, null, 'test').trimEnd().split('\n');
    // Row 60 has a quoted id with a comma: the fast reader has handed out 3 batches of 16 rows by then.
    lines[60] = `"quoted,id"${lines[60].slice(lines[60].indexOf(','))}`;
    const input = join(dir, 'quoted.csv');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'predictions.csv');
    const result = await scoreFile({ model, input, out, batchRows: 16 });
    const written = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(result.rows).toBe(100);
    expect(written[0]).toBe('ID_code,target');
    expect(written).toHaveLength(101);
    const ids = written.slice(1).map((l) => l.slice(0, l.lastIndexOf(',')));
    expect(new Set(ids).size).toBe(100);
    expect(ids[59]).toBe('"quoted,id"');
  });
});
