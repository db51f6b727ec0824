import { describe, expect, it } from 'vitest';
import { IssueLog } from './issues';

describe('IssueLog', () => {
  it('counts issues, distinct rows and kinds, and keeps only the first examples', () => {
    const log = new IssueLog(2);
    log.add({ row: 3, column: 'var_1', value: 'x', kind: 'non-numeric' });
    log.add({ row: 3, column: 'var_2', value: '', kind: 'empty' });
    log.add({ row: 9, column: 'var_1', value: 'inf', kind: 'non-finite' });
    log.add({ row: 10, column: 'var_4', value: 'y', kind: 'non-numeric' });
    const d = log.digest();
    expect(d.total).toBe(4);
    expect(d.rows).toBe(3);
    expect(d.byKind).toEqual({ 'non-numeric': 2, empty: 1, 'non-finite': 1 });
    expect(d.examples.map((e) => e.row)).toEqual([3, 3]);
  });
});
