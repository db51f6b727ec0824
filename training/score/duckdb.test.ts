import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predict } from '../../src/core/model';
import { modelFromOnnx } from '../../src/core/onnx/export';
import { NO_NUMBERS } from '../../src/core/cell-policy';
import { readNumber } from '../../src/core/csv/cell';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/core/schema';
import type { ModelCard } from '../../src/core/model-card';
import { farBounds } from '../../src/core/scoring/far-values';
import { exactEdges, nextDown32, nextUp32 } from '../export/edges';
import { exportModel } from '../export/run';
import { scoringSql } from '../export/sql';
import { generate } from '../synth/sample';
import { rowsToCsv, tempDir } from '../testing/csv-fixture';
import { duckdbProbabilities, onnxProbabilities } from '../testing/engines';
import { cellExpression, createBins, openDuckdb, scoreRows, scoreWithDuckdb } from './duckdb';
import { scoreFile } from './run';

// Whatever model is committed: every expectation comes from the ONNX run or the model's own tables.
const modelPath = new URL('../../models/model.onnx', import.meta.url).pathname;
const model = modelFromOnnx(readFileSync(modelPath));
const edges = exactEdges(model);
const far = farBounds(
  (JSON.parse(readFileSync(new URL('../../models/model-card.json', import.meta.url), 'utf8')) as ModelCard)
    .features,
)!;
const ROWS = 20_000;
const dir = tempDir('duckdb-engine');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 20,000-row test file whose every 10th row holds one awkward cell, and the cells used. */
function awkwardFile(): { path: string; specials: string[] } {
  const g = generate({ rows: ROWS, seed: 11, shapeSeed: 1, split: 'test' });
  const lines = rowsToCsv(g.features, null, 'test').trimEnd().split('\n');
  const specials: string[] = [];
  for (let i = 1; i <= ROWS; i += 10) {
    const j = (i * 7) % FEATURE_COUNT;
    const { lower } = edges[j];
    const b = 1 + ((i * 13) % (model.bins - 1));
    const e = lower[b];
    const f32 = new Float32Array([e]);
    const options = [
      '',
      ' ',
      'NaN',
      'nan',
      'inf',
      '-Infinity',
      '1e39',
      '-1e39',
      '3.4e38',
      '1e400',
      '1000000',
      '-1000000',
      String(e),
      String(e - Math.abs(e) * 1e-15),
      String(f32[0]),
      // the model's own grid point: lo + b / invWidth in float32 steps lands on a cell boundary
      String(Math.fround(model.lo[j] + b / model.invWidth[j])),
      `  ${String(e)}\t`,
      // The bounds of values taken for data (far-values.ts): on them a value scores, one float32 beyond it not.
      String(far.high[j]),
      String(nextUp32(far.high[j])),
      String(far.low[j]),
      String(nextDown32(far.low[j])),
    ];
    const cell = options[((i / 10) % options.length) | 0];
    specials.push(cell);
    const fields = lines[i].split(',');
    fields[1 + j] = cell;
    lines[i] = fields.join(',');
  }
  const path = join(dir, 'awkward.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, specials };
}

describe('the DuckDB engine', () => {
  let file: { path: string; specials: string[] };
  beforeAll(() => {
    file = awkwardFile();
  });

  it('equals the ONNX CLI within 1e-6 on 20,000 rows with empty, NaN, infinite, out-of-grid and edge values', async () => {
    const onnx = await onnxProbabilities(modelPath, file.path);
    const duck = await duckdbProbabilities(modelPath, file.path);
    expect(duck.ids).toEqual(onnx.ids);
    let worst = 0;
    for (let i = 0; i < ROWS; i++)
      worst = Math.max(worst, Math.abs(duck.probability[i] - onnx.probability[i]));
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(new Set(file.specials).size).toBeGreaterThan(15);
  }, 600_000);

  it('reads plain numbers with the typed reader, as FLOAT or DOUBLE, to the same scores as the checked text path', async () => {
    // The awkward file's cells that are plain numbers or empty (no blanks, words or NaN): typed as DOUBLE; the
    // same with 4-decimal values only: typed as FLOAT. With one cell padded by a space (the same value for the
    // default engine), each goes through the checked text path instead.
    const lines = readFileSync(file.path, 'utf8').trimEnd().split('\n');
    const plain = lines.map((l, i) =>
      i === 0
        ? l
        : l
            .split(',')
            .map((c, k) => (k > 0 && /^\s|\s$|[a-zA-Z]/.test(c) && !/^-?[\d.]+e[+-]?\d+$/.test(c) ? '' : c))
            .join(','),
    );
    const short = plain.map((l, i) =>
      i === 0
        ? l
        : l
            .split(',')
            .map((c, k) => (k > 0 && c !== '' && !/^-?\d{1,7}(\.\d{1,4})?$/.test(c) ? '' : c))
            .join(','),
    );
    const padded = (rows: string[]) => rows.map((l, i) => (i === 7 ? l.replace(',', ', ') : l));
    const write = (name: string, rows: string[]) => {
      const path = join(dir, name);
      writeFileSync(path, rows.join('\n') + '\n');
      return path;
    };
    const scores = async (path: string) => {
      const session = await openDuckdb({ model: modelPath, input: path });
      const probability: number[] = [];
      try {
        await scoreRows(session, path, (_, p) => void probability.push(...p));
      } finally {
        await session.close();
      }
      return { reader: session.reader, probability };
    };
    for (const [name, rows, reader] of [
      ['plain.csv', plain, 'CSV as DOUBLE'],
      ['short.csv', short, 'CSV as FLOAT'],
    ] as const) {
      const typed = await scores(write(name, rows));
      const text = await scores(write(`padded-${name}`, padded(rows)));
      expect(typed.reader).toBe(reader);
      expect(text.reader).toBe('CSV as checked text');
      expect(typed.probability).toHaveLength(ROWS);
      expect(typed.probability).toEqual(text.probability);
      const onnx = await onnxProbabilities(modelPath, join(dir, name));
      let worst = 0;
      for (let i = 0; i < ROWS; i++)
        worst = Math.max(worst, Math.abs(typed.probability[i] - onnx.probability[i]));
      expect(worst).toBeLessThanOrEqual(1e-6);
    }
    // The edited files still hold the cells that matter: empty, beyond float32, and edges in full digits.
    expect(plain.some((l) => l.includes(',1e+39,') || l.includes(',1e39,'))).toBe(true);
    expect(plain.some((l) => l.includes(',,'))).toBe(true);
  }, 600_000);

  it("runs the engine's query to the exported query's scores, bit for bit", async () => {
    const session = await openDuckdb({ model: modelPath, input: file.path });
    try {
      const { connection, loaded, query } = session;
      await createBins(connection, loaded.sql, 'scorecard_bins');
      // The exported query's plan as written (DuckDB would build the join's hash table on the big side).
      await connection.run(`SET disabled_optimizers = 'join_order,build_side_probe_side'`);
      const exported = scoringSql(loaded.sql, loaded.source, {
        dialect: 'duckdb',
        table: 'customers',
        binsTable: 'scorecard_bins',
      });
      const a = (await connection.runAndReadAll(exported)).getColumnsJS();
      const b = (await connection.runAndReadAll(query.sql('customers'))).getColumnsJS();
      expect(a[0]).toHaveLength(ROWS);
      expect(b[0]).toEqual(a[0]);
      expect(b[1]).toEqual(a[1]);
    } finally {
      await session.close();
    }
  }, 600_000);

  it('reads gzip and Parquet files as their CSV', async () => {
    const small = join(dir, 'small.csv');
    const clean = generate({ rows: 300, seed: 12, shapeSeed: 1, split: 'test' });
    writeFileSync(small, rowsToCsv(clean.features, null, 'test'));
    writeFileSync(`${small}.gz`, gzipSync(readFileSync(small)));
    const plain = await duckdbProbabilities(modelPath, small);
    const gz = await duckdbProbabilities(modelPath, `${small}.gz`);
    expect(gz).toEqual(plain);
    // Parquet with float32 feature columns, written by DuckDB from the same CSV.
    const parquet = join(dir, 'small.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const columns = `{'ID_code': 'VARCHAR', ${FEATURE_NAMES.map((n) => `'${n}': 'FLOAT'`).join(', ')}}`;
    await c.run(
      `COPY (SELECT * FROM read_csv('${small}', header = true, columns = ${columns})) TO '${parquet}' (FORMAT parquet)`,
    );
    c.closeSync();
    db.closeSync();
    const pq = await duckdbProbabilities(modelPath, parquet);
    expect(pq.ids).toEqual(plain.ids);
    // FLOAT columns hold fround(x), which falls in the same cell as x by construction of the edges.
    expect(pq.probability).toEqual(plain.probability);
  }, 300_000);

  it('runs the exported bins.sql and score.sql as written, with the top reasons', async () => {
    const out = join(dir, 'sql');
    await exportModel({ model: modelPath, format: 'sql', out, reasons: 3, table: 'customers' });
    const g = generate({ rows: 200, seed: 5, shapeSeed: 1, split: 'test' });
    const csv = join(dir, 'reasons.csv');
    writeFileSync(csv, rowsToCsv(g.features, null, 'test'));
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(readFileSync(join(out, 'bins.sql'), 'utf8'));
    const columns = `{'ID_code': 'VARCHAR', ${FEATURE_NAMES.map((n) => `'${n}': 'DOUBLE'`).join(', ')}}`;
    await c.run(
      `CREATE TABLE customers AS SELECT * FROM read_csv('${csv}', header = true, columns = ${columns})`,
    );
    const result = await c.runAndReadAll(readFileSync(join(out, 'score.sql'), 'utf8'));
    c.closeSync();
    db.closeSync();
    const rows = result.getRowObjectsJS();
    // The reference: the model on the float32 values the CSV holds (4 decimals, as the reader reads them).
    const features = new Float32Array(
      readFileSync(csv, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(1)
        .flatMap((l) => l.split(',').slice(1).map(Number)),
    );
    const want = predict(model, features, 200);
    rows.forEach((row, i) => {
      expect(row.ID_code).toBe(`test_${i}`);
      expect(Math.abs((row.target as number) - want.probability[i])).toBeLessThan(1e-6);
      const c = Array.from(want.contributions!.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT));
      // The query breaks ties by feature name.
      const name = (j: number) => FEATURE_NAMES[j];
      const order = c.map((v, j) => [v, j]).sort((a, b) => b[0] - a[0] || (name(a[1]) < name(b[1]) ? -1 : 1));
      for (let k = 0; k < 3; k++) {
        const [v, j] = order[k];
        expect(row[`reason_${k + 1}`]).toBe(v > 0 ? FEATURE_NAMES[j] : null);
        expect(row[`reason_${k + 1}_log_odds`]).toBe(v > 0 ? v : null);
      }
    });
  }, 300_000);

  it("checks text cells by the default engine's rule: every string of up to 4 characters that could differ", async () => {
    const alphabet = [...'01.e+-_ \tnaif(),x\f'];
    let level = [''];
    const cells: string[] = [];
    for (let n = 1; n <= 4; n++) {
      level = level.flatMap((s) => alphabet.map((c) => s + c));
      cells.push(...level);
    }
    cells.push('+-1.5', 'nan(1)', '-nan', 'infinity', '1e1_0', '0x1', '1.5\v', 'NA', ' null ');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run('CREATE TABLE s (i INTEGER, v VARCHAR)');
    const appender = await c.createAppender('s');
    cells.forEach((v, i) => {
      appender.appendInteger(i);
      appender.appendVarchar(v);
      appender.endRow();
    });
    appender.closeSync();
    // A refusal gives a value no cell of these characters can hold, instead of stopping the query.
    const REFUSED = 7e-300;
    const rule = cellExpression('v', 'i', `CAST('${REFUSED}' AS DOUBLE)`);
    const xs = (await c.runAndReadAll(`SELECT ${rule} FROM s ORDER BY i`)).getColumnsJS()[0] as (
      number | null
    )[];
    c.closeSync();
    db.closeSync();
    cells.forEach((cell, i) => {
      const x = xs[i] === REFUSED ? null : xs[i];
      const outcome = xs[i] === REFUSED ? 'refused' : x === null ? 'missing' : 'number';
      const reader = readNumber(cell);
      if (typeof reader === 'number') {
        expect(x === null ? x : Math.fround(x), JSON.stringify(cell)).toBe(reader);
      } else if (reader === 'non-numeric') {
        expect(outcome, JSON.stringify(cell)).toBe('refused');
      } else {
        // Empty, missing-value words and non-finite values contribute 0: NULL, NaN, infinite or beyond float32.
        expect(
          outcome !== 'refused' && (x === null || !Number.isFinite(Math.fround(x))),
          JSON.stringify(cell),
        ).toBe(true);
      }
    });
  }, 300_000);

  describe('refuses what it cannot read the default engine way', () => {
    const base = () => readFileSync(file.path, 'utf8').split('\n').slice(0, 6);
    const refusal = async (name: string, lines: string[], bytes?: Uint8Array) => {
      const path = join(dir, name);
      writeFileSync(path, bytes ?? lines.join('\n') + '\n');
      const out = join(dir, `${name}.predictions.csv`);
      const error = await scoreWithDuckdb({ model: modelPath, input: path, out }).catch((e: Error) => e);
      expect(() => readFileSync(out)).toThrow();
      return (error as Error).message;
    };
    const withCell = (value: string) => {
      const lines = base();
      const fields = lines[3].split(',');
      fields[1 + 17] = value;
      lines[3] = fields.join(',');
      return lines;
    };

    it('a cell that is not a number, with its row, column and value', async () => {
      expect(await refusal('abc.csv', withCell('abc'))).toMatch(
        /abc\.csv: .*row 3, var_17: "abc" is not a number/,
      );
    });

    it('a number with an underscore, which DuckDB alone would read as a number', async () => {
      expect(await refusal('underscore.csv', withCell('1_000'))).toMatch(
        /row 3, var_17: "1_000" is not a number/,
      );
    });

    it('a missing column, with the default engine message', async () => {
      const lines = base().map((l) => l.split(',').slice(0, -1).join(','));
      expect(await refusal('short.csv', lines)).toMatch(/Missing 1 feature column\(s\): var_199/);
    });

    it('a row with too few fields', async () => {
      const lines = base();
      lines[2] = lines[2].split(',').slice(0, 50).join(',');
      expect(await refusal('ragged.csv', lines)).toMatch(/Line: 3/i);
    });

    it('a semicolon-separated file and a zip archive', async () => {
      expect(
        await refusal(
          'semi.csv',
          base().map((l) => l.replaceAll(',', ';')),
        ),
      ).toMatch(/comma-separated files only/);
      const zip = new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0]);
      expect(await refusal('data.zip', [], zip)).toMatch(/zip archive/);
    });
  });

  describe('follows the default engine on missing-value words, empty lines, decimal commas and rows without an id', () => {
    /** A 300-row file whose lines are edited by `edit` (line 0 is the header). */
    const variant = (name: string, edit: (lines: string[]) => string[]) => {
      const g = generate({ rows: 300, seed: 13, shapeSeed: 1, split: 'test' });
      const lines = edit(rowsToCsv(g.features, null, 'test').trimEnd().split('\n'));
      const path = join(dir, name);
      writeFileSync(path, lines.join('\n') + '\n');
      return path;
    };
    const setCell = (line: string, feature: number, text: string) => {
      const fields = line.split(',');
      fields[1 + feature] = text;
      return fields.join(',');
    };
    const sameScores = async (path: string, rows: number) => {
      const onnx = await onnxProbabilities(modelPath, path);
      const duck = await duckdbProbabilities(modelPath, path);
      expect(onnx.ids).toHaveLength(rows);
      expect(duck.ids).toEqual(onnx.ids);
      for (let i = 0; i < rows; i++)
        expect(Math.abs(duck.probability[i] - onnx.probability[i])).toBeLessThan(1e-6);
    };
    const refusals = async (path: string) => {
      const onnxOut = `${path}.onnx.csv`;
      const duckOut = `${path}.duckdb.csv`;
      const onnx = await scoreFile({ model: modelPath, input: path, out: onnxOut }).catch((e: Error) => e);
      const duck = await scoreWithDuckdb({ model: modelPath, input: path, out: duckOut }).catch(
        (e: Error) => e,
      );
      expect(() => readFileSync(onnxOut)).toThrow();
      expect(() => readFileSync(duckOut)).toThrow();
      return { onnx: (onnx as Error).message, duck: (duck as Error).message };
    };

    it('every missing-value word (NA, null, None, ... with spaces around) scores as missing in both', async () => {
      const words = ['NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '<NA>', ' NA ', '\tnull'];
      const path = variant('words.csv', (lines) =>
        lines.map((l, i) => (i === 0 ? l : setCell(l, (i * 11) % FEATURE_COUNT, words[i % words.length]))),
      );
      await sameScores(path, 300);
    }, 300_000);

    it('lines of bare commas and blank lines are not rows in either; quoted decimal commas are decimals', async () => {
      const empty = ','.repeat(FEATURE_COUNT);
      const path = variant('deleted-rows.csv', (lines) => {
        const out = lines.map((l, i) =>
          i > 0 && i % 7 === 0 ? setCell(l, 3, `"${lines[i].split(',')[4].replace('.', ',')}"`) : l,
        );
        out.splice(10, 0, empty, empty);
        out.splice(200, 0, '');
        return out;
      });
      await sameScores(path, 300);
    }, 300_000);

    it('a file with no number in any feature cell is refused by both, in the same words', async () => {
      const path = variant('all-missing.csv', (lines) =>
        lines.slice(0, 20).map((l, i) => (i === 0 ? l : `${l.split(',')[0]}${',NA'.repeat(FEATURE_COUNT)}`)),
      );
      const { onnx, duck } = await refusals(path);
      expect(onnx).toContain(NO_NUMBERS);
      expect(duck).toContain(NO_NUMBERS);
    }, 300_000);

    it('a row with values but no ID_code: the default engine leaves it out and lists it, DuckDB refuses naming it', async () => {
      const path = variant('no-id.csv', (lines) =>
        lines.map((l, i) => (i === 5 ? l.slice(l.indexOf(',')) : l)),
      );
      const onnx = await onnxProbabilities(modelPath, path);
      expect(onnx.ids).toHaveLength(299);
      expect(onnx.ids).not.toContain('');
      const duck = await scoreWithDuckdb({ model: modelPath, input: path, out: `${path}.out` }).catch(
        (e: Error) => e,
      );
      expect((duck as Error).message).toMatch(/no-id\.csv: .*row 5: no ID_code/);
      expect(() => readFileSync(`${path}.out`)).toThrow();
    }, 300_000);
  });
});
