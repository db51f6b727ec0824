/**
 * npm run train -- --data <train.csv> --out <dir> [--member NAME] [--seed 42] [--holdout 0.2] [--folds 5]
 *   [--bayes-spec <spec.json>] [--version <v>] [--source synthetic|kaggle|other] [--no-baselines]
 * Writes <dir>/model.onnx, model-card.json, model-card.md and fitted-rows.bin (all or nothing). Exit 1 on bad input, 2 on usage.
 */
import { statSync } from 'node:fs';
import { outputProblem } from '../io/folder';
import { parseArgs } from 'node:util';
import { printedHelp } from './help';
import { exitForInputError } from './input-error';
import { train } from '../train/run';

const USAGE =
  'Usage: npm run train -- --data <train.csv> --out <dir> [--member NAME] [--seed 42] [--holdout 0.2] [--folds 5] ' +
  '[--bayes-spec <spec.json>] [--version <v>] [--source synthetic|kaggle|other] [--no-baselines]';

const HELP = `${USAGE}

Trains the additive model on a labelled file (ID_code, target 0 or 1, var_0..var_199; read as the scorer reads
it) and writes model.onnx, model-card.json, model-card.md and fitted-rows.bin (the record of the rows it was
fitted on, so later comparisons can leave them out) to the folder, all or none. The training policy is the
app's: one class only, or a holdout too small to tell the model from chance, is refused before fitting.

  --data FILE            the labelled customers: CSV, gzip, zip or Parquet
  --out DIR              where the model and its card go
  --member NAME          the table to read in a zip of several
  --seed N               the seed of the holdout split, the folds and the fit (default 42)
  --holdout F            the share of rows kept out for the card's holdout AUC (default 0.2)
  --folds K              cross-validation folds for the card's CV AUC (default 5)
  --bayes-spec FILE      a synthetic set's spec.json (npm run data): the card adds the Bayes-optimal AUC
  --version V            the model's version (default: the data's SHA-256, 8 hex digits, and -s<seed>)
  --source KIND          synthetic, kaggle or other: what the card says the data is
  --no-baselines         leave the logistic regression and Gaussian naive Bayes off the card (faster)
  -h, --help             this text

Exit status: 0 written, 1 bad input (the message names the row and the column), 2 usage.`;

/**
 * Why the options cannot work, found before the file is read (a wrong --out was found only after the fit, minutes
 * on 200,000 rows): the values as typed, so "abc" is named rather than NaN. Undefined when they are fine.
 */
function usageProblem(values: {
  out: string;
  seed: string;
  holdout: string;
  folds: string;
}): string | undefined {
  const number = (text: string) => (text.trim() === '' ? NaN : Number(text));
  const holdout = number(values.holdout);
  if (!(holdout > 0 && holdout < 1)) return `--holdout must be between 0 and 1, got "${values.holdout}".`;
  const folds = number(values.folds);
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= 20))
    return `--folds must be an integer from 2 to 20, got "${values.folds}".`;
  if (!Number.isSafeInteger(number(values.seed))) return `--seed must be an integer, got "${values.seed}".`;
  try {
    const out = statSync(values.out, { throwIfNoEntry: false });
    if (out && !out.isDirectory())
      return `--out ${values.out} is a file: name a folder for the model and its card.`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' ? 'a part of the path is a file, not a folder' : (error as Error).message;
    return `--out ${values.out} cannot be a folder: ${why}.`;
  }
  // Tried now, before the file is read: a folder that cannot be made (under /proc) is said before the fit.
  const { folder, file } = outputProblem(values.out, 'model.onnx');
  if (folder) return `--out ${values.out} cannot be a folder: ${folder}.`;
  if (file) return `--out ${values.out} cannot hold the model: ${file}.`;
  return undefined;
}

async function main(): Promise<number> {
  if (printedHelp(HELP)) return 0;
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
  const problem = usageProblem({
    ...values,
    out: values.out,
    seed: values.seed!,
    holdout: values.holdout!,
    folds: values.folds!,
  });
  if (problem) {
    console.error(problem);
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
      `wrote ${result.modelPath}, ${result.cardPath}, ${result.markdownPath}, ${result.fittedRowsPath} in ` +
        `${result.seconds.toFixed(1)} s: ` +
        `holdout AUC ${m.holdout.auc.toFixed(4)}, CV AUC ${m.cv.aucMean.toFixed(4)} ± ${m.cv.aucStd.toFixed(4)}` +
        (m.bayes ? `, Bayes-optimal ${m.bayes.auc.toFixed(4)} (ratio ${m.bayes.ratio.toFixed(4)})` : ''),
    );
    return 0;
  } catch (error) {
    return exitForInputError('train', error);
  }
}

process.exitCode = await main();
