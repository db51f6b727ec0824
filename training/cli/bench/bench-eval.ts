/**
 * Accuracy of a model file on a labelled test set, against the Bayes-optimal AUC when the generator's
 * log-odds are at hand (200,000 test rows give a tighter ratio than the 40,000-row holdout).
 *   npx tsx training/cli/bench/bench-eval.ts [--model models/model.onnx] [--dir /work/data/synth]
 * Reads <dir>/test.csv, <dir>/test-labels.csv and, if present, <dir>/test-bayes-logodds.csv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { unpackIds } from '../../../src/core/ids';
import { auc, logLoss } from '../../../src/core/metrics';
import { readCsvFile } from '../../io/read-csv';
import { createScorer } from '../../score/session';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(root, 'models/model.onnx') },
    dir: { type: 'string', default: '/work/data/synth' },
  },
});

/** id -> number from a two-column CSV with a header. */
function readColumn(path: string): Map<string, number> {
  const map = new Map<string, number>();
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  for (const line of lines.slice(1)) {
    const comma = line.indexOf(',');
    map.set(line.slice(0, comma), Number(line.slice(comma + 1)));
  }
  return map;
}

const labels = readColumn(join(values.dir, 'test-labels.csv'));
const bayesPath = join(values.dir, 'test-bayes-logodds.csv');
const bayes = existsSync(bayesPath) ? readColumn(bayesPath) : null;
const scorer = await createScorer(new Uint8Array(readFileSync(values.model)), values.model);
const probs: number[] = [];
const ys: number[] = [];
const bs: number[] = [];
await readCsvFile(join(values.dir, 'test.csv'), {
  async onBatch(batch) {
    const p = await scorer.probabilities(batch.features, batch.count);
    unpackIds(batch.ids).forEach((id, i) => {
      probs.push(p[i]);
      ys.push(labels.get(id)!);
      if (bayes) bs.push(bayes.get(id)!);
    });
  },
});
const y = Uint8Array.from(ys);
const p = Float64Array.from(probs);
const ours = auc(p, y);
console.log(`model      ${values.model}`);
console.log(`test rows  ${y.length} (${y.reduce((a, b) => a + b, 0)} positives)`);
console.log(`AUC        ${ours.toFixed(5)}   log loss ${logLoss(p, y).toFixed(5)}`);
if (bayes) {
  const b = Float64Array.from(bs);
  const bayesAuc = auc(b, y);
  const bayesP = b.map((z) => 1 / (1 + Math.exp(-z)));
  console.log(`Bayes AUC  ${bayesAuc.toFixed(5)}   log loss ${logLoss(bayesP, y).toFixed(5)}`);
  console.log(`ratio      ${(ours / bayesAuc).toFixed(5)} (bar 0.995)`);
}
await scorer.release();
