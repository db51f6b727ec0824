/**
 * npm run score -- --model <model.onnx> --in <file> --out <predictions.csv> [--member NAME]
 *   [--affected-rows <affected-rows.csv>] [--batch 8192] [--engine onnx|duckdb]
 * The input is a CSV (or UTF-16 text), gzip, a zip archive or a Parquet file, told apart by its bytes; a zip of
 * several tables needs --member (without it the command lists them and exits 1).
 * Streams the file through the model and writes Kaggle's `ID_code,target`, with the app's policy: bad cells are
 * scored as missing (neutral contribution), rows without an ID_code are left out, both listed on stderr with how
 * the file was read; a file whose feature columns cannot be read as numbers is refused. A file with a target
 * column is also evaluated, as in the app: the AUC on its rows labelled 0 or 1 (other targets are listed), and,
 * when fitted-rows.bin and model-card.json lie beside the model, the rows it was fitted on and the AUC on the
 * others.
 * --affected-rows writes every problem row (the app's "list of affected rows", the same bytes); stderr names the
 * first three.
 * Exit 1 on bad input, 2 on usage; the output appears only when complete.
 * --engine duckdb scores through the exported SQL instead (training/score/duckdb.ts: CSV, .csv.gz or Parquet).
 */
import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MODEL_FILE_NAMES } from '../../src/core/card/model-files';
import { parseArgs } from 'node:util';
import { fittedLabelSentence } from '../../src/core/insights/fitted-labels';
import { printedHelp } from './help';
import type { RowIssueDigest } from '../../src/core/row-issues/types';
import { yesNoTargetText } from '../../src/core/row-issues/wording';
import { checkedModel } from '../score/model-check';
import { exitForInputError } from './input-error';
import { outputProblem } from '../io/folder';
import { type LabelFigures, scoreFile } from '../score/run';

const USAGE =
  'Usage: npm run score -- --model <model.onnx> --in <file> --out <predictions.csv> [--member NAME] ' +
  '[--affected-rows <affected-rows.csv>] [--batch 8192] [--engine onnx|duckdb]';

const HELP = `${USAGE}

Scores every customer in a file and writes Kaggle's predictions.csv (ID_code,target), with the app's policy:
what the file is comes from its bytes (CSV or UTF-16 text, gzip, zip, Parquet); a bad cell is scored as missing
and listed on stderr; a row without an ID_code is left out and listed; a file whose feature columns cannot be
read as numbers is refused. With a target column, the AUC on the rows labelled 0 or 1 is printed too; when the
model's record of fitted rows (fitted-rows.bin, with model-card.json) lies beside it, so are the number of rows
it was fitted on and its AUC on the others.

  --model FILE           the model (models/model.onnx is the app's built-in one)
  --in FILE              the customers: ID_code and var_0..var_199 (a target column is evaluated)
  --out FILE             predictions.csv; written only once every row is scored
  --member NAME          the table to read in a zip of several (without it, they are listed and it exits 1)
  --affected-rows FILE   also write every problem row (row,ID_code,column,kind,value), the app's download
  --batch N              rows per model call (default 8192)
  --engine onnx|duckdb   duckdb scores through the exported SQL instead (CSV, .csv.gz or Parquet)
  -h, --help             this text

Exit status: 0 written, 1 bad input (the message names the row and the column), 2 usage.`;

/** The file's stat; undefined when there is none there, or its path cannot be looked at (see pathProblem). */
function statOf(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Why a path cannot name a file to write (a part of it is a file, the name is too long, …), or undefined. */
function pathProblem(path: string): string | undefined {
  try {
    statSync(path, { throwIfNoEntry: false });
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
    if (code === 'ENAMETOOLONG') return 'the name is too long';
    return (error as Error).message;
  }
}

/** True when a and b name the same file: the same absolute path, or (both existing) the same inode. */
function samePath(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  const sa = statOf(a);
  const sb = statOf(b);
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Why the paths given cannot work, checked before any scoring: an output that is a directory, empty, or the same
 * file as the input, the model or the other output (which would be overwritten). Undefined when they are fine.
 */
function pathClash(paths: Record<'--in' | '--model' | '--out' | '--affected-rows', string | undefined>) {
  const given = Object.entries(paths).filter((e): e is [string, string] => e[1] !== undefined);
  for (const [flag, path] of given.filter(([f]) => f === '--out' || f === '--affected-rows')) {
    if (path === '') return `${flag} needs a file name.`;
    const problem = pathProblem(path);
    if (problem) return `${flag} ${path} cannot be written: ${problem}.`;
    if (statOf(path)?.isDirectory()) return `${flag} ${path} is a directory: name a file.`;
    // Tried now, before any scoring: a folder that cannot be made is said here, not after the work.
    const { folder, file } = outputProblem(dirname(path), basename(path));
    if (folder) return `${flag} ${path} cannot be written: ${folder}.`;
    if (file) return `${flag} ${path} cannot be written: ${file}.`;
    // The files read beside the model (its card, its record of fitted rows) are not to be overwritten either.
    const model = paths['--model'];
    const beside = model
      ? Object.values(MODEL_FILE_NAMES).map((name) => [`the model's ${name}`, join(dirname(model), name)])
      : [];
    for (const [other, otherPath] of [...given, ...beside]) {
      if (other !== flag && samePath(path, otherPath)) {
        return `${flag} ${path} is the same file as ${other}: it would be overwritten. Name another file.`;
      }
    }
  }
  return undefined;
}

/** The model on the file's labels, in the results page's words (its AUC to 4 decimals). */
/** `n` with thousands separators and the noun in the singular or plural: "1 row", "150,000 rows". */
function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** stdout's line for a written predictions.csv: rows, seconds, and MB/s when the file is big enough to time. */
function wroteLine(out: string, rows: number, bytes: number, seconds: number, engine = ''): string {
  const rate = bytes >= 1e6 ? `${(bytes / 1e6 / seconds).toFixed(0)} MB/s` : '';
  const aside = [rate, engine].filter(Boolean).join(', ');
  return `wrote ${out}: ${count(rows, 'row')} in ${seconds.toFixed(2)} s${aside ? ` (${aside})` : ''}`;
}

function evaluationLine(e: LabelFigures, issues: RowIssueDigest): string {
  const n = e.rows.toLocaleString('en-US');
  if (e.rows === 0 && issues.targetColumnEmpty) return 'No AUC on your labels: the target column is empty.';
  if (e.rows === 0 && issues.yesNoTargets)
    return `No AUC on your labels: the ${yesNoTargetText(issues.yesNoTargets)}.`;
  if (e.rows === 0) return 'No AUC on your labels: no target is 0 or 1.';
  if (Number.isNaN(e.auc)) {
    const label = e.positives > 0 ? 1 : 0;
    return e.rows === 1
      ? `No AUC on your labels: the only labelled row is ${label}.`
      : `No AUC on your labels: all ${n} labelled rows are ${label}.`;
  }
  return (
    `AUC on your labels: ${e.auc.toFixed(4)} (${n} rows labelled 0 or 1, ` +
    `${e.positives.toLocaleString('en-US')} of them 1)`
  );
}

async function main(): Promise<number> {
  if (printedHelp(HELP)) return 0;
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        model: { type: 'string' },
        in: { type: 'string' },
        out: { type: 'string' },
        member: { type: 'string' },
        'affected-rows': { type: 'string' },
        batch: { type: 'string', default: '8192' },
        engine: { type: 'string', default: 'onnx' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const batchRows = Number(values.batch);
  if (!values.model || !values.in || !values.out || !(Number.isInteger(batchRows) && batchRows > 0)) {
    console.error(`--model, --in and --out are required; --batch must be a positive integer.\n${USAGE}`);
    return 2;
  }
  const clash = pathClash({
    '--in': values.in,
    '--model': values.model,
    '--out': values.out,
    '--affected-rows': values['affected-rows'],
  });
  if (clash) {
    console.error(`${clash}\n${USAGE}`);
    return 2;
  }
  if (values.engine !== 'onnx' && values.engine !== 'duckdb') {
    console.error(`--engine must be onnx or duckdb, got "${values.engine}".\n${USAGE}`);
    return 2;
  }
  if (values.engine === 'duckdb') {
    if (values.member !== undefined) {
      console.error(
        `--member reads a zip archive, which the duckdb engine does not: unzip it first.\n${USAGE}`,
      );
      return 2;
    }
    if (values['affected-rows'] !== undefined) {
      console.error(`--affected-rows needs the default engine: the duckdb engine lists no rows.\n${USAGE}`);
      return 2;
    }
    try {
      // The app's check of the model against its card, before any row is read (scoreFile runs it for the
      // default engine): one policy for both doors.
      await checkedModel(values.model);
      // Loaded only when asked for: DuckDB is a native module the default engine does not need.
      const { scoreWithDuckdb } = await import('../score/duckdb');
      const r = await scoreWithDuckdb({ model: values.model, input: values.in, out: values.out });
      if (r.labelled) {
        console.error(
          'score: the file has a target column, which the duckdb engine does not read: for the AUC on your ' +
            'labels (and targets that are not 0 or 1 listed), score it with the default engine.',
        );
      }
      console.log(wroteLine(values.out, r.rows, r.bytes, r.seconds, 'duckdb'));
      return 0;
    } catch (error) {
      return exitForInputError('score', error);
    }
  }
  try {
    const r = await scoreFile({
      model: values.model,
      input: values.in,
      out: values.out,
      member: values.member,
      affectedRows: values['affected-rows'],
      batchRows,
    });
    for (const note of r.notes) console.error(`score: ${note}`);
    if (r.issues.message) console.error(`score: ${r.issues.message}`);
    const listFile = values['affected-rows'];
    if (listFile !== undefined) {
      console.error(`score: ${listFile} lists ${count(r.issues.rows, 'affected row')}.`);
    } else if (r.issues.rows > 0) {
      console.error('score: add --affected-rows <file> to list every affected row.');
    }
    console.log(wroteLine(values.out, r.rows, r.bytes, r.seconds));
    if (r.evaluation) console.log(evaluationLine(r.evaluation, r.issues));
    if (r.fitted?.beyondChance) console.log(fittedLabelSentence(r.fitted));
    return 0;
  } catch (error) {
    return exitForInputError('score', error);
  }
}

process.exitCode = await main();
