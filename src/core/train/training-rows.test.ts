import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv/index';
import { FEATURE_COUNT, FEATURE_NAMES } from '../schema';
import { TrainingRefusal } from './policy';
import { DUPLICATE_ID } from '../row-issues/types';
import { issuesRefusingTraining, repeatedIdsNote, TrainingRowsSink } from './training-rows';

/** A labelled CSV of `rows` rows: var_j = i + j / 1000, target = i % 3 === 0. */
function csv(rows: number, edit?: (cells: string[], row: number) => void): Uint8Array {
  const lines = [['ID_code', 'target', ...FEATURE_NAMES].join(',')];
  for (let i = 0; i < rows; i++) {
    const cells = [`train_${i}`, i % 3 === 0 ? '1' : '0'];
    for (let j = 0; j < FEATURE_COUNT; j++) cells.push(String(i + j / 1000));
    edit?.(cells, i + 1);
    lines.push(cells.join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** The bytes in chunks of 64 KiB, as a stream source. */
function open(bytes: Uint8Array) {
  return async function* () {
    for (let at = 0; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536);
  };
}

function expectRows(rows: { rows: number; features: Float32Array; targets: Uint8Array }, n: number) {
  expect(rows.rows).toBe(n);
  expect(rows.features.length).toBe(n * FEATURE_COUNT);
  expect(rows.targets.length).toBe(n);
  for (const i of [0, 1, n - 1]) {
    expect(rows.targets[i]).toBe(i % 3 === 0 ? 1 : 0);
    expect(rows.features[i * FEATURE_COUNT + 7]).toBe(Math.fround(i + 0.007));
  }
}

describe('TrainingRowsSink', () => {
  it('gathers every row into one array, allocated once from the estimate', async () => {
    const bytes = csv(5000);
    let read = 0;
    let estimates = 0;
    const sink = new TrainingRowsSink((rowsSoFar) => {
      estimates++;
      return Math.ceil((rowsSoFar * bytes.length) / read);
    });
    await parseCsv(open(bytes), { ...sink.parseOptions, batchRows: 1000, onProgress: (b) => (read = b) });
    const rows = sink.finish();
    expectRows(rows, 5000);
    expect(estimates).toBe(1);
    // The estimate (from the first batch and the bytes read ahead of it) was close: no copy, a small slack.
    expect(rows.features.buffer.byteLength).toBeLessThanOrEqual(5000 * FEATURE_COUNT * 4 * 1.05);
  });

  it('grows without an estimate and ends with an array of the exact size', async () => {
    const sink = new TrainingRowsSink();
    await parseCsv(open(csv(2500)), { ...sink.parseOptions, batchRows: 300 });
    const rows = sink.finish();
    expectRows(rows, 2500);
    expect(rows.features.buffer.byteLength).toBe(2500 * FEATURE_COUNT * 4);
  });

  it('starts over when the reader restarts with papaparse (a quote after the first rows)', async () => {
    const sink = new TrainingRowsSink();
    const bytes = csv(1200, (cells, row) => {
      if (row === 1100) cells[0] = '"quoted,id"';
    });
    await parseCsv(open(bytes), { ...sink.parseOptions, batchRows: 256 });
    expectRows(sink.finish(), 1200);
    // The ids of the rows read before the restart are not counted twice.
    expect(sink.repeatedIds()).toBeNull();
  });

  it('counts repeated ID_codes across batches, and those whose target differs from their first row', async () => {
    const sink = new TrainingRowsSink();
    // Rows 701-710 repeat the ids of rows 1-10 with their targets; rows 901-903 repeat rows 4-6 with the
    // other target.
    const firstTarget = (k: number) => (k % 3 === 0 ? 1 : 0);
    const bytes = csv(1000, (cells, row) => {
      if (row > 700 && row <= 710) {
        cells[0] = `train_${row - 701}`;
        cells[1] = String(firstTarget(row - 701));
      }
      if (row > 900 && row <= 903) {
        cells[0] = `train_${row - 898}`;
        cells[1] = String(1 - firstTarget(row - 898));
      }
    });
    await parseCsv(open(bytes), { ...sink.parseOptions, batchRows: 128 });
    expect(sink.finish().rows).toBe(1000);
    const repeated = sink.repeatedIds()!;
    expect(repeated).toEqual({ rows: 13, conflicting: 3, first: { id: 'train_0', firstRow: 1, row: 701 } });
  });

  it('refuses the first bad cell with its row, column and value', async () => {
    const sink = new TrainingRowsSink();
    const bytes = csv(40, (cells, row) => {
      if (row === 12) cells[2 + 17] = 'n/a';
      if (row === 30) cells[1] = '2';
    });
    const error = await parseCsv(open(bytes), sink.parseOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingRefusal);
    expect((error as Error).message).toBe(
      'row 12, column var_17: missing value "n/a". Training needs every feature cell to be a number and every ' +
        'target 0 or 1 (scoring counts such a cell as missing; a model fitted on guessed values would hide a ' +
        'broken export): fix the cell or leave the row out.',
    );
  });

  it('refuses a row without an id saying so, not that a cell is not a number', async () => {
    const sink = new TrainingRowsSink();
    const bytes = csv(40, (cells, row) => {
      if (row === 5) cells[0] = '';
    });
    const error = await parseCsv(open(bytes), sink.parseOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingRefusal);
    expect((error as Error).message).toBe(
      'row 5 has no id: its ID_code cell is empty, though the row has values. Training needs an ID_code on ' +
        'every row (a row without one is not read, and training leaves out no row unsaid): fill in its ' +
        'ID_code or delete the row.',
    );
  });

  it('refuses a target that is not 0 or 1', async () => {
    const sink = new TrainingRowsSink();
    const bytes = csv(40, (cells, row) => {
      if (row === 30) cells[1] = '2';
    });
    const error = await parseCsv(open(bytes), sink.parseOptions).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^row 30, column target: target must be 0 or 1, got "2"\. Training needs/,
    );
  });

  it('names a yes/no target and says to recode it as 1/0, rather than reading the words as labels', async () => {
    const sink = new TrainingRowsSink();
    const bytes = csv(40, (cells, row) => {
      if (row >= 12) cells[1] = row % 2 ? 'yes' : 'No';
    });
    const error = await parseCsv(open(bytes), sink.parseOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingRefusal);
    expect((error as Error).message).toMatch(
      /^row 12, column target: target holds "No", a yes\/no word: recode the column as 1\/0\. Training needs/,
    );
  });
});

describe('issuesRefusingTraining', () => {
  const edits: [string, (cells: string[]) => void][] = [
    ['an empty cell', (c) => (c[5] = '')],
    ['a missing-value word', (c) => (c[5] = 'NA')],
    ['text', (c) => (c[5] = 'abc')],
    ['inf', (c) => (c[5] = 'inf')],
    ['a bad target', (c) => (c[1] = '0.99999999')],
    ['no id', (c) => (c[0] = '')],
    ['a short row', (c) => c.splice(100)],
    ['a long row', (c) => c.push('7')],
    ['a repeated id', (c) => (c[0] = 'train_0')],
  ];
  for (const [label, edit] of edits) {
    it(`counts what the training sink refuses, and only that: ${label}`, async () => {
      const bytes = csv(40, (cells, row) => row === 12 && edit(cells));
      const byKind: Record<string, number> = {};
      await parseCsv(open(bytes), {
        onBatch: () => {},
        onIssue: (issue) => void (byKind[issue.kind] = (byKind[issue.kind] ?? 0) + 1),
      });
      const sink = new TrainingRowsSink();
      const refused = await parseCsv(open(bytes), sink.parseOptions).then(
        () => false,
        (e: unknown) => e instanceof TrainingRefusal,
      );
      // A repeated id is no reader issue; the page's digest counts it as 'duplicate-id', which training accepts.
      if (label === 'a repeated id') byKind[DUPLICATE_ID] = 1;
      expect(issuesRefusingTraining(byKind) > 0).toBe(refused);
      expect(refused).toBe(label !== 'a repeated id');
    });
  }
});

describe('repeatedIdsNote', () => {
  it('says how many rows repeat an id, the first repeat, the conflicts, and what it does to the holdout', () => {
    expect(
      repeatedIdsNote({ rows: 100, conflicting: 40, first: { id: 'train_7', firstRow: 8, row: 2001 } }),
    ).toBe(
      '100 rows repeat the ID_code of an earlier row (the first: "train_7", rows 8 and 2001); 40 of them have ' +
        'another target than the earlier row. Every row was trained on as its own customer; a customer on two ' +
        'rows can fall in both the fitted part and the holdout, which flatters the holdout AUC.',
    );
    expect(repeatedIdsNote({ rows: 1, conflicting: 0, first: { id: 'a', firstRow: 1, row: 2 } })).toMatch(
      /^1 row repeats the ID_code of an earlier row \(the first: "a", rows 1 and 2\)\. Every row/,
    );
  });
});
