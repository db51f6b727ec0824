/** The training run behind `npm run train`: read, split, fit, evaluate, export, write model + card atomically. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type { ModelCard } from '../../src/core/model-card';
import { QUANTILE_LEVELS } from '../../src/core/model-card';
import { MISSING_VALUES_NOTE, predict } from '../../src/core/model';
import {
  auc,
  calibrationTable,
  histogram,
  logLoss,
  prAuc,
  prPoints,
  rocPoints,
  thresholdTable,
} from '../../src/core/metrics';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/core/schema';
import { bayesLogOdds } from '../synth/bayes';
import { describeRows, realDataEstimate } from '../synth/describe';
import { readSpecFile } from '../synth/spec';
import { DEFAULT_FIT, fitAdditive, quantileOfSorted, type FitOptions } from '../fit/additive';
import { gaussianNaiveBayes, logisticRegression } from '../fit/baselines';
import { stratifiedHoldout } from '../fit/split';
import { encodeOnnx, IR_VERSION, ONNX_NAMES, OPSET_VERSION } from '../onnx/export';
import { writeFilesAtomically } from '../io/atomic-write';
import { InputError, readTrainingFile } from '../io/read-rows';
import { sha256File } from '../io/sha256-file';
import { renderCardMarkdown } from './card-markdown';

/** Options of one training run (the CLI's flags). */
export interface TrainOptions {
  data: string;
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
  seconds: number;
}

/** Shares of customers for the "flag the top k%" table: every 1% from 1% to 50%. */
const THRESHOLD_SHARES: readonly number[] = Array.from({ length: 50 }, (_, i) => (i + 1) / 100);

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

function round(value: number, digits = 6): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}

/** Rows `rows` of a row-major [n, 200] array, copied into a new array in that order. */
function gatherRows(features: Float32Array, rows: Uint32Array): Float32Array {
  const out = new Float32Array(rows.length * FEATURE_COUNT);
  rows.forEach((r, k) =>
    out.set(features.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT), k * FEATURE_COUNT),
  );
  return out;
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

/** Runs training end to end; nothing is written unless every step succeeded. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  checkOptions(options);
  const spec = options.bayesSpec ? await readSpecFile(options.bayesSpec) : undefined;

  const data = await readTrainingFile(options.data);
  const targets = data.targets!;
  let positives = 0;
  for (const t of targets) positives += t;
  const needed = options.folds * 2;
  if (positives < needed || data.rows - positives < needed) {
    throw new InputError(
      `${options.data}: ${data.rows} rows with ${positives} positives; training needs at least ${needed} of each class.`,
    );
  }
  log(
    `read ${data.rows} rows (${positives} positives) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const dataSha = await sha256File(options.data);

  const { train: trainRows, holdout } = stratifiedHoldout(targets, options.holdout, options.seed);
  const fitOptions: FitOptions = { ...DEFAULT_FIT, ...options.fit, folds: options.folds, seed: options.seed };
  const fit = fitAdditive(data.features, targets, FEATURE_COUNT, trainRows, fitOptions);
  const model = fit.model;
  log(
    `fitted in ${((performance.now() - started) / 1000).toFixed(1)} s; CV AUC ${fit.cvAucs.map((a) => a.toFixed(4)).join(' ')}`,
  );

  const holdoutX = gatherRows(data.features, holdout);
  const holdoutY = Uint8Array.from(holdout, (r) => targets[r]);
  const prediction = predict(model, holdoutX, holdout.length, true);
  // Rank metrics on the log-odds: float32 probabilities tie near 0 and 1 where the log-odds do not.
  const holdoutEval = {
    rows: holdout.length,
    positives: holdoutY.reduce((a, b) => a + b, 0),
    auc: round(auc(prediction.logit, holdoutY)),
    logLoss: round(logLoss(prediction.probability, holdoutY)),
    prAuc: round(prAuc(prediction.logit, holdoutY)),
    share: options.holdout,
  };

  const baselines: Record<string, number> = {};
  if (options.baselines !== false) {
    baselines.gaussianNB = round(
      auc(gaussianNaiveBayes(data.features, targets, FEATURE_COUNT, trainRows, holdout), holdoutY),
    );
    baselines.logistic = round(
      auc(logisticRegression(data.features, targets, FEATURE_COUNT, trainRows, holdout), holdoutY),
    );
    log(`baselines ${JSON.stringify(baselines)} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  let bayes: ModelCard['metrics']['bayes'];
  if (spec) {
    const bayesAuc = auc(bayesLogOdds(spec, holdoutX, holdout.length), holdoutY);
    bayes = { auc: round(bayesAuc), ratio: round(holdoutEval.auc / bayesAuc) };
  }

  const importance = new Float64Array(FEATURE_COUNT);
  const contributions = prediction.contributions!;
  for (let i = 0; i < holdout.length; i++) {
    for (let j = 0; j < FEATURE_COUNT; j++) importance[j] += Math.abs(contributions[i * FEATURE_COUNT + j]);
  }

  const parameters: Record<string, number | string | boolean> = {
    seed: options.seed,
    holdout: options.holdout,
    folds: options.folds,
    bins: fitOptions.bins,
    gridTail: fitOptions.tail,
    smoothingCandidates: `${fitOptions.lambdas.length} values, ${fitOptions.lambdas[0]} to ${fitOptions.lambdas.at(-1)}`,
    smoothingMedian: median(fit.lambdas),
    calibrationSlope: round(fit.calibration.slope),
    calibrationIntercept: round(fit.calibration.intercept),
    intercept: model.intercept,
    trainedOn: `${trainRows.length} rows: the ${Math.round((1 - options.holdout) * 100)}% stratified training part (the holdout is only evaluated)`,
    irVersion: IR_VERSION,
    opset: OPSET_VERSION,
  };
  const version = options.version ?? `${dataSha.slice(0, 8)}-s${options.seed}`;
  const source = options.source ?? (spec ? 'synthetic' : 'other');
  const onnx = encodeOnnx(model, {
    version,
    model_kind: 'additive-grid-shapes/1',
    feature_names: FEATURE_NAMES.join(','),
    bins: String(model.bins),
    intercept: String(model.intercept),
    data_sha256: dataSha,
    seed: String(options.seed),
    missing_values: MISSING_VALUES_NOTE,
  });
  const modelSha = createHash('sha256').update(onnx).digest('hex');
  const seconds = (performance.now() - started) / 1000;

  const card: ModelCard = {
    schema: 1,
    version,
    createdAt: new Date().toISOString(),
    gitCommit: gitCommit(),
    model: {
      file: 'model.onnx',
      sha256: modelSha,
      bytes: onnx.byteLength,
      kind:
        'Additive per-feature shape model (smoothed log density ratios on a uniform grid, calibrated); ' +
        'log-odds = intercept + sum of 200 table look-ups',
      parameters,
      inputs: [`${ONNX_NAMES.input}: float32 [N, ${FEATURE_COUNT}] in var_0..var_199 order`],
      outputs: [
        `${ONNX_NAMES.probability}: float32 [N], P(target = 1)`,
        `${ONNX_NAMES.contributions}: float32 [N, ${FEATURE_COUNT}], each feature's contribution to the log-odds`,
      ],
      missingValues: MISSING_VALUES_NOTE,
    },
    data: {
      source,
      file: basename(options.data),
      description: describeRows(source, data.rows, basename(options.data), spec),
      sha256: dataSha,
      rows: data.rows,
      positives,
      ...(spec
        ? {
            generator: {
              kind: spec.kind,
              format: spec.format,
              version: spec.version,
              ...(spec.kind === 'shapes' ? { shapeSeed: spec.shapeSeed } : {}),
              prior: spec.prior,
            },
          }
        : {}),
    },
    metrics: {
      holdout: holdoutEval,
      cv: {
        folds: options.folds,
        aucMean: round(mean(fit.cvAucs)),
        aucStd: round(std(fit.cvAucs)),
        aucs: fit.cvAucs.map((a) => round(a)),
      },
      ...(bayes ? { bayes } : {}),
      ...(options.baselines !== false ? { baselines } : {}),
      trainSeconds: round(seconds, 4),
    },
    charts: {
      roc: rocPoints(prediction.logit, holdoutY, 150).map(roundPoint),
      pr: prPoints(prediction.logit, holdoutY, 150).map(roundPoint),
      calibration: calibrationTable(prediction.probability, holdoutY, 10).map((b) => ({
        predicted: round(b.predicted),
        observed: round(b.observed),
        count: b.count,
      })),
      thresholds: thresholdTable(prediction.probability, holdoutY, THRESHOLD_SHARES).map((t) => ({
        share: t.share,
        threshold: round(t.threshold),
        precision: round(t.precision),
        recall: round(t.recall),
      })),
      scoreHistogram: histogram(prediction.probability, 50, 0, 1),
    },
    features: FEATURE_NAMES.map((name, j) => ({
      name,
      importance: round(importance[j] / holdout.length),
      quantiles: QUANTILE_LEVELS.map((q) => round(quantileOfSorted(fit.sortedColumns[j], q), 7)),
    })),
    ...(spec?.kind === 'realistic' && source === 'synthetic'
      ? { realData: realDataEstimate(holdoutEval.auc, bayes) }
      : {}),
  };
  card.charts.scoreHistogram.edges = card.charts.scoreHistogram.edges.map((e) => round(e));

  const modelPath = join(options.out, 'model.onnx');
  const cardPath = join(options.out, 'model-card.json');
  const markdownPath = join(options.out, 'model-card.md');
  await writeFilesAtomically([
    [modelPath, onnx],
    [cardPath, JSON.stringify(card, null, 2) + '\n'],
    [markdownPath, renderCardMarkdown(card)],
  ]);
  return { card, modelPath, cardPath, markdownPath, seconds };
}

function roundPoint(p: { x: number; y: number }) {
  return { x: round(p.x, 5), y: round(p.y, 5) };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function std(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(values.length - 1, 1));
}

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
