import { DuckDBInstance } from '@duckdb/node-api';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowIssue } from '../csv/types';
import { unpackIds } from '../ids';
import { FEATURE_COUNT, FEATURE_NAMES } from '../schema';
import { bytesAccess } from './bytes';
import { openTable } from './open';
import { decimalText, dateText, timestampText, unscaledOf } from './parquet-id';
import { webPlatform } from './platform';
import { FileError } from './types';

const ROWS = 300;

/** Every id, feature (float32) and issue of a file, read as the app and the CLI read it. */
async function readFile(bytes: Uint8Array) {
  const table = await openTable(bytesAccess(bytes, 4096), { name: 'f', platform: webPlatform });
  const out = {
    format: table.source.format,
    ids: [] as string[],
    features: [] as number[],
    issues: [] as RowIssue[],
  };
  await table.read({
    batchRows: 128,
    onIssue: (issue) => out.issues.push(issue),
    onBatch: (batch) => {
      out.ids.push(...unpackIds(batch.ids));
      out.features.push(...batch.features);
    },
  });
  return out;
}

/**
 * The table DuckDB makes with `ID_code` = `id` (an SQL expression of the row number i in 0..ROWS-1), written by
 * DuckDB as Parquet (row groups of 128) and that Parquet file written by DuckDB as CSV: the twins the policy says
 * must read the same. var_0 is a DECIMAL(10,4) and var_1 has nulls, to check features are left as they were.
 */
let db: DuckDBInstance;
let dir: string;
let made = 0;
async function twins(id: string): Promise<{ parquet: Uint8Array; csv: Uint8Array }> {
  const connection = await db.connect();
  try {
    const name = join(dir, `t${made++}`);
    const features = FEATURE_NAMES.map((f, j) =>
      j === 0
        ? `((i * 7919) % 400000 / 10000 - 20)::DECIMAL(10,4) AS ${f}`
        : j === 1
          ? `CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 104729 + j) % 400000 / 10000 - 20 END AS ${f}`.replace(
              'j',
              String(j),
            )
          : `((i * 7919 + ${j * 104729}) % 400000) / 10000 - 20 AS ${f}`,
    );
    await connection.run(`SET TimeZone = 'UTC'`);
    await connection.run(
      `COPY (SELECT ${id} AS ID_code, ${features.join(', ')} FROM range(${ROWS}) r(i))
       TO '${name}.parquet' (FORMAT parquet, ROW_GROUP_SIZE 128)`,
    );
    await connection.run(`COPY (FROM '${name}.parquet') TO '${name}.csv' (HEADER)`);
    return {
      parquet: new Uint8Array(readFileSync(`${name}.parquet`)),
      csv: new Uint8Array(readFileSync(`${name}.csv`)),
    };
  } finally {
    connection.closeSync();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parquet-id-'));
  db = await DuckDBInstance.create(':memory:');
});
afterAll(() => {
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('Parquet ids of DECIMAL, DATE, TIMESTAMP and TIME columns', () => {
  // [DuckDB type, the id's SQL, its first ids as DuckDB's CSV has them, whether every id is distinct]
  const cases: [string, string, string[], boolean][] = [
    // f7/dec18i64.parquet: ids 10 apart at 1.2e17 were one float64 (123456789012345660).
    [
      'DECIMAL(18,0) (INT64)',
      '(123456789012345670 + i)::DECIMAL(18,0)',
      ['123456789012345670', '123456789012345671'],
      true,
    ],
    // f7/dec38_acct.parquet: 20 account numbers became 12345678901234567000.
    [
      'DECIMAL(38,0) (16 bytes), negative ones and a null',
      `CASE WHEN i = 3 THEN NULL WHEN i % 2 = 0 THEN (12345678901234567890::HUGEINT + i)::DECIMAL(38,0)
            ELSE -(99999999999999999999999999999999999999::DECIMAL(38,0) - i) END`,
      // Row 3 (a null id, an empty one in the CSV) is a row without an id, not delivered.
      [
        '12345678901234567890',
        '-99999999999999999999999999999999999998',
        '12345678901234567892',
        '12345678901234567894',
      ],
      false,
    ],
    // f6/decid.parquet: 1.00 was 1.
    ['DECIMAL(10,2) (INT64)', '((i - 20) * 0.25)::DECIMAL(10,2)', ['-5.00', '-4.75'], true],
    ['DECIMAL(9,4) (INT32)', '((i - 20) * 0.0625)::DECIMAL(9,4)', ['-1.2500', '-1.1875'], true],
    ['DECIMAL(4,4): no 0 before the point', '((i - 20) * 0.0025)::DECIMAL(4,4)', ['-.0500', '-.0475'], true],
    [
      'DECIMAL(30,3) (16 bytes)',
      '(i * 1000000000000000000.001)::DECIMAL(30,3)',
      ['0.000', '1000000000000000000.001'],
      true,
    ],
    // f6/dateid.parquet: 2020-01-01 was 2020-01-01T00:00:00.000Z.
    [
      'DATE, one BC and one after 9999',
      `CASE i WHEN 1 THEN DATE '-0044-03-15' WHEN 2 THEN '12020-05-05'::DATE ELSE DATE '2020-01-01' + i::INTEGER END`,
      ['2020-01-01', '0045-03-15 (BC)', '12020-05-05', '2020-01-04'],
      true,
    ],
    [
      'TIMESTAMP (µs) across 1970',
      `TIMESTAMP '1969-12-31 23:59:59.9' + i * INTERVAL 250 MICROSECOND`,
      ['1969-12-31 23:59:59.9', '1969-12-31 23:59:59.90025'],
      true,
    ],
    [
      'TIMESTAMP_MS',
      `(TIMESTAMP '2020-01-01' + i * INTERVAL 1 MILLISECOND)::TIMESTAMP_MS`,
      ['2020-01-01 00:00:00', '2020-01-01 00:00:00.001'],
      true,
    ],
    [
      'TIMESTAMP_NS',
      'make_timestamp_ns(i * 1001 - 2002)',
      ['1969-12-31 23:59:59.999997998', '1969-12-31 23:59:59.999998999'],
      true,
    ],
    [
      'TIMESTAMP WITH TIME ZONE (UTC-adjusted)',
      `TIMESTAMPTZ '2020-01-01 00:00:00+00' + i * INTERVAL 1500 MICROSECOND`,
      ['2020-01-01 00:00:00+00', '2020-01-01 00:00:00.0015+00'],
      true,
    ],
    ['TIME', `TIME '00:00:00' + i * INTERVAL 1250 MILLISECOND`, ['00:00:00', '00:00:01.25'], true],
  ];

  for (const [what, id, first, distinct] of cases) {
    it(`${what}: the ids of DuckDB's CSV of the same table, and the same features`, async () => {
      const { parquet, csv } = await twins(id);
      const [got, want] = await Promise.all([readFile(parquet), readFile(csv)]);
      expect([got.format, want.format]).toEqual(['parquet', 'csv']);
      expect(want.ids.slice(0, first.length)).toEqual(first);
      expect(got.ids).toEqual(want.ids);
      if (distinct) expect(new Set(got.ids).size).toBe(ROWS);
      // Features, DECIMAL var_0 included, are the CSV's float32 values; the null id is the CSV's row without one.
      expect(got.features).toEqual(want.features);
      expect(got.issues).toEqual(want.issues);
      expect(got.features.length).toBe(got.ids.length * FEATURE_COUNT);
    });
  }

  it('refuses an INTERVAL ID_code, naming the column and the type, rather than read it as something else', async () => {
    const { parquet } = await twins('INTERVAL (i) DAY');
    const error = await readFile(parquet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: 'unsupported' });
    expect((error as Error).message).toBe(
      'This file: column ID_code holds INTERVAL values, which cannot be read as ids exactly. Store ID_code as ' +
        'text or whole numbers and export the file again.',
    );
  });

  it('reads a DECIMAL stored as variable-length bytes (BYTE_ARRAY) exactly', async () => {
    const unscaled = [12345678901234567890123n, 12345678901234567890124n, -5n, 0n, 127n, 128n, -129n];
    const columnData = [
      { name: 'ID_code', data: unscaled },
      ...FEATURE_NAMES.map((name) => ({ name, data: Float64Array.from(unscaled, (_, i) => i) })),
    ];
    const schema = [
      { name: 'root', num_children: columnData.length },
      {
        name: 'ID_code',
        type: 'BYTE_ARRAY' as const,
        repetition_type: 'REQUIRED' as const,
        converted_type: 'DECIMAL' as const,
        precision: 30,
        scale: 2,
      },
      ...FEATURE_NAMES.map((name) => ({
        name,
        type: 'DOUBLE' as const,
        repetition_type: 'REQUIRED' as const,
      })),
    ];
    const got = await readFile(new Uint8Array(parquetWriteBuffer({ columnData, schema })));
    expect(got.ids).toEqual([
      '123456789012345678901.23',
      '123456789012345678901.24',
      '-0.05',
      '0.00',
      '1.27',
      '1.28',
      '-1.29',
    ]);
  });

  it('reads a JSON ID_code as its text: parsed, two objects were both "[object Object]"', async () => {
    const values = [{ account: 1 }, { account: 2 }, 'x', 7];
    const columnData = [
      { name: 'ID_code', data: values },
      ...FEATURE_NAMES.map((name) => ({ name, data: Float64Array.from(values, (_, i) => i) })),
    ];
    const schema = [
      { name: 'root', num_children: columnData.length },
      {
        name: 'ID_code',
        type: 'BYTE_ARRAY' as const,
        repetition_type: 'REQUIRED' as const,
        converted_type: 'JSON' as const,
      },
      ...FEATURE_NAMES.map((name) => ({
        name,
        type: 'DOUBLE' as const,
        repetition_type: 'REQUIRED' as const,
      })),
    ];
    const got = await readFile(new Uint8Array(parquetWriteBuffer({ columnData, schema })));
    expect(got.ids).toEqual(['{"account":1}', '{"account":2}', '"x"', '7']);
  });
});

describe('the texts, as DuckDB writes them', () => {
  it('DECIMAL', () => {
    expect(decimalText(100n, 2, 10)).toBe('1.00');
    expect(decimalText(-5n, 2, 10)).toBe('-0.05');
    expect(decimalText(500n, 3, 3)).toBe('.500');
    expect(decimalText(-500n, 3, 3)).toBe('-.500');
    expect(decimalText(0n, 0, 18)).toBe('0');
    expect(decimalText(-12345678901234567890n, 0, 38)).toBe('-12345678901234567890');
  });

  it('a DECIMAL unscaled value from big-endian two’s-complement bytes of any length', () => {
    expect(unscaledOf(Uint8Array.of(0xff))).toBe(-1n);
    expect(unscaledOf(Uint8Array.of(0x00, 0x80))).toBe(128n);
    expect(unscaledOf(Uint8Array.of(0xff, 0x7f))).toBe(-129n);
    const bytes = new Uint8Array(16).fill(0xff);
    expect(unscaledOf(bytes)).toBe(-1n);
    bytes[0] = 0x7f;
    expect(unscaledOf(bytes)).toBe(2n ** 127n - 1n);
    expect(unscaledOf(Uint8Array.of(1, 2, 3, 4, 5))).toBe(0x0102030405n);
    expect(unscaledOf(new Uint8Array(0))).toBe(0n);
  });

  it('DATE and TIMESTAMP, infinite ones included', () => {
    expect(dateText(0)).toBe('1970-01-01');
    expect(dateText(-1)).toBe('1969-12-31');
    expect(dateText(-719_162)).toBe('0001-01-01');
    expect(dateText(-719_163)).toBe('0001-12-31 (BC)'); // the day before: 1 BC, year 0 of the arithmetic
    expect(dateText(2 ** 31 - 1)).toBe('infinity');
    expect(timestampText(-1n, 'MILLIS', false)).toBe('1969-12-31 23:59:59.999');
    expect(timestampText(2n ** 63n - 1n, 'MICROS', false)).toBe('infinity');
    expect(timestampText(-(2n ** 63n - 1n), 'NANOS', true)).toBe('-infinity');
  });
});
