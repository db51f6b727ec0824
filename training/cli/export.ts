/**
 * npm run export -- --model <model.onnx> --format sql|scorecard [--out DIR] [--card <model-card.json>]
 *   sql:       [--dialect duckdb|spark|bigquery] [--table customers] [--bins-table scorecard_bins] [--reasons N]
 *              writes bins.csv, bins.sql (CREATE TABLE + INSERT) and score.sql (the scoring query)
 *   scorecard: [--pdo 20] [--ref-score 600] [--ref-odds 1] [--tolerance 0.02]
 *              writes scorecard.csv and scorecard.md
 * Exit 1 on a model it cannot read or write exactly, 2 on usage.
 */
import { parseArgs } from 'node:util';
import { printedHelp } from './help';
import { exitForInputError } from './input-error';
import { exportModel } from '../export/run';
import { DEFAULT_SCALING, DEFAULT_TOLERANCE } from '../export/scorecard';
import { DIALECTS, type Dialect } from '../export/sql';

const USAGE =
  'Usage: npm run export -- --model <model.onnx> --format sql|scorecard [--out DIR] [--card <model-card.json>]\n' +
  '  sql:       [--dialect duckdb|spark|bigquery] [--table customers] [--bins-table scorecard_bins] [--reasons N]\n' +
  `  scorecard: [--pdo ${DEFAULT_SCALING.pdo}] [--ref-score ${DEFAULT_SCALING.referenceScore}] ` +
  `[--ref-odds ${DEFAULT_SCALING.referenceOdds}] [--tolerance ${DEFAULT_TOLERANCE}]`;

/** A table name as the query will hold it: names, dots, backquotes, quotes; nothing that ends a statement. */
const TABLE_NAME = /^[A-Za-z0-9_.`"-]+$/;

const HELP = `${USAGE}

Writes the model for a warehouse (docs/warehouse.md). sql: bins.csv, bins.sql (CREATE TABLE and INSERT) and
score.sql, one query that returns ID_code, target (and with --reasons N the N features that raise the log-odds
most). scorecard: scorecard.md for review and scorecard.csv at full precision, scaled to --ref-score points at
odds --ref-odds and --pdo points to double the odds; neighbouring cells merge while their contributions differ
by at most --tolerance log-odds (0: the points give back the model's log-odds exactly). --card defaults to
model-card.json beside the model, --out to a folder named sql or scorecard.

Exit status: 0 written, 1 a model it cannot read or write exactly, 2 usage.`;

async function main(): Promise<number> {
  if (printedHelp(HELP)) return 0;
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        model: { type: 'string' },
        card: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        dialect: { type: 'string', default: 'duckdb' },
        table: { type: 'string', default: 'customers' },
        'bins-table': { type: 'string', default: 'scorecard_bins' },
        reasons: { type: 'string', default: '0' },
        pdo: { type: 'string', default: String(DEFAULT_SCALING.pdo) },
        'ref-score': { type: 'string', default: String(DEFAULT_SCALING.referenceScore) },
        'ref-odds': { type: 'string', default: String(DEFAULT_SCALING.referenceOdds) },
        tolerance: { type: 'string', default: String(DEFAULT_TOLERANCE) },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const usage = (message: string) => {
    console.error(`${message}\n${USAGE}`);
    return 2;
  };
  if (!values.model || !values.format) return usage('--model and --format are required.');
  if (values.format !== 'sql' && values.format !== 'scorecard') {
    return usage(`--format must be sql or scorecard, got "${values.format}".`);
  }
  if (!(values.dialect in DIALECTS))
    return usage(`--dialect must be duckdb, spark or bigquery, got "${values.dialect}".`);
  for (const name of ['table', 'bins-table'] as const) {
    if (!TABLE_NAME.test(values[name]))
      return usage(`--${name} must be a table name, got "${values[name]}".`);
  }
  const reasons = Number(values.reasons);
  if (!(Number.isInteger(reasons) && reasons >= 0 && reasons <= 200)) {
    return usage(`--reasons must be an integer from 0 to 200, got "${values.reasons}".`);
  }
  const scaling = {
    pdo: Number(values.pdo),
    referenceScore: Number(values['ref-score']),
    referenceOdds: Number(values['ref-odds']),
  };
  const tolerance = Number(values.tolerance);
  if (
    !(scaling.pdo > 0) ||
    !Number.isFinite(scaling.referenceScore) ||
    !(scaling.referenceOdds > 0) ||
    !(tolerance >= 0)
  ) {
    return usage(
      '--pdo and --ref-odds must be positive numbers, --ref-score a number, --tolerance 0 or more.',
    );
  }
  try {
    const result = await exportModel({
      model: values.model,
      card: values.card,
      format: values.format,
      out: values.out ?? (values.format === 'sql' ? 'sql' : 'scorecard'),
      dialect: values.dialect as Dialect,
      table: values.table,
      binsTable: values['bins-table'],
      reasons,
      scaling,
      tolerance,
    });
    console.log(`wrote ${result.files.join(', ')}: ${result.summary}`);
    return 0;
  } catch (error) {
    return exitForInputError('export', error);
  }
}

process.exitCode = await main();
