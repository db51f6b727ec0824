import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '../../src/core/schema';
import { generate } from '../synth/sample';
import { rowsToCsv, tempDir } from '../testing/csv-fixture';
import { TrainingRefusal } from '../../src/core/train/policy';
import { readTrainingFile } from './read-rows';

describe('readTrainingFile', () => {
  const dir = tempDir('read-rows');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const data = generate({ rows: 600, seed: 4, shapeSeed: 1 });

  it('reads every row once into one array, also when a late quoted field makes the reader start over', async () => {
    const lines = rowsToCsv(data.features, data.targets).trimEnd().split('\n');
    lines[500] = `"quoted,id"${lines[500].slice(lines[500].indexOf(','))}`; // past the first chunks
    const path = join(dir, 'quoted.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const read = await readTrainingFile(path);
    expect(read.rows).toBe(600);
    expect(Array.from(read.targets!)).toEqual(Array.from(data.targets));
    expect(read.features.length).toBe(600 * FEATURE_COUNT);
    // 4-decimal text parsed back to the same float32 values the generator holds.
    expect(Array.from(read.features.subarray(0, 400))).toEqual(Array.from(data.features.subarray(0, 400)));
    // A plain CSV: nothing to say about how it was read.
    expect(read.notes).toEqual([]);
  });

  it("says how the file was read and which ids repeat, in the scoring notes' words", async () => {
    const lines = rowsToCsv(data.features.subarray(0, 50 * FEATURE_COUNT), data.targets.subarray(0, 50))
      .trimEnd()
      .split('\n');
    // Row 50 repeats row 1's id (its target may differ: counted either way).
    lines[50] = `${lines[1].slice(0, lines[1].indexOf(','))}${lines[50].slice(lines[50].indexOf(','))}`;
    const path = join(dir, 'title.csv');
    writeFileSync(path, `Bank export\n${lines.join('\n')}\n`);
    const read = await readTrainingFile(path);
    expect(read.rows).toBe(50);
    expect(read.notes).toHaveLength(2);
    expect(read.notes[0]).toBe('Line 1 above the header was skipped: "Bank export". The header is line 2.');
    expect(read.notes[1]).toMatch(
      /^1 row repeats the ID_code of an earlier row \(the first: "[^"]+", rows 1 and 50\)/,
    );
  });

  it('a file whose labels are in a column named label is refused with the rename to target (the app does the same)', async () => {
    const lines = rowsToCsv(data.features.subarray(0, 40 * FEATURE_COUNT), data.targets.subarray(0, 40))
      .trimEnd()
      .split('\n');
    lines[0] = lines[0].replace(',target,', ',label,');
    expect(lines[0]).toContain(',label,');
    const path = join(dir, 'label.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    let ones = 0;
    for (let i = 0; i < 40; i++) ones += data.targets[i];
    await expect(readTrainingFile(path)).rejects.toThrow(
      `No target column: training needs labelled rows. Its column "label" holds only 0 and 1 (40 rows, ${ones} ` +
        'of them 1): if those are the labels, rename it to target (lower case, as in the Kaggle files) and train again.',
    );
  });

  it('refuses the first bad cell with its row and column', async () => {
    const lines = rowsToCsv(data.features.subarray(0, 20 * FEATURE_COUNT), data.targets.subarray(0, 20))
      .trimEnd()
      .split('\n');
    const cells = lines[7].split(',');
    cells[12] = 'n/a';
    lines[7] = cells.join(',');
    const path = join(dir, 'bad.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const error = await readTrainingFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingRefusal);
    const message = (error as Error).message;
    expect(
      message.startsWith(`${path}: row 7, column var_10: missing value "n/a". Training needs every`),
    ).toBe(true);
  });
});
