/**
 * Derives training/data/reference-figures.json from the real data's published figures (default
 * ../shared/reference: the jn/ folder of KazukiOnodera/Santander-Customer-Transaction-Prediction, and the
 * per-class means and sds of the Gaussian naive Bayes published in TrveLeo/santander-customer-transaction-prediction).
 * Usage: tsx training/cli/derive-figures.ts [--from <dir>] [--out <file>]
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURE_COUNT } from '../../src/core/schema';
import { writeFilesAtomically } from '../io/atomic-write';
import { checkFigures, type FeatureFigures, type ReferenceFigures } from '../synth/figures';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
function option(name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
}
const from = resolve(option('--from', join(here, '../../../shared/reference')));
const out = resolve(option('--out', join(here, '../data/reference-figures.json')));

/** Splits one CSV line, honouring double quotes (tr_info.csv quotes its lists). */
function splitLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function readRows(file: string): string[][] {
  return readFileSync(join(from, file), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map(splitLine);
}

/** Parses a number and drops binary noise such as 18.102895999999998. */
function num(text: string, where: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new Error(`${where}: not a number: "${text}"`);
  return Number(v.toPrecision(10));
}

/** Rows keyed by their first field (the feature name). */
function byName(file: string): Map<string, string[]> {
  return new Map(readRows(file).map((r) => [r[0], r]));
}

const info = byName('tr_info.csv');
const header = readRows('tr_info.csv')[0];
const col = (name: string): number => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`tr_info.csv: no column ${name}`);
  return i;
};
const [minAt, meanAt, maxAt, stdAt] = ['Min', 'Mean', 'Max', 'Std'].map(col);
const quantiles = byName('train_q001-099.csv');
const quantiles0 = byName('train_0_q001-099.csv');
const quantiles1 = byName('train_1_q001-099.csv');
const perClass = byName('train_per_class_mean_std.csv');
const perClassHeader = readRows('train_per_class_mean_std.csv')[0];
const perClassCol = (name: string): number => {
  const i = perClassHeader.indexOf(name);
  if (i < 0) throw new Error(`train_per_class_mean_std.csv: no column ${name}`);
  return i;
};
const [mean0At, std0At, mean1At, std1At] = ['mean_0', 'std_0', 'mean_1', 'std_1'].map(perClassCol);
// per_feature_auc_single.csv has no header line: its first line is feature 0 with an empty index.
const aucRows = readRows('per_feature_auc_single.csv');
if (aucRows.length !== FEATURE_COUNT) throw new Error(`per_feature_auc_single.csv: ${aucRows.length} rows`);

const features: FeatureFigures[] = [];
for (let j = 0; j < FEATURE_COUNT; j++) {
  const name = `var_${j}`;
  const row = (map: Map<string, string[]>, file: string): string[] => {
    const r = map.get(name);
    if (!r) throw new Error(`${file}: no row ${name}`);
    return r;
  };
  const t = row(info, 'tr_info.csv');
  const q = row(quantiles, 'train_q001-099.csv');
  const q0 = row(quantiles0, 'train_0_q001-099.csv');
  const q1 = row(quantiles1, 'train_1_q001-099.csv');
  const c = row(perClass, 'train_per_class_mean_std.csv');
  const a = aucRows[j];
  if ((a[0] === '' ? 0 : Number(a[0])) !== j)
    throw new Error(`per_feature_auc_single.csv: line ${j + 1} is not ${j}`);
  features.push({
    name,
    mean: num(t[meanAt], `tr_info ${name} Mean`),
    std: num(t[stdAt], `tr_info ${name} Std`),
    min: num(t[minAt], `tr_info ${name} Min`),
    max: num(t[maxAt], `tr_info ${name} Max`),
    q01: num(q[1], `train_q ${name}`),
    q99: num(q[2], `train_q ${name}`),
    q01Class0: num(q0[1], `train_0_q ${name}`),
    q99Class0: num(q0[2], `train_0_q ${name}`),
    q01Class1: num(q1[1], `train_1_q ${name}`),
    q99Class1: num(q1[2], `train_1_q ${name}`),
    meanClass0: num(c[mean0At], `per_class ${name} mean_0`),
    stdClass0: num(c[std0At], `per_class ${name} std_0`),
    meanClass1: num(c[mean1At], `per_class ${name} mean_1`),
    stdClass1: num(c[std1At], `per_class ${name} std_1`),
    auc: num(a[1], `per_feature_auc_single ${name}`),
  });
}
const target = info.get('target');
if (!target) throw new Error('tr_info.csv: no row target');
const positiveRate = num(target[meanAt], 'tr_info target Mean');
const figures: ReferenceFigures = {
  source:
    'KazukiOnodera/Santander-Customer-Transaction-Prediction (GitHub), folder jn/: tr_info.csv, ' +
    'train_q001-099.csv, train_0_q001-099.csv, train_1_q001-099.csv, per_feature_auc_single.csv; ' +
    'per-class means and sds: the Gaussian naive Bayes trained on the whole real train.csv and published in ' +
    'TrveLeo/santander-customer-transaction-prediction (GitHub), models/naive_bayes.pkl with its StandardScaler, ' +
    'converted back to raw units',
  rows: 200000,
  positives: Math.round(positiveRate * 200000),
  positiveRate,
  features,
};
checkFigures(figures, FEATURE_COUNT);
await writeFilesAtomically([[out, JSON.stringify(figures, null, 2) + '\n']]);
console.log(`wrote ${out}: ${features.length} features from ${from}`);
