/**
 * How faithful the merged scorecard is, per tolerance: ranges kept, |scorecard log-odds - model log-odds| over
 * the rows of a labelled file, and the AUC of each.
 *   npx tsx training/cli/bench/bench-scorecard.ts [--in /work/data/synth/test.csv] [--labels <test-labels.csv>]
 *     [--rows 50000] [--tolerances 0,0.01,0.02,0.05,0.1]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { predict } from '../../../src/core/model';
import { auc } from '../../../src/core/metrics';
import { FEATURE_COUNT } from '../../../src/core/schema';
import { loadModel } from '../../export/load';
import { buildScorecard, cellShares, DEFAULT_SCALING, scoreWithScorecard } from '../../export/scorecard';
import { readCsvFile } from '../../io/read-csv';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/model.onnx' },
    in: { type: 'string', default: '/work/data/synth/test.csv' },
    labels: { type: 'string' },
    rows: { type: 'string', default: '50000' },
    tolerances: { type: 'string', default: '0,0.01,0.02,0.05,0.1' },
  },
});
const limit = Number(values.rows);
const loaded = await loadModel(values.model);
const parts: Float32Array[] = [];
let n = 0;
await readCsvFile(values.in, {
  batchRows: 8192,
  onBatch(batch) {
    if (n >= limit) return;
    const take = Math.min(batch.count, limit - n);
    parts.push(batch.features.slice(0, take * FEATURE_COUNT));
    n += take;
  },
});
const features = new Float32Array(n * FEATURE_COUNT);
parts.reduce((at, p) => (features.set(p, at), at + p.length), 0);
const labelsPath = values.labels ?? values.in.replace(/test\.csv$/, 'test-labels.csv');
const labels = new Uint8Array(
  readFileSync(labelsPath, 'utf8')
    .trim()
    .split('\n')
    .slice(1, n + 1)
    .map((l) => Number(l.split(',')[1])),
);
const reference = predict(loaded.model, features, n, false);
console.log(`${n} rows of ${values.in}; model AUC ${auc(reference.logit, labels).toFixed(5)}`);
const shares = cellShares(loaded.card, loaded.sql);
for (const tolerance of values.tolerances.split(',').map(Number)) {
  const card = buildScorecard(loaded.model, loaded.sql, DEFAULT_SCALING, tolerance, shares);
  const logOdds = new Float64Array(n);
  let worst = 0;
  let absSum = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = scoreWithScorecard(
      card,
      loaded.source.names,
      features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT),
    );
    logOdds[i] = s.logOdds;
    const d = s.logOdds - reference.logit[i];
    worst = Math.max(worst, Math.abs(d));
    absSum += Math.abs(d);
    sum += d;
  }
  const ranges = card.rows.filter((r) => r.range > 0).length;
  console.log(
    `tolerance ${tolerance}: ${ranges} ranges (${(ranges / loaded.sql.grid.length).toFixed(1)} per feature); ` +
      `|scorecard - model| log-odds mean ${(absSum / n).toFixed(4)}, max ${worst.toFixed(4)}, ` +
      `mean shift ${(sum / n).toFixed(4)}; AUC ${auc(logOdds, labels).toFixed(5)}`,
  );
}
