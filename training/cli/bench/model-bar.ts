/**
 * Prints a model's AUC against the Bayes-optimal AUC on fresh realistic rows and on rows of the sinh-arcsinh
 * fixture (the same per-class figures, another shape), with the ratio the bar asks for (>= 0.98 on both).
 * Usage: tsx training/cli/bench/model-bar.ts [--model models/model.onnx] [--rows 200000] [--seed 2]
 */
import { readFileSync } from 'node:fs';
import { modelFromOnnx } from '../../../src/core/onnx/export';
import { realisticBar, sinhArcsinhBar } from '../../testing/model-vs-bayes';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const path = option('--model', 'models/model.onnx');
const rows = Number(option('--rows', '200000'));
const seed = Number(option('--seed', '2'));
const model = modelFromOnnx(readFileSync(path));
console.log(`${path}: ${rows} fresh rows per family, seed ${seed}`);
for (const bar of [realisticBar, sinhArcsinhBar]) {
  const started = performance.now();
  const f = bar(model, rows, seed);
  console.log(
    `  ${f.family.padEnd(12)} model AUC ${f.modelAuc.toFixed(4)}, Bayes-optimal ${f.bayesAuc.toFixed(4)}, ` +
      `ratio ${f.ratio.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}
