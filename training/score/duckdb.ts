/**
 * `npm run score -- --engine duckdb`: scores a CSV (plain or gzip) or Parquet file with DuckDB, streaming the file
 * from disk, through the engine's form of the exported SQL (training/score/duckdb-query.ts: the same predictions
 * as `npm run export`'s query, bit for bit, in a form DuckDB runs 2-3x faster). DuckDB reads and parses the file
 * itself, on one of two paths:
 *   - typed: when every feature cell is empty or a plain number (checked first in one pass over the bytes:
 *     training/score/plain-csv.ts), DuckDB's CSV reader parses the feature columns as FLOAT or DOUBLE;
 *   - checked text: otherwise every cell is read as text and goes through the default engine's cell rule below
 *     (5-6x slower), which names the row, column and value of a refused cell.
 * Both give the same scores for the files the typed path takes (tested). The input policy follows the default
 * engine's where DuckDB can, and refuses where it cannot:
 *   - columns by name in any order, extra columns ignored, missing or repeated columns refused (the same
 *     mapColumns and messages);
 *   - empty cells (or only spaces and tabs), nan/inf/infinity (any case, signed) and values beyond float32
 *     contribute 0, as in the default engine; so do the missing-value words the reader knows (NA, null, None,
 *     ...: src/core/csv/cell.ts, one list for both engines); a decimal comma in a quoted cell ("1,5") is a
 *     decimal mark, as in the default engine;
 *   - a line with no value in any field (`,,,,` where rows were deleted) is not a row; a row with values but an
 *     empty ID_code refuses the file, naming the row (the default engine leaves it out and lists it, which this
 *     engine cannot do in the same pass): never a prediction with an empty id;
 *   - a file in which no feature cell holds a number is refused with the default engine's words (judged from
 *     the scores: every row scored as a customer with no values);
 *   - any other cell that is not a number refuses the whole file, naming its row, column and value: the
 *     default engine scores such a cell as missing and lists it, which this engine cannot do in the same pass;
 *     DuckDB would read some of them as numbers ('1_000' as 1000, '+-1' as -1, a number padded with form feeds,
 *     'nan(1)' as NaN), which the
 *     default engine does not, so they are refused rather than guessed;
 *   - rows with too few or too many fields refuse the file (DuckDB's message, with the line);
 *   - only comma-separated text: a ';' or tab separated file, or a zip archive, is refused with a pointer to
 *     the default engine.
 * It does not count or list missing cells (the default engine does).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { makeFolder } from '../io/folder';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { NO_NUMBERS } from '../../src/core/cell-policy';
import { MISSING_WORDS } from '../../src/core/csv/cell';
import { PREDICTIONS_HEADER, predictionLine } from '../../src/core/output';
import { FEATURE_NAMES, ID_COLUMN, mapColumns, SchemaError } from '../../src/core/schema';
import { tempPathFor } from '../io/atomic-write';
import { InputError } from '../io/read-rows';
import { type LoadedModel, loadModel } from '../export/load';
import { BINS_COLUMNS, type SqlModel } from '../export/sql';
import { type EngineQuery, engineQuery } from './duckdb-query';
import { type TypedRead, typedRead } from './plain-csv';

/** The model's feature columns, by name. */
const FEATURES: ReadonlySet<string> = new Set(FEATURE_NAMES);

/** Options of one DuckDB scoring run. */
export interface DuckdbScoreOptions {
  model: string;
  /** Model card; default model-card.json beside the model. */
  card?: string;
  input: string;
  out: string;
  /** DuckDB worker threads (default: DuckDB's, one per core). */
  threads?: number;
}

/** Figures of a finished run. */
export interface DuckdbScoreResult {
  rows: number;
  bytes: number;
  seconds: number;
  /** The file has a target column, which this engine does not evaluate (the default engine does). */
  labelled: boolean;
}

/** The view the engine's query scores. */
const TABLE = 'customers';

/** Longest header line read (the reader's line limit). */
const MAX_HEADER_BYTES = 1 << 20;

type FileKind = 'csv' | 'gzip' | 'parquet' | 'zip';

async function fileKind(path: string): Promise<FileKind> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead === 4 && String.fromCharCode(...head) === 'PAR1') return 'parquet';
    if (bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4)
      return 'zip';
    return 'csv';
  } finally {
    await handle.close();
  }
}

/** The first line of a text file (gunzipped first when `gzip`), without BOM and line end. */
async function headerLine(path: string, gzip: boolean): Promise<string> {
  const file = createReadStream(path, { end: gzip ? undefined : MAX_HEADER_BYTES });
  const stream = gzip ? file.pipe(createGunzip()) : file;
  if (gzip) file.on('error', (error) => stream.destroy(error));
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const end = chunk.indexOf(10);
      parts.push(end >= 0 ? chunk.subarray(0, end) : chunk);
      length += chunk.length;
      if (end >= 0 || length > MAX_HEADER_BYTES) break;
    }
  } finally {
    file.destroy();
    stream.destroy();
  }
  let text = new TextDecoder().decode(Buffer.concat(parts));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** A string literal for DuckDB ('' doubles a quote). */
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** An identifier for DuckDB ("" doubles a quote). */
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/**
 * The default engine's cell rule in DuckDB, for a VARCHAR cell v of `column` in the row numbered `row`:
 * TRY_CAST gives DuckDB's number (the same double as the reader's Number(): both round correctly), but DuckDB
 * also accepts '_' between digits, trims \r \n \v \f, reads '+-1' as -1 and 'nan(1)' as NaN, which the reader
 * does not: those refuse (a cell with '_', '+-', '(' or one of those characters; training/score/duckdb.test.ts
 * compares the rule with the reader's on every string of up to 4 characters that could differ). A comma is
 * a decimal mark (it can only be inside a quoted cell). Blank cells and missing-value words (after trimming
 * spaces and tabs, as the reader does) are NULL; every other failure refuses with the row, column and value
 * (`refusal`, when given, is put in its place: the tests use a value to see refusals without stopping).
 */
export function cellExpression(column: string, row: string, refusal?: string): string {
  const v = ident(column);
  const refuse =
    refusal ??
    `error('row ' || ${row} || ', ${column.replaceAll("'", "''")}: "' || left(${v}, 60) || '" is not a number')`;
  // list_contains, not IN: DuckDB expands an IN list into comparisons, which for 200 columns made scoring 20x
  // slower.
  const missing = `${v} IS NULL OR list_contains([${['', ...MISSING_WORDS].map(quote).join(', ')}], trim(${v}, ' \t'))`;
  return (
    `CASE WHEN regexp_matches(${v}, '[_\\r\\n\\v\\f(]|\\+-') THEN ${refuse} ` +
    `ELSE COALESCE(TRY_CAST(replace(${v}, ',', '.') AS DOUBLE), CASE WHEN ${missing} THEN NULL ELSE ${refuse} END) END`
  );
}

/**
 * The id rule over the view's source, whose rows are numbered `row`: a blank ID_code refuses the file, naming
 * the row. (Lines with no value in any field are filtered out before the rows are numbered.)
 */
function idExpression(row: string, text: string): string {
  return (
    `CASE WHEN trim(COALESCE(${text}, ''), ' \t') = '' THEN error('row ' || ${row} || ': no ${ID_COLUMN} (a row ` +
    'with values but an empty ID_code cannot be named in predictions.csv; the default engine leaves it out ' +
    `and lists it)') ELSE ${text} END`
  );
}

/** SQL true when every one of `columns` (VARCHAR or other) is NULL or only spaces and tabs: not a row. */
function allBlank(columns: readonly string[]): string {
  return columns.map((c) => `trim(COALESCE(CAST(${ident(c)} AS VARCHAR), ''), ' \t') = ''`).join(' AND ');
}

/**
 * How the engine reads the input (see the module's note): CSV feature columns typed as FLOAT or DOUBLE by
 * DuckDB's reader, or read as text and checked; Parquet columns as they are.
 */
export type DuckdbReader = 'CSV as FLOAT' | 'CSV as DOUBLE' | 'CSV as checked text' | 'Parquet';

/** The read_csv call over `path` with the given column types (the same dialect on both paths). */
function readCsv(
  path: string,
  gzip: boolean,
  names: readonly string[],
  type: (name: string) => string,
): string {
  const columns = `{${names.map((n) => `${quote(n)}: '${type(n)}'`).join(', ')}}`;
  return (
    `read_csv(${quote(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
    `columns = ${columns}, compression = '${gzip ? 'gzip' : 'none'}', strict_mode = true, null_padding = false)`
  );
}

/** A CSV file's header names and how DuckDB may read its feature columns. */
interface CsvCheck {
  names: string[];
  typed: TypedRead;
}

/**
 * Checks a CSV file's header (refusing it with the default engine's messages) and its bytes (typedRead), without
 * DuckDB: it runs while DuckDB sets up the query.
 */
async function checkCsv(path: string, gzip: boolean): Promise<CsvCheck> {
  const header = await headerLine(path, gzip);
  if (!header.includes(',') && (header.includes(';') || header.includes('\t'))) {
    throw new InputError(
      `${path}: the duckdb engine reads comma-separated files only (this one is separated by ` +
        `${header.includes(';') ? "';'" : 'tabs'}); score it with the default engine.`,
    );
  }
  // The reader's header rules (trimmed names, missing and repeated columns) with its messages.
  const names = header.split(',').map((n) => n.trim());
  mapColumns(names);
  const isFeature = names.map((n) => FEATURES.has(n));
  return { names, typed: await typedRead(path, isFeature, names.indexOf(ID_COLUMN), gzip) };
}

/**
 * Creates the view `customers` over a checked CSV file. When every feature cell is empty or a plain number,
 * DuckDB's typed reader parses the feature columns as FLOAT or DOUBLE directly; otherwise every cell is read as
 * text and goes through the default engine's cell rule, which names the row of a refused cell.
 */
async function csvView(
  connection: DuckDBConnection,
  path: string,
  gzip: boolean,
  { names, typed }: CsvCheck,
): Promise<DuckdbReader> {
  if (typed !== 'text') {
    // Empty feature cells are NULL; blank ids only occur on lines that are blank throughout (checked).
    const type = typed === 'float' ? 'FLOAT' : 'DOUBLE';
    const source = readCsv(path, gzip, names, (n) => (FEATURES.has(n) ? type : 'VARCHAR'));
    const blank = names
      .map((n) => (FEATURES.has(n) ? `${ident(n)} IS NULL` : `trim(COALESCE(${ident(n)}, ''), ' \t') = ''`))
      .join(' AND ');
    await connection.run(
      `CREATE TEMP VIEW ${TABLE} AS SELECT ${ident(ID_COLUMN)} AS ${ID_COLUMN}, ${FEATURE_NAMES.join(', ')} ` +
        `FROM ${source} WHERE NOT (${blank})`,
    );
    return typed === 'float' ? 'CSV as FLOAT' : 'CSV as DOUBLE';
  }
  const source = readCsv(path, gzip, names, () => 'VARCHAR');
  const row = 'csv_row';
  const cells = FEATURE_NAMES.map((n) => `${cellExpression(n, row)} AS ${n}`);
  await connection.run(
    `CREATE TEMP VIEW ${TABLE} AS SELECT ${idExpression(row, ident(ID_COLUMN))} AS ${ID_COLUMN}, ` +
      `${cells.join(', ')} FROM (SELECT ROW_NUMBER() OVER () AS ${row}, * FROM ${source} ` +
      `WHERE NOT (${allBlank(names)}))`,
  );
  return 'CSV as checked text';
}

/** Creates the view `customers` over a Parquet file: numeric columns as they are, text columns by the cell rule. */
async function parquetView(
  connection: DuckDBConnection,
  path: string,
): Promise<{ reader: DuckdbReader; labelled: boolean }> {
  const source = `read_parquet(${quote(path)})`;
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  const types = new Map(described.getRows().map(([name, type]) => [String(name), String(type)]));
  const labelled = mapColumns([...types.keys()]).targetIndex >= 0;
  const row = 'parquet_row';
  const cells = FEATURE_NAMES.map((n) =>
    types.get(n) === 'VARCHAR' ? `${cellExpression(n, row)} AS ${n}` : `CAST(${ident(n)} AS DOUBLE) AS ${n}`,
  );
  const id = `CAST(${ident(ID_COLUMN)} AS VARCHAR)`;
  await connection.run(
    `CREATE TEMP VIEW ${TABLE} AS SELECT ${idExpression(row, id)} AS ${ID_COLUMN}, ${cells.join(', ')} ` +
      `FROM (SELECT ROW_NUMBER() OVER () AS ${row}, * FROM ${source} ` +
      `WHERE NOT (${allBlank([ID_COLUMN, ...FEATURE_NAMES])}))`,
  );
  return { reader: 'Parquet', labelled };
}

/**
 * Creates and fills the exported bins table `table` from the model's rows, for running the exported query in a
 * session (DuckDB's appender: parsing bins.sql's 103 INSERT statements takes seconds).
 */
export async function createBins(connection: DuckDBConnection, sql: SqlModel, table: string): Promise<void> {
  const types = { feature: 'VARCHAR', feature_index: 'INTEGER', bin: 'INTEGER' } as Record<string, string>;
  const columns = BINS_COLUMNS.map((c) => `${c} ${types[c] ?? 'DOUBLE'}`).join(', ');
  await connection.run(`CREATE TABLE ${table} (${columns})`);
  const appender = await connection.createAppender(table);
  const orNull = (v: number | null, append: (v: number) => void) =>
    v === null ? appender.appendNull() : append(v);
  for (const r of sql.rows) {
    appender.appendVarchar(r.feature);
    orNull(r.featureIndex, (v) => appender.appendInteger(v));
    orNull(r.bin, (v) => appender.appendInteger(v));
    orNull(r.lower, (v) => appender.appendDouble(v));
    orNull(r.upper, (v) => appender.appendDouble(v));
    appender.appendDouble(r.contribution);
    appender.endRow();
  }
  appender.closeSync();
}

/** DuckDB's error message, first line, with its "Conversion Error: " style prefix kept. */
function duckdbMessage(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  const lines = message.split('\n').filter((l) => l.trim() !== '');
  // CSV errors put the line and the original line on the next lines: keep those two.
  return lines.slice(0, message.includes('CSV Error on Line') ? 3 : 1).join(' ');
}

/** A DuckDB session on one input file: the view `customers` and the engine query's variables are in place. */
export interface DuckdbSession {
  connection: DuckDBConnection;
  loaded: LoadedModel;
  /** The query the engine runs (training/score/duckdb-query.ts). */
  query: EngineQuery;
  /** How the view reads the file. */
  reader: DuckdbReader;
  /** Seconds spent checking the file's bytes for the typed reader (0 for Parquet). */
  checkSeconds: number;
  /** The file has a target column (not read by this engine). */
  labelled: boolean;
  /** Size of the input file in bytes. */
  bytes: number;
  close(): Promise<void>;
}

/**
 * Opens DuckDB on `input` for the model: checks the file (refusing what the engine cannot read the default
 * engine's way), creates the view and sets the engine query's variables. Throws an InputError or SchemaError for refused input.
 */
export async function openDuckdb(options: Omit<DuckdbScoreOptions, 'out'>): Promise<DuckdbSession> {
  const loaded = await loadModel(options.model, options.card);
  if (loaded.source.names.some((n, j) => n !== FEATURE_NAMES[j])) {
    throw new InputError(`${options.model}: its card names features other than var_0..var_199 in order.`);
  }
  const { input } = options;
  const info = await stat(input).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === 'ENOENT' ? `${input}: no such file.` : `${input}: ${error.message}`);
  });
  if (info.isDirectory()) throw new InputError(`${input}: is a directory, not a CSV file.`);
  const kind = await fileKind(input);
  if (kind === 'zip') {
    throw new InputError(
      `${input}: is a zip archive; the duckdb engine reads CSV, .csv.gz and Parquet files: unzip it, ` +
        'or score it with the default engine.',
    );
  }
  let query: EngineQuery;
  try {
    query = engineQuery(loaded.sql, ID_COLUMN);
  } catch (error) {
    throw new InputError(`${options.model}: the duckdb engine cannot score it: ${(error as Error).message}.`);
  }
  let reader: DuckdbReader;
  let checkSeconds = 0;
  let labelled: boolean;
  // DuckDB spills to disk when memory runs short: into a folder of ours, not the working directory.
  const spill = await mkdtemp(join(tmpdir(), 'score-duckdb-'));
  const config: Record<string, string> = { temp_directory: spill };
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await instance.connect();
  const close = async () => {
    connection.closeSync();
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
  };
  try {
    // The engine's query has no ORDER BY: rows come out in the view's order, as DuckDB keeps it by default.
    await connection.run('SET preserve_insertion_order = true');
    // Looking for common subexpressions across the query's 200 terms took longer (0.9 s) than it saved.
    await connection.run("SET disabled_optimizers = 'common_subexpressions'");
    try {
      const gzip = kind === 'gzip';
      // The byte check (this thread) while DuckDB sets the query's variables (its threads).
      const started = performance.now();
      // Both settled before a refusal is thrown: closing the connection while DuckDB still prepares the query
      // left the process hanging after the message (helper-37: 2 runs in 3 on a refused header).
      const [checked, prepared] = await Promise.allSettled([
        kind === 'parquet' ? null : checkCsv(input, gzip),
        query.prepare(connection),
      ]);
      if (checked.status === 'rejected') throw checked.reason;
      if (prepared.status === 'rejected') throw prepared.reason;
      const check = checked.value;
      if (check) checkSeconds = (performance.now() - started) / 1000;
      if (check) {
        reader = await csvView(connection, input, gzip, check);
        labelled = mapColumns(check.names).targetIndex >= 0;
      } else ({ reader, labelled } = await parquetView(connection, input));
    } catch (error) {
      if (error instanceof InputError || error instanceof SchemaError) throw error;
      throw new InputError(duckdbMessage(error));
    }
  } catch (error) {
    await close();
    throw named(error, input);
  }
  return { connection, loaded, query, reader, checkSeconds, labelled, bytes: info.size, close };
}

/** Puts the path in front of a refusal's message, as every other refusal of a file reads. */
function named(error: unknown, path: string): unknown {
  if ((error instanceof InputError || error instanceof SchemaError) && !error.message.startsWith(path)) {
    error.message = `${path}: ${error.message}`;
  }
  return error;
}

/**
 * Runs the exported scoring query over the session's file; hands each chunk of rows (ids, probabilities in
 * double) to `onRows` in the file's order. Returns the number of rows.
 */
export async function scoreRows(
  session: DuckdbSession,
  input: string,
  onRows: (ids: (string | null)[], probability: number[]) => Promise<void> | void,
): Promise<number> {
  const { connection, query } = session;
  // What a customer with no values scores: a file whose every row scores exactly that has no number in any
  // feature cell (the default engine's cell policy refuses it).
  const probe = await connection.runAndReadAll(query.noValuesSql);
  const noValues = Number(probe.getRows()[0][0]);
  let rows = 0;
  let onlyNoValues = true;
  try {
    const result = await connection.stream(query.sql(TABLE, session.reader === 'CSV as FLOAT'));
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      rows += chunk.rowCount;
      const probability = chunk.getColumnValues(1) as number[];
      if (onlyNoValues) onlyNoValues = probability.every((p) => p === noValues);
      await onRows(chunk.getColumnValues(0) as (string | null)[], probability);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    // Only DuckDB's own errors reach here (the cell rule's error(), CSV errors); say what DuckDB said.
    throw new InputError(`${input}: ${duckdbMessage(error)}`);
  }
  if (rows === 0) throw new InputError(`${input}: no rows to score.`);
  if (onlyNoValues) throw new InputError(`${input}: ${NO_NUMBERS}`);
  return rows;
}

/**
 * Scores `input` into `out` with DuckDB (written to a temporary name, renamed at the end; removed on failure).
 * Throws an InputError (or SchemaError) for a file the engine refuses.
 */
export async function scoreWithDuckdb(options: DuckdbScoreOptions): Promise<DuckdbScoreResult> {
  const started = performance.now();
  const session = await openDuckdb(options);
  await makeFolder(dirname(options.out));
  const temp = tempPathFor(options.out);
  const stream = createWriteStream(temp);
  try {
    let pending: string[] = [PREDICTIONS_HEADER];
    let pendingChars = 0;
    const flush = async () => {
      if (!stream.write(pending.join('\n') + '\n')) await once(stream, 'drain');
      pending = [];
      pendingChars = 0;
    };
    const rows = await scoreRows(session, options.input, async (ids, probability) => {
      for (let i = 0; i < ids.length; i++) {
        const line = predictionLine(ids[i] ?? '', probability[i]);
        pending.push(line);
        pendingChars += line.length + 1;
      }
      // About 1 MiB per write, as the default engine writes.
      if (pendingChars > 1 << 20) await flush();
    });
    if (pending.length > 0) await flush();
    stream.end();
    await once(stream, 'finish');
    await rename(temp, options.out);
    return {
      rows,
      bytes: session.bytes,
      seconds: (performance.now() - started) / 1000,
      labelled: session.labelled,
    };
  } catch (error) {
    stream.destroy();
    await rm(temp, { force: true });
    throw named(error, options.input);
  } finally {
    await session.close();
  }
}
