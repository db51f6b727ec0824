import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { readNumber } from '../../src/core/csv/cell';
import { nextUp32 } from '../export/edges';
import { tempDir } from '../testing/csv-fixture';
import { classifyCell, typedRead } from './plain-csv';

const dir = tempDir('plain-csv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The default engine's number grammar with a '.' mark and nothing around it (src/core/csv/cell.ts). */
const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SHORT = /^[+-]?(?:\d{1,7}\.?\d{0,8}|\.\d{1,8})$/;

/** Every string of 1 to `length` characters over `alphabet`. */
function strings(alphabet: string, length: number): string[] {
  let level = [''];
  const out: string[] = [];
  for (let n = 1; n <= length; n++) {
    level = level.flatMap((s) => [...alphabet].map((c) => s + c));
    out.push(...level);
  }
  return out;
}

/** DuckDB's typed CSV reading of `cells`, one per row, as `type` (the engine's read_csv options). */
async function duckdbRead(cells: string[], type: 'DOUBLE' | 'FLOAT'): Promise<(number | null)[]> {
  const path = join(dir, `cells-${type}.csv`);
  writeFileSync(path, 'i,x\n' + cells.map((c, i) => `${i},${c}`).join('\n') + '\n');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const result = await c.runAndReadAll(
      `SELECT x FROM read_csv('${path}', header = true, auto_detect = false, delim = ',', quote = '"', ` +
        `escape = '"', columns = {'i': 'INTEGER', 'x': '${type}'}, strict_mode = true, null_padding = false)`,
    );
    return result.getColumnsJS()[0] as (number | null)[];
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe('the typed-read check', () => {
  // Every string of up to 5 characters that can form a number, and some that DuckDB alone reads as one.
  const cells = [
    ...strings('019.eE+-', 5),
    ...[
      '1_000',
      '+-1',
      '-+1',
      'nan(1)',
      '\f1',
      '1\v',
      ' 1',
      '1 ',
      '\t1',
      ' ',
      '0x10',
      'inf',
      'NaN',
      'NA',
      '1,5',
    ],
  ];

  it("classes a cell as a number exactly when the default engine's grammar reads it as one", () => {
    for (const cell of cells) {
      const kind = classifyCell(cell);
      expect(kind === 'text', cell).toBe(!PLAIN.test(cell));
      expect(kind === 'short', cell).toBe(SHORT.test(cell));
      // The default engine reads every such cell as a number (or, beyond float32, as non-finite).
      if (kind !== 'text')
        expect(typeof readNumber(cell) === 'number' || readNumber(cell) === 'non-finite').toBe(true);
    }
    expect(classifyCell('')).toBe('short');
    expect(classifyCell('12345678.5')).toBe('long');
    expect(classifyCell('1234567.12345678')).toBe('short');
    expect(classifyCell('1.123456789')).toBe('long');
  });

  it('lets DuckDB read those cells as DOUBLE to the same double as the default engine, and short ones as FLOAT', async () => {
    const plain = cells.filter((c) => classifyCell(c) !== 'text');
    const doubles = await duckdbRead(plain, 'DOUBLE');
    plain.forEach((cell, i) => expect(doubles[i], cell).toBe(Number(cell)));
    // Short numbers, many of them next to a midpoint between two float32 values, where rounding twice
    // (text to double to float32, as the default engine reads) could differ from rounding once.
    const short: string[] = plain.filter((c) => classifyCell(c) === 'short' && c !== '');
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 50_000; k++) {
      const f = Math.fround((random() - 0.5) * 2 * 10 ** Math.floor(random() * 8));
      const mid = (f + nextUp32(f)) / 2;
      if (Math.abs(mid) < 9_999_999) short.push(mid.toFixed(8 - Math.floor(random() * 4)));
    }
    expect(short.every((c) => classifyCell(c) === 'short')).toBe(true);
    const floats = await duckdbRead(short, 'FLOAT');
    short.forEach((cell, i) => expect(floats[i], cell).toBe(Math.fround(Number(cell))));
  }, 120_000);

  describe('of whole files', () => {
    const header = 'ID_code,var_0,var_1,target';
    const isFeature = [false, true, true, false];
    const check = (name: string, text: string, gzip = false) => {
      const path = join(dir, name);
      writeFileSync(path, gzip ? gzipSync(text) : text);
      return typedRead(path, isFeature, 0, gzip);
    };

    it('float for short numbers and empty cells, double for long ones or exponents', async () => {
      expect(await check('short.csv', `${header}\na,1.5,-0.25,1\nb,,.5,\n`)).toBe('float');
      expect(await check('short.csv.gz', `${header}\na,1.5,-0.25,1\n`, true)).toBe('float');
      expect(await check('no-end.csv', `${header}\na,1.5,-0.25,1\nb,2,3,0`)).toBe('float');
      expect(await check('deleted.csv', `${header}\na,1,2,0\n,,,\n \t,,, \nb,3,4,1\n`)).toBe('float');
      expect(await check('exp.csv', `${header}\na,1e5,2,0\n`)).toBe('double');
      expect(await check('long.csv', `${header}\na,1.123456789,2,0\n`)).toBe('double');
      expect(await check('big.csv', `${header}\na,12345678,2,0\n`)).toBe('double');
    });

    it('text for anything the typed reader could read otherwise or refuse', async () => {
      const lines = [
        'a,1_000,2,0',
        'a,+-1,2,0',
        'a,NA,2,0',
        'a,nan,2,0',
        'a, 1.5,2,0',
        'a,1.5\f,2,0',
        'a,"1,5",2,0',
        '"a",1,2,0',
        'a,1,2,0\r',
        'a,1,2',
        'a,1,2,0,',
        ',1,2,0',
        ' \t,1,2,0',
        '',
      ];
      for (const [k, line] of lines.entries()) {
        expect(await check(`text-${k}.csv`, `${header}\nz,1,2,0\n${line}\nb,3,4,1\n`), line).toBe('text');
      }
      // A blank id on a last line without a line end cannot be checked for blankness throughout: refused.
      expect(await check('blank-id-end.csv', `${header}\nz,1,2,0\n,,,`)).toBe('text');
    });
  });
});
