/**
 * The query the DuckDB engine runs: the same predictions as the exported, portable query
 * (training/export/sql.ts), in a form about half as costly in DuckDB. One wide row per customer, no unpivot, no
 * join, no group-by: each feature's cell is computed in float32 steps exactly as the model computes it
 * (src/core/model.ts binIndex: DuckDB's FLOAT arithmetic is IEEE single precision, each step rounded), and its
 * contribution read from the feature's list of contributions, a session variable (a constant: not copied per
 * row). The sum of 200 contributions is exact in double in any order (src/core/model.ts quantizeModel), so the
 * log-odds equal the exported query's bit for bit; training/score/duckdb.test.ts compares the two.
 *
 * Why not the exported query: besides reading, its cell guesses, unpivot, hash join on 40 million (row, feature)
 * pairs and group-by took DuckDB 11.6 s of CPU on the 300 MB test file, this form 6.4 s (EXPLAIN ANALYZE,
 * docs/benchmarks.md). The exported query stays what a warehouse runs: standard SQL with no float32 type
 * (BigQuery has none) and no list functions.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlModel } from '../export/sql';

/** Name of the session variable holding feature j's contributions, cell 0 first. */
const listName = (j: number) => `contributions_${j}`;

/** A double as a DuckDB literal that reads back as the same double (shortest round-trip digits). */
const literal = (x: number) => x.toExponential();

/** A float32 value as a DuckDB FLOAT (the value is exact as a double, so the cast is too). */
const float = (x: number) => {
  if (Math.fround(x) !== x) throw new RangeError(`${x} is not a float32 value`);
  return `CAST(${literal(x)} AS FLOAT)`;
};

/** One feature's layout for the query. */
interface FeatureLookup {
  feature: string;
  lo: number;
  invWidth: number;
  /** Values x with lower <= x < upper score (exact double edges: training/export/edges.ts). */
  lower: number;
  upper: number;
  /** The first double of the last cell: every x above it is in the last cell. */
  lastCell: number;
  /** Contributions per cell, the last repeated for a clamped value whose float32 step lands beyond it. */
  contributions: number[];
}

/** The model's unclamped float32 step for x (src/core/model.ts binIndex before its clamp). */
function step(x: number, lo: number, invWidth: number): number {
  return Math.floor(Math.fround(Math.fround(Math.fround(x) - lo) * invWidth));
}

function lookups(m: SqlModel): FeatureLookup[] {
  const out = m.grid.map((g) => ({ ...g, lastCell: NaN, contributions: [] as number[] }));
  for (const r of m.rows) {
    if (r.featureIndex === null || r.bin === null || r.bin < 0) continue;
    const f = out[r.featureIndex];
    f.contributions[r.bin] = r.contribution;
    if (r.bin === m.bins - 1) f.lastCell = r.lower!;
  }
  for (const f of out) {
    if (!(f.lo <= f.lastCell))
      throw new RangeError(`feature ${f.feature}: the grid starts above its last cell`);
    // A value clamped to lastCell: its step is bins - 1, or beyond when float32 cannot resolve the last cells.
    const top = step(f.lastCell, f.lo, f.invWidth);
    while (f.contributions.length <= top) f.contributions.push(f.contributions[m.bins - 1]);
  }
  return out;
}

/**
 * Feature j's contribution to the log-odds for the DOUBLE column `x`, as the model gives it: 0 for NULL, NaN,
 * +-Infinity and values beyond float32's range. The value is clamped to [lo, first double of the last cell]
 * first, which keeps every cell (the model clamps its cell the same way) and keeps the FLOAT cast in range.
 */
function contribution(f: FeatureLookup, j: number, x: string): string {
  const clamped = `LEAST(GREATEST(${x}, ${literal(f.lo)}), ${literal(f.lastCell)})`;
  const cell = `CAST(FLOOR((CAST(${clamped} AS FLOAT) - ${float(f.lo)}) * ${float(f.invWidth)}) AS INTEGER)`;
  const scores = `CAST(${x} >= ${literal(f.lower)} AND ${x} < ${literal(f.upper)} AS DOUBLE)`;
  return `COALESCE(list_extract(getvariable('${listName(j)}'), ${cell} + 1) * ${scores}, 0)`;
}

/**
 * Feature j's contribution for the FLOAT column `x` of a file whose every value is below 10^7 in size (the typed
 * reader's 'float' case, training/score/plain-csv.ts): x is the model's fround(x) already and always finite, so
 * only the steps, the clamp of the cell, the range of values that score (those far outside the training range
 * do not: src/core/scoring/far-values.ts; x compares with the double edges exactly) and NULL (contributing 0)
 * remain. The cell fits an INTEGER unless the grid is extreme.
 */
function floatContribution(f: FeatureLookup, j: number, x: string, bins: number): string {
  const type = (FLOAT_LIMIT + Math.abs(f.lo)) * f.invWidth < 2 ** 31 ? 'INTEGER' : 'BIGINT';
  const step = `CAST(FLOOR((${x} - ${float(f.lo)}) * ${float(f.invWidth)}) AS ${type})`;
  // GREATEST and LEAST skip a NULL: the cell of NULL would be 0, so its contribution is multiplied by 0.
  const cell = `LEAST(GREATEST(${step}, 0), ${bins - 1})`;
  const scores = `CAST(${x} >= ${literal(f.lower)} AND ${x} < ${literal(f.upper)} AS DOUBLE)`;
  return `COALESCE(list_extract(getvariable('${listName(j)}'), ${cell} + 1) * ${scores}, 0)`;
}

/** Bound on the size of the values of a file read as FLOAT (at most 7 digits before the decimal mark). */
const FLOAT_LIMIT = 1e7;

/**
 * The engine's scoring query over `table` (ID_code and the features as DOUBLE, or as FLOAT for the typed
 * reader's 'float' case): ID_code, target, in the table's order.
 */
export interface EngineQuery {
  /** Sets the session variables the query reads (once per connection, before running it). */
  prepare(connection: DuckDBConnection): Promise<void>;
  /** The query over a table or view; `float`: its features are FLOAT values below 10^7 in size. */
  sql(table: string, float?: boolean): string;
  /**
   * What the query gives a row whose every feature is NULL, without running it over such a row (binding the
   * wide query costs 0.7 s): each term is then COALESCE(NULL, 0) = 0, and intercept + 0 + ... + 0 = intercept.
   */
  noValuesSql: string;
  /** Feature j's contribution alone for column `x` of some table, as in sql() (for the tests). */
  contribution(j: number, x: string, float?: boolean): string;
}

/** The engine's query for a model laid out for SQL. Throws a RangeError for a grid it cannot reproduce. */
export function engineQuery(m: SqlModel, idColumn = 'ID_code'): EngineQuery {
  const features = lookups(m);
  return {
    async prepare(connection) {
      // Through a table filled by the appender: parsing 100,000 literals took DuckDB 0.5-0.8 s.
      await connection.run('CREATE TABLE engine_cells (feature INTEGER, cell INTEGER, contribution DOUBLE)');
      const appender = await connection.createAppender('engine_cells');
      features.forEach((f, j) =>
        f.contributions.forEach((c, cell) => {
          appender.appendInteger(j);
          appender.appendInteger(cell);
          appender.appendDouble(c);
          appender.endRow();
        }),
      );
      appender.closeSync();
      await connection.run(
        'CREATE TABLE engine_lists AS SELECT feature, list(contribution ORDER BY cell) AS contributions ' +
          'FROM engine_cells GROUP BY feature',
      );
      for (let j = 0; j < features.length; j++) {
        await connection.run(
          `SET VARIABLE ${listName(j)} = (SELECT contributions FROM engine_lists WHERE feature = ${j})`,
        );
      }
      await connection.run('DROP TABLE engine_lists');
      await connection.run('DROP TABLE engine_cells');
    },
    sql(table, float = false) {
      const terms = features.map(
        (f, j) => `    ${float ? floatContribution(f, j, f.feature, m.bins) : contribution(f, j, f.feature)}`,
      );
      return (
        `SELECT ${idColumn}, 1 / (1 + EXP(-(${literal(m.intercept)} +\n${terms.join(' +\n')}\n))) AS target\n` +
        `FROM ${table}`
      );
    },
    noValuesSql: `SELECT 1 / (1 + EXP(-(${literal(m.intercept)}))) AS target`,
    contribution: (j, x, float = false) =>
      float ? floatContribution(features[j], j, x, m.bins) : contribution(features[j], j, x),
  };
}
