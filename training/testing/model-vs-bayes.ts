/**
 * A model's AUC against the Bayes-optimal AUC on fresh rows of the realistic kind and of the sinh-arcsinh
 * fixture (same per-class figures, another shape): the bar of issue 10 (>= 0.98 of Bayes on both), used by
 * tests/unit/model-bar.test.ts and printed at full size by training/cli/bench/model-bar.ts.
 */
import { auc } from '../../src/core/metrics';
import { type AdditiveModel, predict } from '../../src/core/model';
import { bayesLogOdds } from '../synth/bayes';
import { generate } from '../synth/sample';
import { referenceFigures } from '../synth/spec';
import { sinhArcsinhLogOdds, sinhArcsinhRows, sinhArcsinhSpec } from './sinh-arcsinh';

/** The figures of one family of rows. */
export interface BarFigures {
  family: 'realistic' | 'sinh-arcsinh';
  rows: number;
  modelAuc: number;
  bayesAuc: number;
  /** modelAuc / bayesAuc on the same rows. */
  ratio: number;
}

function figures(
  family: BarFigures['family'],
  model: AdditiveModel,
  features: Float32Array,
  targets: Uint8Array,
  bayes: Float64Array,
): BarFigures {
  const rows = targets.length;
  const modelAuc = auc(predict(model, features, rows, false).logit, targets);
  const bayesAuc = auc(bayes, targets);
  return { family, rows, modelAuc, bayesAuc, ratio: modelAuc / bayesAuc };
}

/** The realistic kind's test-split rows for a seed (test.csv of `npm run data -- --seed <seed>`). */
export function realisticBar(model: AdditiveModel, rows: number, seed: number): BarFigures {
  const data = generate({ rows, seed, kind: 'realistic', split: 'test' });
  return figures(
    'realistic',
    model,
    data.features,
    data.targets,
    bayesLogOdds(data.spec, data.features, rows),
  );
}

/** Rows of the sinh-arcsinh fixture for a seed. */
export function sinhArcsinhBar(model: AdditiveModel, rows: number, seed: number): BarFigures {
  const spec = sinhArcsinhSpec(referenceFigures);
  const data = sinhArcsinhRows(spec, rows, seed);
  return figures(
    'sinh-arcsinh',
    model,
    data.features,
    data.targets,
    sinhArcsinhLogOdds(spec, data.features, rows),
  );
}
