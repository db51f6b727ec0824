import { describe, expect, it } from 'vitest';
import { mapColumns } from '../schema';
import { parseCsv } from '../csv';
import {
  findRow,
  findRowAt,
  firstRow,
  headerFromColumns,
  KAGGLE_HEADER,
  pastedCsv,
  textSource,
} from './rows';

const values = (seed: number) => Array.from({ length: 200 }, (_, j) => ((seed * 7 + j * 3) % 97) / 7 - 5);
const line = (id: string, seed: number) => [id, ...values(seed).map((v) => v.toFixed(4))].join(',');

describe('headerFromColumns', () => {
  it('rebuilds a header in file order, extra columns included', () => {
    const header = ['note', 'target', ...KAGGLE_HEADER.slice(1).reverse(), 'ID_code', 'x'];
    expect(headerFromColumns(mapColumns(header))).toEqual(header);
  });
});

describe('pastedCsv', () => {
  it('adds the Kaggle header to a bare row, or the uploaded file header when it fits', () => {
    expect(pastedCsv(line('a', 1), null).csv.split('\n')[0]).toBe(KAGGLE_HEADER.join(','));
    const known = ['x', ...KAGGLE_HEADER];
    expect(pastedCsv(`q,${line('a', 1)}`, known).csv.split('\n')[0]).toBe(known.join(','));
  });

  it('keeps a pasted header, and refuses a row of the wrong width', () => {
    const text = `${KAGGLE_HEADER.join(',')}\n${line('a', 1)}`;
    expect(pastedCsv(text, null)).toEqual({ csv: `${text}\n`, note: null });
    expect(() => pastedCsv('a,1,2', null)).toThrow(/3 fields/);
    expect(() => pastedCsv('  \n', null)).toThrow(/Paste/);
  });

  it('refuses more than one row, with or without a header, instead of explaining the first alone', () => {
    const two = `${line('a', 1)}\n${line('b', 2)}`;
    expect(() => pastedCsv(two, null)).toThrow(/holds 2 rows; it explains one customer/);
    expect(() => pastedCsv(`${KAGGLE_HEADER.join(',')}\n${two}\n${line('c', 3)}`, null)).toThrow(
      /holds 3 rows/,
    );
    // Blank lines around one row are not rows.
    expect(pastedCsv(`\n${line('a', 1)}\n\n`, null).csv.split('\n')[1]).toBe(line('a', 1));
  });

  it('refuses a row one field too long whose second field is no label, instead of shifting every value', () => {
    const plus = `${line('a', 1)},0.5`;
    expect(() => pastedCsv(plus, null)).toThrow(
      /202 fields, and the one in the target column's place .* is not a 0 or 1 label/,
    );
    // The same when the uploaded file is train.csv-shaped (202 columns): its target column decides too.
    const trainHeader = [KAGGLE_HEADER[0], 'target', ...KAGGLE_HEADER.slice(1)];
    expect(() => pastedCsv(`${line('a', 1)},`, trainHeader)).toThrow(/ends with a separator/);
    expect(() => pastedCsv(plus, trainHeader)).toThrow(/is not a 0 or 1 label/);
    const split = line('a', 1).split(',');
    split[5] = '1,234.5';
    expect(() => pastedCsv(split.join(','), null)).toThrow(/thousands separator/);
    // A train.csv row (its second field a label) is read with train.csv's header.
    const train = ['id_1', '1', ...line('a', 1).split(',').slice(1)].join(',');
    expect(pastedCsv(train, null).csv.split('\n')[0].split(',')[1]).toBe('target');
  });

  it("says when the uploaded file's column order was used for a row Kaggle's order would also fit", () => {
    const swapped = [...KAGGLE_HEADER];
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    expect(pastedCsv(line('a', 1), swapped).note).toMatch(/uploaded file's column order/);
    expect(pastedCsv(line('a', 1), [...KAGGLE_HEADER]).note).toBeNull();
    expect(pastedCsv(line('a', 1), null).note).toBeNull();
  });

  it('takes a header line in any case, and an Excel sep= line is not a row', () => {
    const lower = `id_code,${KAGGLE_HEADER.slice(1).join(',')}\n${line('a', 1)}`;
    expect(pastedCsv(lower, null).csv).toBe(`${lower}\n`);
    expect(pastedCsv(`sep=,\n${line('a', 1)}`, null).csv.split('\n')[1]).toBe(line('a', 1));
    expect(() => pastedCsv('sep=;', null)).toThrow(/Paste one CSV row/);
    expect(() => pastedCsv(`${line('a', 1)}\n${KAGGLE_HEADER.join(',')}`, null)).toThrow(
      /comes after the row/,
    );
    expect(() => pastedCsv(`${line('a', 1)}\n${KAGGLE_HEADER.join(',')}\n${line('b', 2)}`, null)).toThrow(
      /A row comes before the header line/,
    );
    // A spreadsheet row whose last cell is empty ends with a tab: kept, so the row keeps its 201 fields.
    const tabbed = [...line('a', 1).split(',').slice(0, 200), ''].join('\t');
    expect(pastedCsv(`${tabbed}\n`, null).csv.split('\n')[1]).toBe(tabbed);
    expect(() => pastedCsv('a', null)).toThrow(/has 1 field;/);
  });

  it('says what width it expected once, and that a row of 200 fields may lack its ID_code', () => {
    const values200 = line('a', 1).split(',').slice(1).join(',');
    const kaggle = [...KAGGLE_HEADER];
    const message = (() => {
      try {
        pastedCsv(values200, kaggle);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toBe(
      'The row has 200 fields; expected 201 (ID_code and 200 values). Is its ID_code missing? ' +
        'Or paste the header line above it.',
    );
    expect(() => pastedCsv('a,1,2', ['x', ...KAGGLE_HEADER])).toThrow(
      /expected 201 \(ID_code and 200 values\) or 202 like the uploaded file\. Or paste/,
    );
  });
});

describe('reading one customer', () => {
  const rows = Array.from({ length: 5000 }, (_, i) => line(`id_${i}`, i));
  const csv = `${KAGGLE_HEADER.join(',')}\n${rows.join('\n')}\n`;

  it('finds a row deep in the file with its float32 values', async () => {
    const found = await findRow(textSource(csv), 'id_4321', { batchRows: 256 });
    expect(found?.row).toBe(4322);
    expect([...found!.features]).toEqual([
      ...Float32Array.from(values(4321).map((v) => Number(v.toFixed(4)))),
    ]);
  });

  it('resolves null for an id not in the file', async () => {
    expect(await findRow(textSource(csv), 'nobody', { batchRows: 256 })).toBeNull();
  });

  it('finds the row at a position, also when its ID_code repeats an earlier one', async () => {
    // Rows 10 and 3,000 (0-based 9 and 2,999) share an id; a row without an id in between is numbered, not delivered.
    const withRepeat = rows.map((r, i) => (i === 2999 ? line('id_9', 2999) : r));
    withRepeat.splice(1000, 0, `,${values(0).join(',')}`);
    const text = `${KAGGLE_HEADER.join(',')}\n${withRepeat.join('\n')}\n`;
    const read = (options: Parameters<typeof parseCsv>[1]) => parseCsv(textSource(text), options);
    const second = await findRowAt(read, 2999, 'id_9', { batchRows: 256 });
    expect(second?.row).toBe(3001);
    expect([...second!.features]).toEqual([
      ...Float32Array.from(values(2999).map((v) => Number(v.toFixed(4)))),
    ]);
    const first = await findRowAt(read, 9, 'id_9', { batchRows: 256 });
    expect(first?.row).toBe(10);
    expect([...first!.features]).toEqual([...Float32Array.from(values(9).map((v) => Number(v.toFixed(4))))]);
    // Another id at that position, or a position past the end: null.
    expect(await findRowAt(read, 2999, 'id_2999', { batchRows: 256 })).toBeNull();
    expect(await findRowAt(read, 6000, 'id_9', { batchRows: 256 })).toBeNull();
  });

  it('a pasted row with quotes, tabs, or semicolons and decimal commas reads like the plain row', async () => {
    const plain = await firstRow(pastedCsv(rows[17], null));
    const fields = rows[17].split(',');
    const quoted = await firstRow(pastedCsv(`"Smith, J",${fields.slice(1).join(',')}`, null));
    expect(quoted.id).toBe('Smith, J');
    expect([...quoted.features]).toEqual([...plain.features]);
    const tabbed = await firstRow(pastedCsv(fields.join('\t'), null));
    expect([...tabbed.features]).toEqual([...plain.features]);
    const european = await firstRow(pastedCsv(fields.map((f) => f.replace('.', ',')).join(';'), null));
    expect(european.id).toBe('id_17');
    expect([...european.features]).toEqual([...plain.features]);
    const header = `"${KAGGLE_HEADER.join('","')}"`;
    expect((await firstRow(pastedCsv(`${header}\n${rows[17]}`, null))).id).toBe('id_17');
  });

  it('refuses a pasted row that ends with a separator, which would shift every value', () => {
    expect(() => pastedCsv(`${rows[17]},`, null)).toThrow(
      /ends with a separator \(202 fields, the last one empty\)/,
    );
    // A train.csv row (target 0 or 1) with an empty last cell is still a row.
    const train = [`id_17`, '1', ...rows[17].split(',').slice(1, 200), ''].join(',');
    expect(pastedCsv(train, null).csv.split('\n')[0].split(',')[1]).toBe('target');
  });

  it('a pasted row tells which cells it read as missing, as a file row would be listed', async () => {
    const fields = rows[17].split(',');
    fields[4] = 'abc';
    fields[9] = 'NA';
    const found = await firstRow(pastedCsv(fields.join(','), null));
    expect(Number.isNaN(found.features[3])).toBe(true);
    expect(found.issues.map((i) => [i.column, i.kind, i.value])).toEqual([
      ['var_3', 'non-numeric', 'abc'],
      ['var_8', 'missing', 'NA'],
    ]);
    expect((await firstRow(pastedCsv(rows[17], null))).issues).toEqual([]);
  });

  it('a pasted row reads to the same values as the file row', async () => {
    const one = await firstRow(pastedCsv(rows[17], null));
    const found = await findRow(textSource(csv), 'id_17');
    expect(one.id).toBe('id_17');
    expect([...one.features]).toEqual([...found!.features]);
  });
});
