import { describe, expect, it } from 'vitest';
import { fileProblemMessage } from './file-problem';

describe('fileProblemMessage', () => {
  const named = (name: string, message: string) => Object.assign(new Error(message), { name });
  it('passes reader errors through with the file name', () => {
    expect(
      fileProblemMessage(named('SchemaError', 'Missing 2 feature column(s): var_3, var_4.'), 'a.csv'),
    ).toBe('Cannot score a.csv: Missing 2 feature column(s): var_3, var_4.');
  });
  it('passes the input layer’s broken-gzip message through', () => {
    expect(
      fileProblemMessage(
        named('FileError', 'It is not a valid gzip file (incorrect header check).'),
        'a.csv.gz',
      ),
    ).toBe('Cannot score a.csv.gz: It is not a valid gzip file (incorrect header check).');
  });
  it('does not call any other failure of a .gz file a gzip problem', () => {
    const message = fileProblemMessage(new Error('The scoring worker stopped unexpectedly.'), 'a.csv.gz');
    expect(message).toBe('Cannot score a.csv.gz: The scoring worker stopped unexpectedly.');
    expect(message).not.toMatch(/gzip/);
  });
  it('reports a cancel as such', () => {
    expect(fileProblemMessage(named('AbortError', 'aborted'), 'a.csv')).toBe(
      'Cancelled: a.csv was not scored.',
    );
  });
});
