/**
 * npm run train -- --data <train.csv> --out <dir> [--member NAME] [--seed 42] [--holdout 0.2] [--folds 5]
 *   [--bayes-spec <spec.json>] [--version <v>] [--source synthetic|kaggle|other] [--no-baselines]
 * Writes <dir>/model.onnx, model-card.json and model-card.md (all or nothing). Exit 1 on bad input, 2 on usage.
 */
import { parseArgs } from 'node:util';
import { exitForInputError } from './input-error';
import { train } from '../train/run';

const USAGE =
  'Usage: npm run train -- --data <train.csv> --out <dir> [--member NAME] [--seed 42] [--holdout 0.2] [--folds 5] ' +
  '[--bayes-spec <spec.json>] [--version <v>] [--source synthetic|kaggle|other] [--no-baselines]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        member: { type: 'string' },
        seed: { type: 'string', default: '42' },
        holdout: { type: 'string', default: '0.2' },
        folds: { type: 'string', default: '5' },
        'bayes-spec': { type: 'string' },
        version: { type: 'string' },
        source: { type: 'string' },
        'no-baselines': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.data || !values.out) {
    console.error(`--data and --out are required.\n${USAGE}`);
    return 2;
  }
  const source = values.source;
  if (source !== undefined && source !== 'synthetic' && source !== 'kaggle' && source !== 'other') {
    console.error(`--source must be synthetic, kaggle or other, got "${source}".`);
    return 2;
  }
  try {
    const result = await train({
      data: values.data,
      out: values.out,
      member: values.member,
      seed: Number(values.seed),
      holdout: Number(values.holdout),
      folds: Number(values.folds),
      bayesSpec: values['bayes-spec'],
      version: values.version,
      source,
      baselines: !values['no-baselines'],
      log: (line) => console.error(line),
    });
    const m = result.card.metrics;
    console.log(
      `wrote ${result.modelPath}, ${result.cardPath}, ${result.markdownPath} in ${result.seconds.toFixed(1)} s: ` +
        `holdout AUC ${m.holdout.auc.toFixed(4)}, CV AUC ${m.cv.aucMean.toFixed(4)} ± ${m.cv.aucStd.toFixed(4)}` +
        (m.bayes ? `, Bayes-optimal ${m.bayes.auc.toFixed(4)} (ratio ${m.bayes.ratio.toFixed(4)})` : ''),
    );
    return 0;
  } catch (error) {
    return exitForInputError('train', error);
  }
}

process.exitCode = await main();
