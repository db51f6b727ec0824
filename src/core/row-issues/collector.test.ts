import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packIds } from '../ids';
import { RowIssues } from './collector';
import { DUPLICATE_ID, NOT_LISTED, type IssueLike } from './types';

function batch(firstRow: number, ids: string[]) {
  return { firstRow, count: ids.length, ids: packIds(ids) };
}

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `id_${from + i}`);

function csv(issues: RowIssues): string[][] {
  return issues
    .csvChunks()
    .join('')
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
}

describe('RowIssues', () => {
  it('counts per kind, keeps the first examples, lists affected rows once each', () => {
    const log = new RowIssues({ examples: 3 });
    const issues: IssueLike[] = [
      { row: 2, column: 'var_0', value: '', kind: 'empty' },
      { row: 2, column: 'var_5', value: 'abc', kind: 'non-numeric' },
      { row: 4, column: 'var_1', value: 'inf', kind: 'non-finite' },
      { row: 7, column: 'var_199', value: '', kind: 'empty' },
    ];
    issues.forEach((i) => log.add(i));
    log.noteBatch(batch(1, ids(1, 10)));
    const d = log.digest();
    expect(d.total).toBe(4);
    expect(d.rows).toBe(3);
    expect(d.byKind).toEqual({ empty: 2, 'non-numeric': 1, 'non-finite': 1 });
    expect(d.examples).toEqual(issues.slice(0, 3));
    expect(Array.from(log.affectedRows())).toEqual([2, 4, 7]);
    expect(d.duplicates).toEqual({ rows: 0, examples: [], checkedRows: 10, complete: true });
    expect(d.detailsComplete).toBe(true);
    expect(d.message).toContain('3 rows affected: 2 empty cells, 1 non-numeric cell');
    expect(d.message).toContain('Every row was scored and none was dropped');
    expect(d.message).toContain('row 2, var_5: "abc" is not a number');
  });

  it('says a bad target is left out of the evaluation, not that it counts as a missing feature', () => {
    const only = new RowIssues();
    only.add({ row: 3, column: 'target', value: '2', kind: 'bad-target' });
    only.noteBatch(batch(1, ids(1, 5)));
    const m = only.digest().message;
    expect(m).toContain('1 target not 0 or 1 (left out of the evaluation)');
    expect(m).toContain('Every row was scored and none was dropped; a target that is not 0 or 1 is left out');
    expect(m).toContain('row 3, target: "2" is not 0 or 1');
    expect(m).not.toContain('neutral contribution');

    const both = new RowIssues();
    both.add({ row: 2, column: 'var_0', value: 'abc', kind: 'non-numeric' });
    both.add({ row: 3, column: 'target', value: 'maybe', kind: 'bad-target' });
    both.noteBatch(batch(1, ids(1, 5)));
    const b = both.digest().message;
    expect(b).toContain(
      'a bad or missing cell counts as missing, which gives the neutral contribution. First: row 2',
    );
    expect(b).not.toMatch(/neutral contribution[^.]*target/);
    expect(b).toContain(
      'A target that is not 0 or 1 is left out of the evaluation on your labels. First: row 3',
    );
  });

  it('says an empty target column is empty: the file is scored, not evaluated, and no target is "not 0 or 1"', () => {
    const log = new RowIssues();
    for (let row = 1; row <= 300; row++) log.add({ row, column: 'target', value: '', kind: 'bad-target' });
    log.noteBatch(batch(1, ids(1, 300)));
    const d = log.digest();
    expect(d.targetColumnEmpty).toBe(true);
    expect(d.emptyTargets).toBe(300);
    expect(d.message).toBe(
      'The target column is empty: the file is scored but not evaluated (no row has a label to check the model on).',
    );
    expect(d.message).not.toContain('not 0 or 1');
    expect(d.message).not.toContain('300 rows affected');

    // Other issues are still said, without a row count every row would be in.
    const more = new RowIssues();
    for (let row = 1; row <= 5; row++) more.add({ row, column: 'target', value: ' ', kind: 'bad-target' });
    more.add({ row: 2, column: 'var_0', value: 'abc', kind: 'non-numeric' });
    more.noteBatch(batch(1, ids(1, 5)));
    const m = more.digest().message;
    expect(m).toMatch(/^The target column is empty: the file is scored but not evaluated/);
    expect(m).toContain('Other issues: 1 non-numeric cell.');
    expect(m).not.toContain('not 0 or 1');
  });

  it('counts empty targets apart from targets that are not 0 or 1 when some rows have a label', () => {
    const log = new RowIssues();
    log.add({ row: 2, column: 'target', value: '', kind: 'bad-target' });
    log.add({ row: 4, column: 'target', value: '2', kind: 'bad-target' });
    log.noteBatch(batch(1, ids(1, 5)));
    const d = log.digest();
    expect(d.targetColumnEmpty).toBe(false);
    expect(d.message).toContain(
      '2 rows affected: 1 target not 0 or 1 (left out of the evaluation), 1 empty target (no label; left out of the evaluation).',
    );
    expect(d.message).toContain('a target that is empty or not 0 or 1 is left out of the evaluation');

    const empty = new RowIssues();
    empty.add({ row: 2, column: 'target', value: '', kind: 'bad-target' });
    empty.noteBatch(batch(1, ids(1, 5)));
    const e = empty.digest().message;
    expect(e).toContain('1 row affected: 1 empty target (no label; left out of the evaluation).');
    expect(e).toContain(
      'an empty target is left out of the evaluation on your labels. First: row 2, target: empty',
    );
    expect(e).not.toContain('not 0 or 1');
  });

  it("names yes/no targets, with the first one's row, and says to recode them as 1/0", () => {
    const log = new RowIssues();
    for (let row = 1; row <= 300; row++)
      log.add({ row, column: 'target', value: row % 3 ? 'no' : 'yes', kind: 'bad-target' });
    log.noteBatch(batch(1, ids(1, 300)));
    const d = log.digest();
    expect(d.yesNoTargets).toEqual({
      count: 300,
      words: ['no', 'yes'],
      first: { row: 1, column: 'target', value: 'no', kind: 'bad-target' },
    });
    expect(d.message).toBe(
      '300 rows affected: 300 targets written as yes/no (left out of the evaluation). Every row was scored and ' +
        'none was dropped; the target holds yes/no, not 1/0 (first: row 1, "no"); recode it as 1/0 to evaluate ' +
        'the model on your labels (until then those rows are left out of the evaluation).',
    );
    expect(d.message).not.toContain('not 0 or 1');

    // Other bad targets keep their own sentence; the spellings found are named as found.
    const mixed = new RowIssues();
    mixed.add({ row: 3, column: 'target', value: '2', kind: 'bad-target' });
    mixed.add({ row: 5, column: 'target', value: 'N', kind: 'bad-target' });
    mixed.add({ row: 6, column: 'target', value: 'Y', kind: 'bad-target' });
    mixed.noteBatch(batch(1, ids(1, 10)));
    const m = mixed.digest().message;
    expect(m).toContain('1 target not 0 or 1 (left out of the evaluation), 2 targets written as yes/no');
    expect(m).toContain('First: row 3, target: "2" is not 0 or 1.');
    expect(m).toContain('The target holds Y/N, not 1/0 (first: row 5, "N"); recode it as 1/0');
  });

  it('says nothing when nothing is wrong', () => {
    const log = new RowIssues();
    log.noteBatch(batch(1, ids(1, 100)));
    const d = log.digest();
    expect(d.total).toBe(0);
    expect(d.message).toBe('');
    expect(log.csvChunks().join('')).toBe('row,ID_code,column,kind,value\n');
  });

  it('renders the affected-rows CSV with ids, in row order, across batches', () => {
    const log = new RowIssues();
    log.add({ row: 3, column: 'var_2', value: 'x,y', kind: 'non-numeric' });
    log.noteBatch(batch(1, ids(1, 5)));
    log.add({ row: 9, column: 'var_7', value: '', kind: 'empty' });
    log.add({ row: 9, column: 'var_8', value: '1e400', kind: 'non-finite' });
    log.noteBatch(batch(6, ids(6, 5)));
    expect(csv(log)).toEqual([
      ['row', 'ID_code', 'column', 'kind', 'value'],
      ['3', 'id_3', 'var_2', 'non-numeric', '"x', 'y"'],
      ['9', 'id_9', 'var_7', 'empty', ''],
      ['9', 'id_9', 'var_8', 'non-finite', '1e400'],
    ]);
  });

  it('still finds the id of an issue reported after its batch', () => {
    const log = new RowIssues();
    log.noteBatch(batch(1, ids(1, 5)));
    log.add({ row: 4, column: 'var_0', value: '', kind: 'empty' });
    expect(csv(log)[1]).toEqual(['4', 'id_4', 'var_0', 'empty', '']);
  });

  it('keeps out-of-order rows sorted and distinct', () => {
    const log = new RowIssues();
    for (const row of [5, 9, 2, 9, 5, 1, 12]) log.add({ row, column: 'var_0', value: '', kind: 'empty' });
    expect(Array.from(log.affectedRows())).toEqual([1, 2, 5, 9, 12]);
    expect(
      csv(log)
        .slice(1)
        .map((l) => l[0]),
    ).toEqual(['1', '2', '5', '5', '9', '9', '12']);
  });

  it('warns about repeated ids, keeps every row, and lists them', () => {
    const log = new RowIssues();
    log.noteBatch(batch(1, ['a', 'b', 'c']));
    log.noteBatch(batch(4, ['b', 'd', 'a', 'b']));
    const d = log.digest();
    expect(d.duplicates.rows).toBe(3);
    expect(d.duplicates.examples).toEqual([
      { id: 'b', row: 4, firstRow: 2 },
      { id: 'a', row: 6, firstRow: 1 },
      { id: 'b', row: 7, firstRow: 2 },
    ]);
    expect(d.byKind).toEqual({ [DUPLICATE_ID]: 3 });
    expect(Array.from(log.affectedRows())).toEqual([4, 6, 7]);
    expect(d.message).toContain('3 rows affected: 3 repeated ID_codes.');
    expect(d.message).toContain(
      'Rows with a repeated ID_code were all kept and scored (first: "b" at row 4, first seen at row 2)',
    );
    expect(d.message).not.toContain('bad or missing cell');
    expect(csv(log)[1]).toEqual(['4', 'b', 'ID_code', DUPLICATE_ID, 'b']);
  });

  it('says when the repeated-id check outgrew its limit instead of claiming a full check', () => {
    const log = new RowIssues({ idLimit: 10 });
    log.noteBatch(batch(1, ids(1, 8)));
    log.noteBatch(batch(9, [...ids(9, 5), 'id_1']));
    const d = log.digest();
    expect(d.duplicates.complete).toBe(false);
    expect(d.duplicates.checkedRows).toBe(10);
    // id_1 repeats at row 14, after the limit: not claimed either way, but the message says the check was partial.
    expect(d.duplicates.rows).toBe(0);
    expect(d.message).toContain('Repeated ids were checked on the first 10 rows only');
  });

  it('keeps details for the first issues only and lists the other affected rows as not-listed', () => {
    const log = new RowIssues({ detailLimit: 2 });
    for (const row of [1, 2, 3, 5]) log.add({ row, column: 'var_0', value: '', kind: 'empty' });
    log.noteBatch(batch(1, ids(1, 6)));
    const d = log.digest();
    expect(d.total).toBe(4);
    expect(d.rows).toBe(4);
    expect(d.detailsComplete).toBe(false);
    expect(d.message).toContain('full details for the first issues only');
    expect(csv(log).slice(1)).toEqual([
      ['1', 'id_1', 'var_0', 'empty', ''],
      ['2', 'id_2', 'var_0', 'empty', ''],
      ['3', '', '', NOT_LISTED, ''],
      ['5', '', '', NOT_LISTED, ''],
    ]);
  });

  it('neutralises ids and values for spreadsheets in the CSV', () => {
    const log = new RowIssues();
    log.add({ row: 1, column: 'var_0', value: '=HYPERLINK("x")', kind: 'non-numeric' });
    log.add({ row: 2, column: 'var_0', value: '@SUM(A1)', kind: 'non-numeric' });
    log.noteBatch(batch(1, ['+cmd', '\tx']));
    const text = log.csvChunks().join('');
    expect(text).toContain(`1,'+cmd,var_0,non-numeric,"'=HYPERLINK(""x"")"`);
    expect(text).toContain(`2,'\tx,var_0,non-numeric,'@SUM(A1)`);
  });

  it('splits the CSV into chunks of bounded size', () => {
    const log = new RowIssues();
    for (let row = 1; row <= 25; row++) log.add({ row, column: 'var_0', value: '', kind: 'empty' });
    const chunks = log.csvChunks(10);
    expect(chunks.length).toBe(3);
    expect(chunks.join('').trimEnd().split('\n').length).toBe(26);
  });

  it('stays small for 200,000 affected rows', () => {
    const log = new RowIssues();
    const rows = 200_000;
    for (let at = 1; at <= rows; at += 8192) {
      const n = Math.min(8192, rows - at + 1);
      for (let row = at; row < at + n; row++) log.add({ row, column: 'var_3', value: '', kind: 'empty' });
      log.noteBatch(batch(at, ids(at, n)));
    }
    const d = log.digest();
    expect(d.rows).toBe(rows);
    expect(d.examples.length).toBe(20);
    expect(log.affectedRows().length).toBe(rows);
    expect(d.detailsComplete).toBe(false);
    const lines = log.csvChunks().join('').trimEnd().split('\n');
    expect(lines.length).toBe(rows + 1);
    // Ids are kept for the first 100,000 affected rows only; later rows are listed by number.
    expect(lines[100_000]).toBe('100000,id_100000,var_3,empty,');
    expect(lines[150_000]).toBe(`150000,,,${NOT_LISTED},`);
  });
});

describe('RowIssues properties (fast-check)', () => {
  it('lists exactly the affected rows, sorted and distinct, whatever the order and limits', () => {
    const issue = fc.record({
      row: fc.integer({ min: 1, max: 60 }),
      column: fc.constantFrom('var_0', 'var_1', 'target', ''),
      value: fc.string({ maxLength: 8 }),
      kind: fc.constantFrom('empty', 'non-numeric', 'non-finite', 'too-few-fields', 'bad-target'),
    });
    fc.assert(
      fc.property(
        fc.array(issue, { maxLength: 80 }),
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 60 }),
        (issues, idPool, detailLimit, idLimit) => {
          const log = new RowIssues({ detailLimit, idLimit });
          issues.forEach((i) => log.add(i));
          for (let at = 1; at <= 60; at += 16) {
            const n = Math.min(16, 61 - at);
            log.noteBatch({ firstRow: at, count: n, ids: packIds(idPool.slice(at - 1, at - 1 + n)) });
          }
          const d = log.digest();
          const rows = Array.from(log.affectedRows());
          for (let k = 1; k < rows.length; k++) expect(rows[k]).toBeGreaterThan(rows[k - 1]);
          for (const i of issues) expect(rows).toContain(i.row);
          expect(d.total).toBe(issues.length + d.duplicates.rows);
          expect(Object.values(d.byKind).reduce((a, b) => a + b, 0)).toBe(d.total);
          expect(d.rows).toBe(rows.length);
          const lines = log.csvChunks(7).join('').trimEnd().split('\n');
          // One line per kept issue, plus one per affected row without kept details.
          expect(lines.length - 1).toBeGreaterThanOrEqual(Math.min(d.total, detailLimit));
          const listed = new Set(lines.slice(1).map((l) => Number(l.split(',')[0])));
          expect([...listed].sort((a, b) => a - b)).toEqual(rows);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
