/**
 * The additive model as SQL: a bins table (per feature, one row per grid cell and one for missing values, plus
 * the intercept) and one query that scores a table with the Kaggle columns where it lives. One template; what
 * differs between dialects is in DIALECTS below, a few lines each:
 *   - type names (DOUBLE / FLOAT64, VARCHAR / STRING, INTEGER / INT64);
 *   - the row key that keeps repeated ids apart (ROW_NUMBER() OVER () in DuckDB, which also keeps the input's
 *     order; monotonically_increasing_id() in Spark; GENERATE_UUID() in BigQuery, where a window over the whole
 *     table would run on one worker);
 *   - the name given to each unpivoted pair of columns (an identifier in Spark, a string literal in BigQuery;
 *     DuckDB takes either).
 * Everything else is standard SQL that all three run: UNPIVOT INCLUDE NULLS with two value columns, LAG/LEAD,
 * ROW_NUMBER, CASE, FLOOR, LEAST/GREATEST, EXP. No NaN or Infinity literal is needed (every edge is a finite
 * double), and names are restricted to plain identifiers, so no string needs escaping.
 *
 * Exactness: the query's cell is the model's float32 cell (training/export/edges.ts): a first guess in double,
 * off by at most one cell (proved per cell at export), corrected with the guessed cell's exact edges and its
 * neighbours' contributions. Contributions are multiples of 2^-k small enough that every sum is exact in double
 * (src/core/model.ts quantizeModel), so the log-odds equal the model's bit for bit, in any summation order.
 *
 * Speed (measured in DuckDB on 50,000 rows): the guess is computed in the wide row (constants inline, no join);
 * one join with the bins table remains, on one integer key (feature_index and bin; on the text feature name it
 * took 2.5x the CPU), and every cell has a partner: a value that does not score goes to its feature's missing
 * bin (-1), so no outer join is needed (DuckDB built the hash table of a LEFT JOIN on the big side: 10x slower).
 */
import type { FarBounds } from '../../src/core/scoring/far-values';
import type { AdditiveModel } from '../../src/core/model';
import { checkEdges, exactEdges, leastRoundingAbove32, leastRoundingTo32 } from './edges';

/** SQL dialects the exporter writes. */
export const DIALECTS = {
  duckdb: {
    double: 'DOUBLE',
    string: 'VARCHAR',
    integer: 'INTEGER',
    rowKey: 'ROW_NUMBER() OVER ()',
    pairName: (name: string) => `'${name}'`,
    // DuckDB numbers the rows in scan order, so sorting by the key gives the input's order back.
    keepsOrder: true,
  },
  spark: {
    double: 'DOUBLE',
    string: 'STRING',
    integer: 'INT',
    rowKey: 'monotonically_increasing_id()',
    pairName: (name: string) => name,
    keepsOrder: false,
  },
  bigquery: {
    double: 'FLOAT64',
    string: 'STRING',
    integer: 'INT64',
    rowKey: 'GENERATE_UUID()',
    pairName: (name: string) => `'${name}'`,
    keepsOrder: false,
  },
} as const;

/** A dialect name: 'duckdb' | 'spark' | 'bigquery'. */
export type Dialect = keyof typeof DIALECTS;

/** Value of the `feature` column on the intercept's row of the bins table (not a possible column name). */
const INTERCEPT_ROW = '(intercept)';

/** The bin of a value that does not score: NULL, NaN, +-Infinity, or beyond float32's range. */
export const MISSING_BIN = -1;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A double as a literal that every dialect reads back as the same double (shortest round-trip digits). */
function doubleLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`no portable SQL literal for ${x}`);
  // The exponent makes it a DOUBLE in DuckDB and Spark (a plain 1.5 would be a DECIMAL there).
  return x.toExponential();
}

/**
 * One row of the bins table: `lower` and `upper` are null on missing bins; `featureIndex` and `bin` too on the
 * intercept's row.
 */
export interface BinRow {
  feature: string;
  /** Position of the feature in the model (0-based): the query joins on it, an integer being much cheaper. */
  featureIndex: number | null;
  bin: number | null;
  lower: number | null;
  upper: number | null;
  contribution: number;
}

/** What the exporter needs besides the model: names and where it came from. */
export interface ExportSource {
  /** Feature names in model order (from the card). */
  names: readonly string[];
  /** Model version and the .onnx file's SHA-256, written into the header comments. */
  version: string;
  sha256: string;
}

/** One feature's grid and the range of values that score. */
export interface GridRow {
  feature: string;
  lo: number;
  invWidth: number;
  /** Values x with lower <= x < upper score; anything else (and NULL, NaN, +-Infinity) contributes 0. */
  lower: number;
  upper: number;
}

/** The model laid out for SQL: the bins table's rows and the grid. */
export interface SqlModel {
  bins: number;
  intercept: number;
  grid: GridRow[];
  rows: BinRow[];
}

/** Checks feature names before they go into SQL text. Throws a RangeError naming the first bad one. */
function checkNames(names: readonly string[], featureCount: number): void {
  if (names.length !== featureCount) {
    throw new RangeError(`the card names ${names.length} features, the model has ${featureCount}`);
  }
  const bad = names.find((n) => !IDENTIFIER.test(n));
  if (bad !== undefined) throw new RangeError(`feature name "${bad}" is not a plain SQL identifier`);
  if (new Set(names).size !== names.length) throw new RangeError('the card repeats a feature name');
}

/**
 * Lays the model out for SQL: exact edges per cell, proved by checkEdges. Throws a RangeError when a proof
 * fails (a grid finer than float32 can resolve), or for unusable names. With `far` (the card's bounds of values
 * taken for data: src/core/scoring/far-values.ts), a value beyond them scores as missing, as the app and the
 * CLI score it: the end cells stop at the bounds (the float32 of the value compared, as the app compares it).
 */
export function sqlModel(model: AdditiveModel, names: readonly string[], far?: FarBounds | null): SqlModel {
  checkNames(names, model.featureCount);
  const edges = exactEdges(model);
  const problems = checkEdges(model, edges);
  if (problems.length > 0) {
    throw new RangeError(`the SQL edges do not reproduce the model: ${problems.slice(0, 3).join('; ')}`);
  }
  const { bins } = model;
  const rows: BinRow[] = [
    {
      feature: INTERCEPT_ROW,
      featureIndex: null,
      bin: null,
      lower: null,
      upper: null,
      contribution: model.intercept,
    },
  ];
  const grid: GridRow[] = [];
  for (let j = 0; j < model.featureCount; j++) {
    const { lower, upper } = edges[j];
    if (far && Number.isFinite(far.low[j]) && Number.isFinite(far.high[j])) {
      // Only the end cells reach beyond the training range (the bounds lie a range's width outside it).
      lower[0] = Math.max(lower[0], Math.min(leastRoundingTo32(far.low[j]), upper[0]));
      upper[bins - 1] = Math.min(
        upper[bins - 1],
        Math.max(leastRoundingAbove32(far.high[j]), lower[bins - 1]),
      );
    }
    const feature = names[j];
    grid.push({
      feature,
      lo: model.lo[j],
      invWidth: model.invWidth[j],
      lower: lower[0],
      upper: upper[bins - 1],
    });
    rows.push({ feature, featureIndex: j, bin: MISSING_BIN, lower: null, upper: null, contribution: 0 });
    for (let b = 0; b < bins; b++) {
      const contribution = model.table[j * bins + b];
      rows.push({ feature, featureIndex: j, bin: b, lower: lower[b], upper: upper[b], contribution });
    }
  }
  return { bins, intercept: model.intercept, grid, rows };
}

/** Columns of the bins table, in order. */
export const BINS_COLUMNS = ['feature', 'feature_index', 'bin', 'lower', 'upper', 'contribution'] as const;

const csvCell = (v: number | null) => (v === null ? '' : String(v));

/** The bins table as CSV (shortest round-trip decimals; empty cells are NULL). */
export function binsCsv(m: SqlModel): string {
  const lines = [BINS_COLUMNS.join(',')];
  for (const r of m.rows) {
    const cells = [r.featureIndex, r.bin, r.lower, r.upper, r.contribution].map(csvCell);
    lines.push([r.feature, ...cells].join(','));
  }
  return lines.join('\n') + '\n';
}

/** Options of the generated SQL. */
export interface SqlOptions {
  dialect: Dialect;
  /** The table to score, inserted as written (qualify or quote it as the warehouse needs). */
  table: string;
  /** The bins table's name, inserted as written. */
  binsTable: string;
  /** Add the top N reasons per customer (0 = none). */
  reasons?: number;
  /** Id column of the scored table. */
  idColumn?: string;
}

const nullableLiteral = (v: number | null) => (v === null ? 'NULL' : doubleLiteral(v));

/** Rows per INSERT statement: keeps each statement far below BigQuery's 1 MB query text limit. */
const INSERT_ROWS = 1000;

function headerComment(source: ExportSource, what: string): string[] {
  return [
    `-- ${what}`,
    `-- Model ${source.version}, model.onnx SHA-256 ${source.sha256}.`,
    '-- Written by `npm run export`: regenerate it with the model rather than edit it (the numbers are exact).',
  ];
}

/** The bins table's column types in a dialect, for CREATE TABLE and for loading bins.csv. */
function binsColumnTypes(dialect: Dialect): Record<(typeof BINS_COLUMNS)[number], string> {
  const d = DIALECTS[dialect];
  const { double, integer } = d;
  return {
    feature: d.string,
    feature_index: integer,
    bin: integer,
    lower: double,
    upper: double,
    contribution: double,
  };
}

/** CREATE TABLE and INSERT statements for the bins table. */
export function binsSql(m: SqlModel, source: ExportSource, options: SqlOptions): string {
  const types = binsColumnTypes(options.dialect);
  const out = [
    ...headerComment(source, `The bins table of the additive model (${options.dialect}).`),
    '-- Per feature, one row per grid cell: a value x with lower <= x < upper adds `contribution` to the',
    `-- log-odds; bin ${MISSING_BIN} is for values that do not score (NULL, NaN, infinite, beyond float32) and adds 0.`,
    `-- The row with feature '${INTERCEPT_ROW}' holds the intercept.`,
    `CREATE TABLE ${options.binsTable} (${BINS_COLUMNS.map((c) => `${c} ${types[c]}`).join(', ')});`,
  ];
  for (let i = 0; i < m.rows.length; i += INSERT_ROWS) {
    const values = m.rows
      .slice(i, i + INSERT_ROWS)
      .map(
        (r) =>
          `('${r.feature}', ${r.featureIndex ?? 'NULL'}, ${r.bin ?? 'NULL'}, ${nullableLiteral(r.lower)}, ` +
          `${nullableLiteral(r.upper)}, ` +
          `${doubleLiteral(r.contribution)})`,
      );
    out.push(`INSERT INTO ${options.binsTable} VALUES\n${values.join(',\n')};`);
  }
  return out.join('\n') + '\n';
}

/**
 * The query's first guess of feature j's bin as a join key: j * (bins + 1) + 1 + cell, or j * (bins + 1) for a
 * value that does not score (the missing bin), computed in double.
 */
function guessExpression(g: GridRow, j: number, bins: number, integer: string): string {
  const x = g.feature;
  const base = j * (bins + 1);
  return (
    `CASE WHEN ${x} >= ${doubleLiteral(g.lower)} AND ${x} < ${doubleLiteral(g.upper)} ` +
    `THEN ${base + 1} + CAST(LEAST(GREATEST(FLOOR((${x} - ${doubleLiteral(g.lo)}) * ${doubleLiteral(g.invWidth)}), 0), ` +
    `${bins - 1}) AS ${integer}) ELSE ${base} END`
  );
}

/** Column name of feature j's guessed cell inside the query. */
const guessColumn = (j: number) => `guess_${j}`;

/**
 * The scoring query: ID_code and target = P(target = 1) per row of the table (plus reason_k and
 * reason_k_log_odds for k = 1..reasons: the features that raise the log-odds most, positive contributions
 * only, NULL when fewer). DuckDB's query returns the rows in the table's order.
 */
export function scoringSql(m: SqlModel, source: ExportSource, options: SqlOptions): string {
  const d = DIALECTS[options.dialect];
  const id = options.idColumn ?? 'ID_code';
  if (!IDENTIFIER.test(id)) throw new RangeError(`id column "${id}" is not a plain SQL identifier`);
  const reasons = options.reasons ?? 0;
  if (!(Number.isInteger(reasons) && reasons >= 0 && reasons <= m.grid.length)) {
    throw new RangeError(`reasons must be an integer from 0 to ${m.grid.length}, got ${reasons}`);
  }
  const names = m.grid.map((g) => g.feature);
  const select = [
    `  ${id}`,
    `  1 / (1 + EXP(-(${doubleLiteral(m.intercept)} + SUM(contribution)))) AS target`,
  ];
  let from = 'contributions';
  if (reasons > 0) {
    for (let k = 1; k <= reasons; k++) {
      const when = `WHEN reason_rank = ${k} AND contribution > 0`;
      select.push(`  MAX(CASE ${when} THEN feature END) AS reason_${k}`);
      select.push(`  MAX(CASE ${when} THEN contribution END) AS reason_${k}_log_odds`);
    }
    from =
      '(\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY row_key ORDER BY contribution DESC, feature) AS reason_rank\n' +
      '  FROM contributions\n) AS ranked';
  }
  const what =
    `Scores every row of ${options.table} with the additive model (${options.dialect}): ${id}, ` +
    `target = P(target = 1)${reasons > 0 ? `, and the top ${reasons} reasons` : ''}.`;
  const parts = [
    ...headerComment(source, what),
    `-- Needs ${options.binsTable} (bins.sql, or bins.csv loaded with the types there). A NULL, NaN, infinite or`,
    '-- beyond-float32 value contributes 0 to the log-odds (an average customer on that feature), as in the model.',
    'WITH',
    'keyed AS (',
    `  SELECT ${d.rowKey} AS row_key, ${id},`,
    names.map((n) => `    CAST(${n} AS ${d.double}) AS ${n}`).join(',\n'),
    `  FROM ${options.table}`,
    '),',
    'guessed AS (',
    "  -- Each value's cell computed in double: at most one cell off the model's float32 cell (proved at export).",
    `  SELECT row_key, ${id},`,
    m.grid
      .map((g, j) => `    ${g.feature}, ${guessExpression(g, j, m.bins, d.integer)} AS ${guessColumn(j)}`)
      .join(',\n'),
    '  FROM keyed',
    '),',
    'cells AS (',
    `  SELECT row_key, ${id}, feature, x, guess`,
    '  FROM guessed UNPIVOT INCLUDE NULLS ((x, guess) FOR feature IN (',
    names.map((n, j) => `    (${n}, ${guessColumn(j)}) AS ${d.pairName(n)}`).join(',\n'),
    '  ))',
    '),',
    'bins AS (',
    "  -- Each bin with its neighbours' contributions, for a guess one cell off.",
    `  SELECT feature_index * ${m.bins + 1} + bin + 1 AS bin_key, lower, upper, contribution,`,
    '    LAG(contribution) OVER (PARTITION BY feature ORDER BY bin) AS below,',
    '    LEAD(contribution) OVER (PARTITION BY feature ORDER BY bin) AS above',
    `  FROM ${options.binsTable}`,
    '  WHERE bin IS NOT NULL',
    '),',
    'contributions AS (',
    `  SELECT c.row_key, c.${id}, c.feature, CASE`,
    '    WHEN c.x < b.lower THEN b.below',
    '    WHEN c.x >= b.upper THEN b.above',
    '    ELSE b.contribution',
    '  END AS contribution',
    '  FROM cells AS c',
    '  JOIN bins AS b ON b.bin_key = c.guess',
    ')',
    'SELECT',
    select.join(',\n'),
    `FROM ${from}`,
    `GROUP BY row_key, ${id}`,
  ];
  if (d.keepsOrder) parts.push('ORDER BY row_key');
  return parts.join('\n') + ';\n';
}
