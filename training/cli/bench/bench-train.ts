/**
 * Training benchmark: wall time, peak memory and accuracy against the Bayes-optimal AUC.
 *   npm run bench:train -- [--data /work/data/synth/train.csv] [--bayes-spec <spec.json>] [--seed 1] [--compare]
 * (data from `npm run data`, realistic by default, or `npm run data -- --kind shapes`)
 * --bayes-spec defaults to spec.json next to the data. --compare also scores Gaussian NB, logistic regression
 * and a 64-bin histogram NB on the same split (after the memory figure is taken).
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { auc } from '../../../src/core/metrics';
import { FEATURE_COUNT } from '../../../src/core/schema';
import { gaussianNaiveBayes, histogramNaiveBayes, logisticRegression } from '../../../src/core/fit/baselines';
import { stratifiedHoldout } from '../../../src/core/fit/split';
import { readTrainingFile } from '../../io/read-rows';
import { tempDir } from '../../testing/csv-fixture';
import { train } from '../../train/run';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '/work/data/synth/train.csv' },
    'bayes-spec': { type: 'string' },
    seed: { type: 'string', default: '1' },
    compare: { type: 'boolean', default: false },
  },
});
const data = values.data;
const specNextToData = join(dirname(data), 'spec.json');
const bayesSpec = values['bayes-spec'] ?? (existsSync(specNextToData) ? specNextToData : undefined);
const seed = Number(values.seed);
const out = tempDir('bench-train');

const started = performance.now();
const result = await train({
  data,
  out,
  seed,
  holdout: 0.2,
  folds: 5,
  bayesSpec,
  log: (l) => console.log(`  ${l}`),
});
const seconds = (performance.now() - started) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;
const m = result.card.metrics;
console.log(`data            ${data} (${result.card.data.rows} rows)`);
console.log(
  `wall time       ${seconds.toFixed(1)} s (read, fit with ${m.cv.folds}-fold CV, baselines, export, card)`,
);
console.log(`peak RSS        ${peakMb.toFixed(0)} MB`);
console.log(
  `holdout AUC     ${m.holdout.auc.toFixed(5)}   CV ${m.cv.aucMean.toFixed(5)} ± ${m.cv.aucStd.toFixed(5)}`,
);
if (m.bayes) {
  console.log(`Bayes AUC       ${m.bayes.auc.toFixed(5)}`);
  // The fitter's bar on the shapes kind; the committed model's on the realistic kind (issue 10).
  const bar = result.card.data.generator?.kind === 'realistic' ? 0.98 : 0.995;
  console.log(`ratio           ${m.bayes.ratio.toFixed(5)} (bar ${bar})`);
}
console.log(`log loss        ${m.holdout.logLoss.toFixed(5)}   PR-AUC ${m.holdout.prAuc.toFixed(5)}`);

if (values.compare) {
  const rows = await readTrainingFile(data);
  const targets = rows.targets!;
  const { train: trainRows, holdout } = stratifiedHoldout(targets, 0.2, seed);
  const y = Uint8Array.from(holdout, (r) => targets[r]);
  const bayes = m.bayes?.auc;
  const report = (name: string, scores: Float64Array, secs: number) => {
    const a = auc(scores, y);
    console.log(
      `${name.padEnd(15)} ${a.toFixed(5)}${bayes ? `   ratio ${(a / bayes).toFixed(5)}` : ''}   ${secs.toFixed(1)} s`,
    );
  };
  for (const [name, fn] of [
    ['gaussian NB', gaussianNaiveBayes],
    ['logistic', logisticRegression],
    ['histogram NB 64', histogramNaiveBayes],
  ] as const) {
    const t = performance.now();
    const scores = fn(rows.features, targets, FEATURE_COUNT, trainRows, holdout);
    report(name, scores, (performance.now() - t) / 1000);
  }
}
rmSync(out, { recursive: true, force: true });
