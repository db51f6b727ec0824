import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { readingNotes } from './csv/notes';
import { FEATURE_NAMES, mapColumns, misnamedTarget, SchemaError } from './schema';

const header = (edit: (names: string[]) => void = () => {}) => {
  const names = ['ID_code', 'target', ...FEATURE_NAMES];
  edit(names);
  return names;
};

const messageOf = (names: string[], requireTarget = false): string => {
  try {
    mapColumns(names, { requireTarget });
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return (error as Error).message;
  }
  throw new Error('mapColumns accepted the header');
};

describe('mapColumns: names with invisible characters', () => {
  it('names the column and the character after a feature name', () => {
    expect(messageOf(header((h) => (h[3] = 'var_1\u200B')))).toBe(
      'Column 4\'s name is "var_1" followed by an invisible U+200B ZERO WIDTH SPACE, so the file has no var_1 ' +
        'column: delete the invisible character from the header (such characters come with names copied from a ' +
        'web page or a document).',
    );
  });

  it('before ID_code, inside a name, and on the labels training needs', () => {
    expect(messageOf(header((h) => (h[0] = '\u2060ID_code')))).toContain(
      'Column 1\'s name is "ID_code" preceded by an invisible U+2060 WORD JOINER, so the file has no ID_code column',
    );
    expect(messageOf(header((h) => (h[2] = 'var\u200D_0')))).toContain(
      'Column 3\'s name is "var" and "_0" with an invisible U+200D ZERO WIDTH JOINER between them',
    );
    expect(
      messageOf(
        header((h) => (h[1] = 'target\u200C')),
        true,
      ),
    ).toContain(
      'Column 2\'s name is "target" followed by an invisible U+200C ZERO WIDTH NON-JOINER, so the file has no target column',
    );
  });

  it('says which space a name holds when it is not a plain one', () => {
    expect(messageOf(header((h) => (h[2] = 'var\u00A00')))).toContain(
      '"var\u00A00" (with a U+00A0 NO-BREAK SPACE in it) for var_0',
    );
  });

  it('a name that only has the invisible character is not taken for the needed one', () => {
    // Another column has the right name: the invisible one is just an extra column.
    const columns = mapColumns([...header(), 'var_1\u200B']);
    expect(columns.extra).toEqual(['var_1\u200B']);
  });

  it('the scoring notes point at target with an invisible character as the labels', () => {
    const columns = mapColumns(header((h) => (h[1] = 'target\u200B')));
    expect(misnamedTarget(columns)).toBe('target\u200B');
  });
});

describe('the header search sees through invisible characters', () => {
  it('does not say that no line names ID_code when one does with a zero-width space', async () => {
    const text = `\u200BID_code,${FEATURE_NAMES.join(',')}\nc1,${FEATURE_NAMES.map(() => '1').join(',')}\n`;
    const bytes = new TextEncoder().encode(text);
    const error = await parseCsv(
      async function* () {
        yield bytes;
      },
      { onBatch: () => {} },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as Error).message).toMatch(
      /^Column 1's name is "ID_code" preceded by an invisible U\+200B/,
    );
    expect((error as Error).message).not.toContain('was taken for the header');
  });

  it('skips byte order marks after the first and says so', async () => {
    const text = `\uFEFF\uFEFF\uFEFF"ID_code",${FEATURE_NAMES.join(',')}\nc1,${FEATURE_NAMES.map(() => '1').join(',')}\n`;
    const bytes = new TextEncoder().encode(text);
    const summary = await parseCsv(
      async function* () {
        yield bytes.subarray(0, 4);
        yield bytes.subarray(4);
      },
      { onBatch: () => {} },
    );
    expect(summary).toMatchObject({ rows: 1, bom: true, extraBoms: 2 });
    expect(readingNotes(summary).join(' ')).toContain(
      'The file starts with 3 byte order marks (U+FEFF) instead of one, as when a file saved with one is read as ' +
        'plain text and saved with one again: the extra ones were skipped, as the first always is.',
    );
  });
});
