import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, SchemaError } from '../schema';
import { collect, openBytes } from './collect';
import { CsvError, parseCsv, type ParseOptions } from './index';
import { readingNotes } from './notes';

const encoder = new TextEncoder();
const HEADER = ['ID_code', 'target', ...FEATURE_NAMES];

/** A row whose var_j is `value(j)`. */
function row(id: string, target: string, value: (j: number) => string = (j) => `${j}.5`): string {
  return [id, target, ...FEATURE_NAMES.map((_, j) => value(j))].join(',');
}

function file(lines: string[], eol = '\n'): Uint8Array {
  return encoder.encode(lines.join(eol) + eol);
}

const both = ['auto', 'papaparse'] as const;

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe.each(both)('parseCsv (%s)', (parser) => {
  const read = (bytes: Uint8Array, options: Omit<ParseOptions, 'onBatch'> = {}, cuts: number[] = []) =>
    collect(openBytes(bytes, cuts), { parser, ...options });

  it('reads rows into column-mapped typed arrays', async () => {
    const bytes = file([HEADER.join(','), row('a', '1'), row('b', '0', (j) => String(-j))]);
    const r = await read(bytes, { batchRows: 1 }, [7, 100, 3000]);
    expect(r.summary).toMatchObject({
      rows: 2,
      issueCount: 0,
      delimiter: ',',
      bom: false,
      bytes: bytes.length,
    });
    expect(r.summary.parser).toBe(parser === 'auto' ? 'fast' : 'papaparse');
    expect(r.ids).toEqual(['a', 'b']);
    expect(r.targets).toEqual([1, 0]);
    expect(r.features[199]).toBe(199.5);
    expect(r.features[200 + 7]).toBe(-7);
    expect(r.batchSizes).toEqual([1, 1]);
    expect(r.firstRows).toEqual([1, 2]);
  });

  it('fills buffers handed in for the features, every cell of every row (nothing left from earlier use)', async () => {
    const bytes = file([
      HEADER.join(','),
      row('a', '1'),
      row('', '0'), // no ID_code: not delivered, its slot is filled again by the next row
      row('b', '0', (j) => (j === 3 ? 'x' : String(-j))),
      [HEADER.slice(0, 50).join(',').replace('ID_code', 'c').replace('target', '1')].join(''), // short row
      row('d', '1', (j) => (j % 2 ? '' : `${j}e-3`)),
      row('e', '0'),
    ]);
    const handed: ArrayBuffer[] = [];
    const featureBuffer = (n: number) => {
      // Stale values where the reader must write: a recycled buffer holds the last batch's rows.
      const buffer = new ArrayBuffer(n);
      new Float32Array(buffer).fill(12345);
      handed.push(buffer);
      return buffer;
    };
    const fresh = await read(bytes, { batchRows: 2 }, [5, 900]);
    const reused = await read(bytes, { batchRows: 2, featureBuffer }, [5, 900]);
    expect(handed.length).toBeGreaterThan(2);
    expect(reused.summary).toEqual(fresh.summary);
    expect(reused.ids).toEqual(fresh.ids);
    expect(reused.issues).toEqual(fresh.issues);
    expect(Array.from(reused.features)).toEqual(Array.from(fresh.features));
    expect(Array.from(fresh.features)).not.toContain(12345);
  });

  it('matches columns by name in any order and ignores extra columns', async () => {
    const names = ['extra', ...[...FEATURE_NAMES].reverse(), 'ID_code'];
    const values = ['x', ...FEATURE_NAMES.map((_, j) => String(199 - j)), 'id1'];
    const r = await read(file([names.join(','), values.join(',')]));
    expect(r.targets).toBeNull();
    expect(r.ids).toEqual(['id1']);
    expect(Array.from(r.features.slice(0, 3))).toEqual([0, 1, 2]);
    expect(r.info[0].columns.extra).toEqual(['extra']);
  });

  it('strips a BOM, reads CRLF and skips trailing blank lines', async () => {
    const bytes = encoder.encode(`\uFEFF${HEADER.join(',')}\r\n${row('a', '1')}\r\n\r\n\n`);
    const r = await read(bytes, {}, [1, 2]);
    expect(r.summary).toMatchObject({ rows: 1, bom: true, issueCount: 0 });
    expect(r.ids).toEqual(['a']);
    expect(r.features[199]).toBe(199.5);
  });

  it('reads the last row without a final newline', async () => {
    const bytes = encoder.encode(`${HEADER.join(',')}\n${row('a', '1')}\n${row('b', '0')}`);
    const r = await read(bytes, {}, [bytes.length - 1]);
    expect(r.ids).toEqual(['a', 'b']);
    expect(r.features[399]).toBe(199.5);
  });

  it('reports bad cells in order and reads them as NaN', async () => {
    const cells: Record<number, string> = { 0: '', 1: 'abc', 2: 'NaN', 3: '1e400', 4: '1.5e3', 5: ' 2 ' };
    const r = await read(
      file([HEADER.join(','), row('a', '7', (j) => cells[j] ?? '1'), row('b', '', () => '1'), row('c', '1')]),
    );
    expect(r.issues).toEqual([
      { row: 1, column: 'target', value: '7', kind: 'bad-target' },
      { row: 1, column: 'var_0', value: '', kind: 'empty' },
      { row: 1, column: 'var_1', value: 'abc', kind: 'non-numeric' },
      { row: 1, column: 'var_2', value: 'NaN', kind: 'missing' },
      { row: 1, column: 'var_3', value: '1e400', kind: 'non-finite' },
      { row: 2, column: 'target', value: '', kind: 'bad-target' },
    ]);
    expect(Array.from(r.features.slice(0, 6))).toEqual([NaN, NaN, NaN, NaN, 1500, 2]);
    expect(r.targets).toEqual([NaN, NaN, 1]);
    expect(r.summary.issueCount).toBe(6);
  });

  it('reads a Target column as an unused column and says how to have it evaluated', async () => {
    const header = HEADER.map((h) => (h === 'target' ? 'Target' : h));
    const r = await read(file([header.join(','), row('a', '1'), row('b', '0')]));
    expect(r.targets).toBeNull();
    expect(r.summary.columns.targetIndex).toBe(-1);
    const notes = readingNotes(r.summary);
    expect(notes).toContain('Ignored 1 column the model does not use: Target.');
    expect(notes).toContain(
      'No column is named target, so the scores were not checked against labels: rename "Target" to target ' +
        '(lower case, as in the Kaggle files) to have them evaluated.',
    );
    const labelled = await read(file([[...HEADER, 'TARGET'].join(','), `${row('a', '1')},1`]));
    expect(readingNotes(labelled.summary).join(' ')).not.toContain('No column is named target');
  });

  it('quotes lines above the header as they read, their own quotes not escaped', async () => {
    const semi = HEADER.join(';');
    const hinted = await read(file(['"sep=;"', semi, row('a', '1').replaceAll(',', ';')]));
    expect(readingNotes(hinted.summary)[0]).toBe(
      'Columns are separated by a semicolon, as line 1 (“"sep=;"”) says.',
    );
    const ignored = await read(file(['"sep=;"', HEADER.join(','), row('a', '1')]));
    expect(readingNotes(ignored.summary).join(' ')).toContain('Line 1 (“"sep=;"”) names a separator');
    const titled = await read(
      file(['"Customers, March"', 'exported\tby "Ann"', HEADER.join(','), row('a', '1')]),
    );
    expect(readingNotes(titled.summary)).toContain(
      'Lines 1, 2 above the header were skipped: “"Customers, March"”, “exported\\tby "Ann"”. The header is line 3.',
    );
  });

  it('cuts long bad values to about 60 characters', async () => {
    const r = await read(file([HEADER.join(','), row('a', '1', (j) => (j === 9 ? 'z'.repeat(500) : '1'))]));
    expect(r.issues[0].value).toBe(`${'z'.repeat(60)}…`);
  });

  it('skips a line holding only an end-of-file mark (Ctrl-Z) and counts it, and only such a line', async () => {
    const r = await read(file([HEADER.join(','), row('a', '1'), row('b', '0'), '\x1a'], '\r\n'));
    expect(r.ids).toEqual(['a', 'b']);
    expect(r.issues).toEqual([]);
    expect(r.summary).toMatchObject({ endOfFileMarks: 1, lastMarkAfterRow: 2, emptyLines: 0 });
    // A mark with more on its line is a row like any other (its id is what the file says).
    const more = await read(file([HEADER.join(','), row('a', '1'), `\x1a${row('', '0')}`]));
    expect(more.summary.endOfFileMarks).toBe(0);
    expect(more.ids).toEqual(['a', '\x1a']);
  });

  it('takes a line of several end-of-file marks and blanks, and a run of marks ending the file, for one mark', async () => {
    for (const last of ['\x1a'.repeat(40), '\x1a ', ' \x1a\t\x1a']) {
      const r = await read(file([HEADER.join(','), row('a', '1'), row('b', '0'), last], '\r\n'));
      expect(r.ids, JSON.stringify(last)).toEqual(['a', 'b']);
      expect(r.issues).toEqual([]);
      expect(r.summary).toMatchObject({ endOfFileMarks: 1, lastMarkAfterRow: 2, emptyLines: 0 });
    }
    // Right after the last value with no line end, in chunks that split the run: the mark, not part of the cell.
    const body = [HEADER.join(','), row('a', '1'), row('b', '0')].join('\r\n');
    const glued = encoder.encode(`${body}\x1a\x1a\x1a`);
    for (const cuts of [[], [glued.length - 2], [glued.length - 3, glued.length - 1]]) {
      const r = await read(glued, {}, cuts);
      expect(r.ids).toEqual(['a', 'b']);
      expect(r.issues).toEqual([]);
      expect(r.features[200 + 199]).toBe(199.5);
      expect(r.summary).toMatchObject({ endOfFileMarks: 1, lastMarkAfterRow: 2, bytes: glued.length });
    }
    // Not at the end (rows follow), a 0x1A glued to a value is that cell's: not a number.
    const inside = await read(
      file([HEADER.join(','), row('a', '1', (j) => (j === 3 ? '3.5\x1a' : '1')), row('b', '0')]),
    );
    expect(inside.issues).toMatchObject([{ row: 1, column: 'var_3', value: '3.5\x1a', kind: 'non-numeric' }]);
    expect(inside.summary.endOfFileMarks).toBe(0);
  });

  it('reads short rows as NaN; a long row with something in its extra fields uses none of its values, one with empty extras all of them (counted, not an issue)', async () => {
    const short = row('a', '1').split(',').slice(0, 12).join(',');
    const r = await read(file([HEADER.join(','), short, `${row('b', '0')},x,y`, `${row('c', '1')},, `]));
    expect(r.issues).toEqual([
      { row: 1, column: 'var_10', value: '12 of 202 fields', kind: 'too-few-fields' },
      { row: 2, column: '', value: '204 of 202 fields', kind: 'too-many-fields' },
    ]);
    expect(r.summary.rowsWithEmptyExtras).toBe(1);
    expect(r.summary.firstEmptyExtrasRow).toBe(3);
    expect(r.features[9]).toBe(9.5);
    expect(r.features[10]).toBeNaN();
    // Row 2's values may sit one column off (x and y could belong anywhere in it): every one is missing.
    expect([...r.features.subarray(200, 400)].every(Number.isNaN)).toBe(true);
    expect(r.targets?.[1]).toBeNaN();
    expect(r.features[599]).toBe(199.5);
    expect(r.targets?.[2]).toBe(1);
    expect(r.ids).toEqual(['a', 'b', 'c']);
  });

  it('refuses a file with no rows, an empty file and a binary file', async () => {
    for (const [bytes, code] of [
      [encoder.encode(`${HEADER.join(',')}\n\n`), 'no-rows'],
      [encoder.encode(HEADER.join(',')), 'no-rows'],
      [new Uint8Array(0), 'empty-file'],
      [encoder.encode('\uFEFF'), 'empty-file'],
      [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'not-text'],
      [Uint8Array.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 10]), 'not-text'],
      [encoder.encode(`${HEADER.join(',')}\r${row('a', '1')}\r`), 'not-text'],
    ] as const) {
      const error = await failure(read(bytes));
      expect(error).toBeInstanceOf(CsvError);
      expect((error as CsvError).code).toBe(code);
    }
    const png = await failure(read(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])));
    expect(png.message).toMatch(/not a CSV text file.*PNG/);
    // A first line that is not UTF-8 but has no binary signature is read as Windows-1252 text.
    const latin = await failure(read(Uint8Array.from([0x49, 0x44, 0xc3, 0x28, 10])));
    expect(latin).toBeInstanceOf(SchemaError);
    expect(latin.message).toContain('found: IDÃ(');
  });

  it('refuses missing, duplicated and required columns with a SchemaError', async () => {
    const missing = await failure(read(file([HEADER.slice(0, 150).join(','), row('a', '1')])));
    expect(missing).toBeInstanceOf(SchemaError);
    expect(missing.message).toContain('var_148');
    const duplicated = await failure(read(file([[...HEADER, 'var_3'].join(','), row('a', '1')])));
    expect(duplicated.message).toContain('Duplicated column names: var_3');
    const unlabelled = ['ID_code', ...FEATURE_NAMES].join(',');
    const noTarget = await failure(read(file([unlabelled, unlabelled]), { requireTarget: true }));
    expect((noTarget as SchemaError).columns).toEqual(['target']);
    expect(noTarget.message).toBe('No target column: training needs labelled rows.');
    const upper = HEADER.map((h) => (h === 'target' ? 'Target' : h)).join(',');
    const misnamed = await failure(read(file([upper, row('a', '1')]), { requireTarget: true }));
    expect(misnamed.message).toBe(
      'No target column: training needs labelled rows. Rename "Target" to target (lower case, as in the Kaggle files).',
    );
  });

  it('fails fast on a line over the limit, without reading the rest', async () => {
    let pulled = 0;
    const endless = () =>
      (async function* () {
        yield encoder.encode(`${HEADER.join(',')}\n`);
        for (;;) {
          pulled++;
          yield new Uint8Array(64 * 1024).fill(0x31);
        }
      })();
    const error = await failure(parseCsv(endless, { parser, onBatch: () => {} }));
    expect(error).toBeInstanceOf(CsvError);
    expect((error as CsvError).code).toBe('line-too-long');
    expect(error.message).toMatch(/Row 1 is longer than 1 MiB/);
    expect(pulled).toBeLessThanOrEqual(17);
  });

  it('fails fast on a header line over the limit', async () => {
    const error = await failure(
      read(new Uint8Array(5000).fill(0x41), { maxLineBytes: 1000 }, [300, 600, 1200]),
    );
    expect((error as CsvError).code).toBe('line-too-long');
    expect(error.message).toMatch(/^The header line/);
  });

  it('applies the line limit to rows inside one chunk too', async () => {
    const bytes = file([HEADER.join(','), row('a', '1'), row('b'.repeat(3000), '1')]);
    const error = await failure(read(bytes, { maxLineBytes: 2900 }));
    expect(error).toMatchObject({ code: 'line-too-long', row: 2 });
  });

  it('names the same row for a line over the limit wherever it is and however the bytes arrive', async () => {
    // The last line with no line break after it, in one chunk with the rows above it, was named "row 1" by the
    // papaparse path (its unfinished line was checked before the complete rows before it were counted).
    const long = `x,1,${'1'.repeat(3000)}`;
    for (const at of [1, 2, 3]) {
      for (const eol of ['', '\n']) {
        const lines = [HEADER.join(','), row('a', '1'), row('b', '0')];
        lines.splice(at, 0, long);
        const bytes = encoder.encode(lines.join('\n') + eol);
        for (const cuts of [[], [64], [100, 3000], [bytes.length - 10]]) {
          const error = await failure(read(bytes, { maxLineBytes: 2900 }, cuts));
          expect(error, `row ${at}, ${JSON.stringify(eol)}, cuts ${cuts.join(' ')}`).toMatchObject({
            code: 'line-too-long',
            row: at,
          });
        }
      }
    }
  });

  it('stops at once when aborted and rejects with an AbortError', async () => {
    const controller = new AbortController();
    const bytes = file([HEADER.join(','), ...Array.from({ length: 50 }, (_, i) => row(`r${i}`, '0'))]);
    let batches = 0;
    const error = await failure(
      parseCsv(openBytes(bytes, [3000, 6000, 9000]), {
        parser,
        batchRows: 2,
        signal: controller.signal,
        onBatch: () => {
          batches++;
          controller.abort();
        },
      }),
    );
    expect(error.name).toBe('AbortError');
    expect(batches).toBe(1);
  });

  it('waits for an async onBatch before reading on', async () => {
    const bytes = file([HEADER.join(','), ...Array.from({ length: 6 }, (_, i) => row(`r${i}`, '0'))]);
    const cuts = Array.from({ length: 40 }, (_, i) => (i + 1) * 200);
    let pending = false;
    let overlapped = false;
    await parseCsv(openBytes(bytes, cuts), {
      parser,
      batchRows: 1,
      onProgress: () => (overlapped ||= pending),
      onBatch: async () => {
        pending = true;
        await new Promise((resolve) => setTimeout(resolve, 2));
        pending = false;
      },
    });
    expect(overlapped).toBe(false);
  });
});

describe('delimiters and quotes (papaparse)', () => {
  it('reads ";" with decimal commas and says so', async () => {
    const lines = [HEADER.join(';'), ['a', '1', ...FEATURE_NAMES.map((_, j) => `${j},25`)].join(';')];
    const r = await collect(openBytes(file(lines)));
    expect(r.summary).toMatchObject({ delimiter: ';', decimalCommas: 200, parser: 'papaparse', rows: 1 });
    expect(r.features[3]).toBe(3.25);
    expect(r.issues).toEqual([]);
  });

  it('reads tab-separated files', async () => {
    const r = await collect(openBytes(file([HEADER.join('\t'), row('a', '0').replaceAll(',', '\t')])));
    expect(r.summary).toMatchObject({ delimiter: '\t', decimalCommas: 0, rows: 1 });
    expect(r.features[199]).toBe(199.5);
  });

  it('reads quoted fields with line breaks across chunk boundaries', async () => {
    const quoted = `"a ""b""\nc",${row('', '1').slice(1)}`;
    const bytes = file([HEADER.map((h) => `"${h}"`).join(','), quoted, row('d', '0', () => '"-1.5"')]);
    const cuts = Array.from({ length: bytes.length }, (_, i) => i);
    const r = await collect(openBytes(bytes, cuts));
    expect(r.summary.parser).toBe('papaparse');
    expect(r.restarts).toBe(0);
    expect(r.ids).toEqual(['a "b"\nc', 'd']);
    expect(r.features[200]).toBe(-1.5);
    expect(r.issues).toEqual([]);
  });

  it('restarts with papaparse when a quote shows up after batches went out', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => row(`r${i}`, '0'));
    rows.push(row('"quoted, id"', '1'));
    const bytes = file([HEADER.join(','), ...rows]);
    let opened = 0;
    const open = openBytes(bytes, [3000, 20000, bytes.length - 100]);
    const r = await collect(
      () => {
        opened++;
        return open();
      },
      { batchRows: 4 },
    );
    expect(opened).toBe(2);
    expect(r.restarts).toBe(1);
    expect(r.info.map((i) => i.parser)).toEqual(['papaparse']);
    expect(r.summary).toMatchObject({ parser: 'papaparse', rows: 21, issueCount: 0 });
    expect(r.ids.slice(19)).toEqual(['r19', 'quoted, id']);
    expect(r.batchSizes).toEqual([4, 4, 4, 4, 4, 1]);
  });

  it('fails on a quoted field that never closes instead of holding the file', async () => {
    const head = encoder.encode(`${HEADER.join(',')}\n"open,`);
    const open = () =>
      (async function* () {
        yield head;
        for (let i = 0; i < 100; i++) yield new Uint8Array(64 * 1024).fill(0x32);
      })();
    const error = await failure(parseCsv(open, { onBatch: () => {} }));
    expect(error).toMatchObject({ code: 'line-too-long' });
  });
});

describe('blank lines before the header', () => {
  it('skips them; a file of blank lines is empty', async () => {
    const r = await collect(
      openBytes(encoder.encode(`\n  \r\n\t\n${HEADER.join(',')}\n${row('a', '1')}\n`), [1, 2]),
    );
    expect(r.summary).toMatchObject({ rows: 1, parser: 'fast' });
    for (const text of ['\n\n  \n', '   \n', '\r\n\r\n', ' ']) {
      const error = await failure(collect(openBytes(encoder.encode(text), [1])));
      expect(error).toMatchObject({ code: 'empty-file', message: 'The file is empty.' });
    }
  });

  it('takes a header sent one byte at a time', async () => {
    const bytes = encoder.encode(`\uFEFF\n${HEADER.join(',')}\n${row('a', '1')}`);
    const every = Array.from({ length: bytes.length }, (_, i) => i);
    const r = await collect(openBytes(bytes, every));
    expect(r.summary).toMatchObject({ rows: 1, bom: true });
    expect(r.features[199]).toBe(199.5);
  });
});

describe('odd sources', () => {
  it('accepts ArrayBuffer chunks', async () => {
    const bytes = file([HEADER.join(','), row('a', '1')]);
    const open = () =>
      (async function* () {
        yield bytes.slice(0, 100).buffer as unknown as Uint8Array;
        yield bytes.slice(100);
      })();
    const r = await collect(open);
    expect(r.ids).toEqual(['a']);
  });

  it('keeps the real error when closing the stream fails too', async () => {
    const bytes = encoder.encode(`${HEADER.slice(0, 10).join(',')}\nx\n`);
    let nexts = 0;
    const open = () => ({
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<Uint8Array>> =>
          nexts++ === 0 ? { done: false, value: bytes } : { done: true, value: undefined },
        return: async (): Promise<IteratorResult<Uint8Array>> => {
          throw new Error('close failed');
        },
      }),
    });
    const error = await failure(parseCsv(open, { onBatch: () => {} }));
    expect(error).toBeInstanceOf(SchemaError);
  });
});
