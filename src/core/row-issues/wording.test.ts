import { describe, expect, it } from 'vitest';
import { describeIssue, describePastedIssue } from './wording';

describe('describeIssue', () => {
  it('leaves the row number out for a pasted row (the only one)', () => {
    expect(describePastedIssue({ row: 1, column: 'var_3', value: 'abc', kind: 'non-numeric' })).toBe(
      'var_3: "abc" is not a number',
    );
    expect(
      describePastedIssue({ row: 1, column: 'var_199', value: '199 of 201 fields', kind: 'too-few-fields' }),
    ).toMatch(/^the row: too few fields/);
  });

  it('names row, column and value for each kind', () => {
    expect(describeIssue({ row: 12, column: 'var_3', value: 'abc', kind: 'non-numeric' })).toBe(
      'row 12, var_3: "abc" is not a number',
    );
    expect(describeIssue({ row: 1, column: 'var_0', value: '', kind: 'empty' })).toBe('row 1, var_0: empty');
    expect(describeIssue({ row: 2, column: 'var_9', value: '1e400', kind: 'non-finite' })).toContain(
      '"1e400" is not a finite number',
    );
    expect(describeIssue({ row: 3, column: 'target', value: '2', kind: 'bad-target' })).toBe(
      'row 3, target: "2" is not 0 or 1',
    );
    // pandas writes a missing label (NaN) as an empty cell: said as such, not as a wrong label.
    expect(describeIssue({ row: 5, column: 'target', value: '', kind: 'bad-target' })).toBe(
      'row 5, target: empty (no label)',
    );
    expect(describeIssue({ row: 4, column: '', value: '', kind: 'too-few-fields' })).toContain(
      'row 4: too few fields',
    );
  });
});
