/**
 * The training run behind `npm run train`: read the file, check it, train (src/core/train, the code the app's
 * training worker runs), guard, write model + card + the record of fitted rows (fitted-rows.bin) atomically.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { FITTED_ROWS_FILE } from '../../src/core/fit/fitted-rows';
import type { ModelCard } from '../../src/core/model-card';
import { guardProblems, TrainingRefusal, trainingRefusal } from '../../src/core/train/policy';
import { type TrainSettings, trainModel } from '../../src/core/train/train-model';
import type { FitOptions } from '../../src/core/fit/additive';
import { bayesLogOdds } from '../synth/bayes';
import { describeRows, realDataEstimate } from '../synth/describe';
import { readSpecFile } from '../synth/spec';
import { writeFilesAtomically } from '../io/atomic-write';
import { InputError, readTrainingFile } from '../io/read-rows';
import { sha256File } from '../io/sha256-file';

/** Options of one training run (the CLI's flags). */
export interface TrainOptions {
  data: string;
  /** The zip member holding the training rows, when `data` is an archive of several tables. */
  member?: string;
  out: string;
  seed: number;
  holdout: number;
  folds: number;
  bayesSpec?: string;
  /** Model version for the card and the .onnx metadata; default derived from the data digest and seed. */
  version?: string;
  /** Where the data came from; default "synthetic" with --bayes-spec, else "other". */
  source?: ModelCard['data']['source'];
  /** Skip the baselines (tests that only need a model). */
  baselines?: boolean;
  /** Overrides of the fit's settings (benchmarks and tests). */
  fit?: Partial<FitOptions>;
  log?: (line: string) => void;
}

/** What a run returns besides the files it wrote. */
export interface TrainResult {
  card: ModelCard;
  modelPath: string;
  cardPath: string;
  markdownPath: string;
  /** fitted-rows.bin: the record of the rows the model was fitted on (the card's fittedRows). */
  fittedRowsPath: string;
  seconds: number;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** Validates the options; throws InputError with a message for the CLI. */
function checkOptions(o: TrainOptions): void {
  if (!(o.holdout > 0 && o.holdout < 1))
    throw new InputError(`--holdout must be between 0 and 1, got ${o.holdout}.`);
  if (!(Number.isInteger(o.folds) && o.folds >= 2 && o.folds <= 20)) {
    throw new InputError(`--folds must be an integer from 2 to 20, got ${o.folds}.`);
  }
  if (!Number.isSafeInteger(o.seed)) throw new InputError(`--seed must be an integer, got ${o.seed}.`);
}

/**
 * Runs training end to end; nothing is written unless every step succeeded. A file the training policy refuses
 * (one class, too few rows: src/core/train/policy.ts) throws TrainingRefusal; a model that fails the guard is
 * written with a warning on the log.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  checkOptions(options);
  const spec = options.bayesSpec ? await readSpecFile(options.bayesSpec) : undefined;

  const data = await readTrainingFile(options.data, options.member);
  let positives = 0;
  for (const t of data.targets) positives += t;
  const refusal = trainingRefusal(data.rows, positives, options);
  if (refusal) throw new TrainingRefusal(`${options.data}: ${refusal}`);
  log(
    `read ${data.rows} rows (${positives} positives) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // The page shows the same sentences under its outcome.
  for (const note of data.notes) log(`note: ${note}`);

  const dataSha256 = sha256File(options.data);
  dataSha256.catch(() => {}); // awaited (and its failure reported) by trainModel; never an unhandled rejection
  const source = options.source ?? (spec ? 'synthetic' : 'other');
  const settings: TrainSettings = {
    seed: options.seed,
    holdout: options.holdout,
    folds: options.folds,
    version: options.version,
    source,
    fileName: basename(options.data),
    description: describeRows(source, data.rows, basename(options.data), spec),
    // Only rows drawn from the real data's per-class figures say anything about the real data.
    ...(spec?.kind === 'realistic' && source === 'synthetic' ? { realData: realDataEstimate } : {}),
    dataSha256,
    gitCommit: gitCommit(),
    baselines: options.baselines,
    fit: options.fit,
    startedAt: started,
    log,
    ...(spec
      ? {
          bayes: {
            logOdds: (x: Float32Array, rows: number) => bayesLogOdds(spec, x, rows),
            generator: {
              kind: spec.kind,
              format: spec.format,
              version: spec.version,
              ...(spec.kind === 'shapes' ? { shapeSeed: spec.shapeSeed } : {}),
              prior: spec.prior,
            },
          },
        }
      : {}),
  };
  const { onnx, card, markdown, fittedRows } = await trainModel(data, settings);
  // The app does not offer a model that fails the guard; the CLI writes it and says so, and the retrain
  // workflow's gate (training/gate) decides whether it is published.
  const problems = guardProblems({ card, modelSha256: createHash('sha256').update(onnx).digest('hex') });
  if (problems.length > 0) log(`warning: the app would not offer this model: ${problems.join('; ')}.`);

  const modelPath = join(options.out, 'model.onnx');
  const cardPath = join(options.out, 'model-card.json');
  const markdownPath = join(options.out, 'model-card.md');
  const fittedRowsPath = join(options.out, FITTED_ROWS_FILE);
  await writeFilesAtomically([
    [modelPath, onnx],
    [cardPath, JSON.stringify(card, null, 2) + '\n'],
    [markdownPath, markdown],
    [fittedRowsPath, fittedRows],
  ]);
  return { card, modelPath, cardPath, markdownPath, fittedRowsPath, seconds: card.metrics.trainSeconds };
}
