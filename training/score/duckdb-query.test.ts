import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { modelFromOnnx } from '../../src/core/onnx/export';
import { FEATURE_NAMES } from '../../src/core/schema';
import { exactEdges, modelCell, nextDown, nextUp } from '../export/edges';
import { sqlModel } from '../export/sql';
import { engineQuery } from './duckdb-query';

// Whatever model is committed: every expectation comes from the model's own tables and arithmetic.
const model = modelFromOnnx(readFileSync(new URL('../../models/model.onnx', import.meta.url)));
const edges = exactEdges(model);
const query = engineQuery(sqlModel(model, FEATURE_NAMES));

/** The model's contribution of feature j for the double x (0 when it does not score). */
function want(j: number, x: number | null): number {
  if (x === null) return 0;
  const cell = modelCell(x, model.lo[j], model.invWidth[j], model.bins);
  return cell < 0 ? 0 : model.table[j * model.bins + cell];
}

/** Values around every edge of feature j, its grid and float32's range, and values that do not score. */
function probes(j: number): (number | null)[] {
  const { lower, upper } = edges[j];
  const out: (number | null)[] = [null, NaN, Infinity, -Infinity, 0, -0, 1e39, -1e39, 3.4e38, -3.4e38, 1e30];
  for (let b = 0; b < model.bins; b++) out.push(lower[b], nextDown(lower[b]), nextUp(lower[b]));
  const last = upper[model.bins - 1];
  out.push(last, nextDown(last), model.lo[j], nextDown(model.lo[j]), -1e7, 1e7);
  return out;
}

describe("the engine's query", () => {
  it("gives every feature's contribution of the model at every cell edge, beyond the grid and for missing values", async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await query.prepare(c);
    await c.run('CREATE TABLE v (j INTEGER, x DOUBLE)');
    for (let j = 0; j < model.featureCount; j++) {
      const xs = probes(j);
      // Text cast to DOUBLE: every double round-trips through its shortest decimal (a bare 0.1 is a DECIMAL).
      const literal = (x: number | null) => (x === null ? 'NULL' : `CAST('${x}' AS DOUBLE)`);
      const rows = (
        await c.runAndReadAll(
          `SELECT ${query.contribution(j, 'x')} FROM (VALUES ${xs.map((x) => `(${literal(x)})`).join(', ')}) AS t(x)`,
        )
      ).getColumnsJS()[0] as number[];
      // === and not toBe: a masked contribution may be -0.
      xs.forEach((x, i) => expect(rows[i] === want(j, x), `feature ${j}, x = ${x}: ${rows[i]}`).toBe(true));
      // As FLOAT (the typed reader's short numbers): the float32 values below 10^7 among them.
      const floats = [
        null,
        ...xs.filter((x): x is number => x !== null && Math.abs(x) < 1e7).map(Math.fround),
      ];
      const asFloat = (
        await c.runAndReadAll(
          `SELECT ${query.contribution(j, 'x', true)} FROM (VALUES ${floats.map((x) => `(CAST(${literal(x)} AS FLOAT))`).join(', ')}) AS t(x)`,
        )
      ).getColumnsJS()[0] as number[];
      floats.forEach((x, i) =>
        expect(asFloat[i] === want(j, x), `feature ${j}, FLOAT x = ${x}: ${asFloat[i]}`).toBe(true),
      );
    }
    // A customer with no values scores what noValuesSql says, by the query itself.
    const nulls = FEATURE_NAMES.map((n) => `CAST(NULL AS DOUBLE) AS ${n}`).join(', ');
    await c.run(`CREATE VIEW empty AS SELECT 'x' AS ID_code, ${nulls}`);
    const full = (await c.runAndReadAll(query.sql('empty'))).getRows()[0][1];
    const short = (await c.runAndReadAll(query.noValuesSql)).getRows()[0][0];
    expect(full).toBe(short);
    c.closeSync();
    db.closeSync();
  }, 300_000);
});
