/**
 * Synthetic data in Kaggle's format, and the Bayes-optimal log-odds of any rows.
 *   npm run data -- --rows 200000 --out <dir> [--kind realistic|shapes] [--seed 1] [--shape-seed 1]
 *                   [--test-rows N] [--report]
 *     writes <dir>/train.csv, test.csv, test-labels.csv and spec.json; --report prints the train rows'
 *     per-class figures against the published ones
 *   npm run data -- bayes --spec <spec.json> --in <file.csv> --out <logodds.csv>
 *     writes ID_code,logodds
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { makeFolder } from '../io/folder';
import { once } from 'node:events';
import { join } from 'node:path';
import { idAt } from '../../src/core/ids';
import { FEATURE_COUNT } from '../../src/core/schema';
import { readCsvFile } from '../io/read-csv';
import { printedHelp } from './help';
import { bayesLogOdds } from '../synth/bayes';
import { format4, toTenThousandths } from '../synth/format';
import { comparisonReport } from '../synth/report';
import { csvHeader, RowSampler, type Split } from '../synth/sample';
import { GENERATOR_KINDS, type GeneratorKind, readSpecFile, referenceFigures, specOf } from '../synth/spec';

const USAGE = `usage:
  npm run data -- --rows <n> --out <dir> [--kind realistic|shapes] [--seed 1] [--shape-seed 1 (shapes only)]
                  [--test-rows <n, default rows>] [--report]
  npm run data -- bayes --spec <spec.json> --in <file.csv> --out <logodds.csv>`;

/** Flags that take no value. */
const SWITCHES: readonly string[] = ['report'];

/** A wrong command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

function parseOptions(args: string[], allowed: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    if (!name.startsWith('--') || !allowed.includes(name.slice(2))) {
      throw new UsageError(
        `unknown argument "${name}" (expected one of ${allowed.map((a) => '--' + a).join(', ')})`,
      );
    }
    if (SWITCHES.includes(name.slice(2))) {
      if (options.has(name.slice(2))) throw new UsageError(`${name} given twice`);
      options.set(name.slice(2), 'yes');
      i--;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
    if (options.has(name.slice(2))) throw new UsageError(`${name} given twice`);
    options.set(name.slice(2), value);
  }
  return options;
}

function integer(options: Map<string, string>, name: string, fallback?: number, min = 0): number {
  const text = options.get(name);
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be a whole number >= ${min}, got "${text}"`);
  }
  return value;
}

function required(options: Map<string, string>, name: string): string {
  const value = options.get(name);
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

/** A file written under a temporary name, with back-pressure; renamed into place by commit(). */
class TempFile {
  readonly temp: string;
  private readonly stream: WriteStream;
  private failure: Error | null = null;

  constructor(readonly path: string) {
    this.temp = `${path}.tmp-${process.pid}`;
    this.stream = createWriteStream(this.temp, { highWaterMark: 1 << 20 });
    this.stream.on('error', (error) => (this.failure = error));
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    // once() rejects if the stream errors while waiting.
    if (!this.stream.write(text)) await once(this.stream, 'drain');
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'close');
    if (this.failure) throw this.failure;
  }

  async commit(): Promise<void> {
    await rename(this.temp, this.path);
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(this.temp, { force: true });
  }
}

// About 1.5 MB of text per write: large enough to be cheap, small enough to keep memory flat.
const CHUNK_ROWS = 1000;

/** Rows kept in memory for the report: 4-decimal values as float32, as a reader of the CSV would get them. */
interface Kept {
  features: Float32Array;
  targets: Uint8Array;
}

/** Draws `rows` rows of a split and writes them as CSV (and the labels file for the test split). */
async function writeSplit(
  sampler: RowSampler,
  split: Split,
  rows: number,
  file: TempFile,
  labels: TempFile | null,
  keep?: Kept,
): Promise<number> {
  const values = new Float64Array(FEATURE_COUNT);
  let positives = 0;
  await file.write(csvHeader(split) + '\n');
  await labels?.write('ID_code,target\n');
  for (let first = 0; first < rows; first += CHUNK_ROWS) {
    let text = '';
    let labelText = '';
    const last = Math.min(rows, first + CHUNK_ROWS);
    for (let r = first; r < last; r++) {
      const target = sampler.next(values);
      positives += target;
      const id = `${split}_${r}`;
      let line = split === 'train' ? `${id},${target}` : id;
      for (let j = 0; j < FEATURE_COUNT; j++) line += ',' + format4(values[j]);
      if (keep) {
        keep.targets[r] = target;
        for (let j = 0; j < FEATURE_COUNT; j++)
          keep.features[r * FEATURE_COUNT + j] = toTenThousandths(values[j]) / 10000;
      }
      text += line + '\n';
      if (labels) labelText += `${id},${target}\n`;
    }
    await file.write(text);
    if (labels) await labels.write(labelText);
  }
  return positives;
}

async function generateFiles(args: string[]): Promise<void> {
  const options = parseOptions(args, ['rows', 'out', 'kind', 'seed', 'shape-seed', 'test-rows', 'report']);
  const rows = integer(options, 'rows', undefined, 1);
  const testRows = integer(options, 'test-rows', rows);
  const seed = integer(options, 'seed', 1);
  const kind = (options.get('kind') ?? 'realistic') as GeneratorKind;
  if (!GENERATOR_KINDS.includes(kind)) {
    throw new UsageError(`--kind must be one of ${GENERATOR_KINDS.join(', ')}, got "${kind}"`);
  }
  if (kind !== 'shapes' && options.has('shape-seed')) {
    throw new UsageError('--shape-seed only applies to --kind shapes');
  }
  const shapeSeed = integer(options, 'shape-seed', 1);
  const out = required(options, 'out');
  const keep: Kept | undefined = options.has('report')
    ? { features: new Float32Array(rows * FEATURE_COUNT), targets: new Uint8Array(rows) }
    : undefined;
  await makeFolder(out);
  const started = performance.now();
  const spec = specOf(kind, shapeSeed);
  const files = ['train.csv', 'test.csv', 'test-labels.csv', 'spec.json'].map(
    (name) => new TempFile(join(out, name)),
  );
  const [train, test, labels, specFile] = files;
  try {
    const trainPositives = await writeSplit(
      new RowSampler(spec, seed, 'train', rows),
      'train',
      rows,
      train,
      null,
      keep,
    );
    const testPositives = await writeSplit(
      new RowSampler(spec, seed, 'test', testRows),
      'test',
      testRows,
      test,
      labels,
    );
    const generated = {
      seed,
      ...(kind === 'shapes' ? { shapeSeed } : {}),
      trainRows: rows,
      testRows,
      trainPositives,
      testPositives,
    };
    await specFile.write(JSON.stringify({ ...spec, generated }, null, 1) + '\n');
    for (const f of files) await f.close();
    for (const f of files) await f.commit();
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `wrote ${out}: train.csv ${rows} rows (${((100 * trainPositives) / rows).toFixed(2)}% positives), ` +
        `test.csv + test-labels.csv ${testRows} rows, spec.json (${kind}, seed ${seed}` +
        `${kind === 'shapes' ? `, shapeSeed ${shapeSeed}` : ''}) in ${seconds.toFixed(1)} s`,
    );
    if (keep) {
      console.log('');
      console.log(comparisonReport(spec, referenceFigures, keep.features, keep.targets, rows).join('\n'));
    }
  } catch (error) {
    await Promise.all(files.map((f) => f.discard()));
    throw error;
  }
}

async function writeBayes(args: string[]): Promise<void> {
  const options = parseOptions(args, ['spec', 'in', 'out']);
  const specPath = required(options, 'spec');
  const input = required(options, 'in');
  const out = required(options, 'out');
  const spec = await readSpecFile(specPath);
  const file = new TempFile(out);
  try {
    await file.write('ID_code,logodds\n');
    const summary = await readCsvFile(input, {
      onIssue(issue) {
        // readCsvFile puts the file name in front of the message.
        throw new Error(`row ${issue.row}, column ${issue.column}: ${issue.kind} value "${issue.value}".`);
      },
      async onBatch(batch) {
        const logOdds = bayesLogOdds(spec, batch.features, batch.count);
        let text = '';
        for (let r = 0; r < batch.count; r++) text += `${idAt(batch.ids, r)},${logOdds[r]}\n`;
        await file.write(text);
      },
    });
    await file.close();
    await file.commit();
    console.log(`wrote ${out}: ${summary.rows} rows`);
  } catch (error) {
    await file.discard();
    throw error;
  }
}

const HELP = `${USAGE}

Writes synthetic customers in Kaggle's format: <dir>/train.csv, test.csv, test-labels.csv and spec.json. The
realistic kind draws each feature per class from the real train.csv's published figures
(training/data/reference-figures.json); shapes invents class differences. --report prints the train rows'
per-class figures against the published ones. "bayes" writes each row's Bayes-optimal log-odds under a spec
(ID_code,logodds).`;

async function main(argv: string[]): Promise<void> {
  if (printedHelp(HELP, argv)) return;
  if (argv[0] === 'bayes') await writeBayes(argv.slice(1));
  else await generateFiles(argv);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`data: ${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`data: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
});
