/**
 * One training run on rows in memory: split, fit, evaluate, baselines, ONNX bytes and the model card. Shared by
 * the CLI (training/train/run.ts, which reads and writes files) and the app's training worker; the same rows and
 * settings give a byte-identical model.onnx in both.
 */
import { renderCardMarkdown } from '../card/card-markdown';
import { DEFAULT_FIT, fitAdditive, type FitOptions, quantileOfSorted } from '../fit/additive';
import { gaussianNaiveBayes, logisticRegression } from '../fit/baselines';
import { FALSE_POSITIVE_RATE, FITTED_ROWS_FILE, FittedRows } from '../fit/fitted-rows';
import { stratifiedHoldout } from '../fit/split';
import { sha256Hex } from '../integrity';
import {
  auc,
  calibrationTable,
  histogram,
  logLoss,
  prAuc,
  prPoints,
  rocPoints,
  thresholdTable,
} from '../metrics';
import { MISSING_VALUES_NOTE, predict } from '../model';
import type { ModelCard, RealDataEstimate } from '../model-card';
import { QUANTILE_LEVELS } from '../model-card';
import { encodeOnnx, IR_VERSION, ONNX_NAMES, OPSET_VERSION } from '../onnx/export';
import { FEATURE_COUNT, FEATURE_NAMES } from '../schema';
import type { TrainingRows } from './training-rows';

/** The phases a training run reports, in order ('reading' is the shell's, before trainModel starts). */
export type TrainPhase = 'reading' | 'binning' | 'smoothing' | 'calibrating' | 'checking';

/** Where a run has got: `done` of `total` in the phase (bytes while reading, features while smoothing). */
export interface TrainStep {
  phase: TrainPhase;
  done: number;
  total: number;
}

/** Settings of one run (the CLI's flags, plus what the shell knows about the file). */
export interface TrainSettings {
  seed: number;
  /** Share of rows kept out of fitting for the holdout evaluation, 0..1. */
  holdout: number;
  folds: number;
  /** Model version for the card and the .onnx metadata; default `<first 8 hex of the data SHA-256>-s<seed>`. */
  version?: string;
  source: ModelCard['data']['source'];
  /** The file's name as the card shows it (no folders). */
  fileName: string;
  /** SHA-256 of the file's bytes; awaited only when the model is encoded, so a shell can hash during the fit. */
  dataSha256: string | Promise<string>;
  /** The commit of the code that trains ('unknown' when not known). */
  gitCommit: string;
  /** 'browser' when the app trains (the card says so); absent for the CLI. */
  trainedIn?: ModelCard['trainedIn'];
  /** Fit the baselines for the card (Gaussian NB, logistic regression); default true. */
  baselines?: boolean;
  /** Overrides of the fit's settings (benchmarks and tests). */
  fit?: Partial<FitOptions>;
  /** One sentence saying exactly what the rows are (the card's data.description). */
  description?: string;
  /** The expected AUC on the real data, from the holdout figures, for rows that stand in for it (synthetic). */
  realData?: (holdoutAuc: number, bayes?: { auc: number; ratio: number }) => RealDataEstimate;
  /** The Bayes-optimal log-odds of rows, when the data's generator is known (synthetic data), and its settings. */
  bayes?: {
    logOdds: (features: Float32Array, rows: number) => Float64Array;
    generator: NonNullable<ModelCard['data']['generator']>;
  };
  /** performance.now() when the run started (the card's trainSeconds counts from here, reading included). */
  startedAt?: number;
  onStep?: (step: TrainStep) => void;
  log?: (line: string) => void;
}

/** What a run gives: the model file's bytes, its card and the card as markdown. */
export interface TrainedModel {
  onnx: Uint8Array;
  card: ModelCard;
  markdown: string;
  /** fitted-rows.bin: the record of the rows the model was fitted on (the card's fittedRows describes it). */
  fittedRows: Uint8Array;
  /** Indices into the training rows of the holdout the card's holdout figures come from, in the order scored. */
  holdoutRows: Uint32Array;
  /** The model's log-odds of the holdout rows, in holdoutRows' order (what the card's holdout AUC ranks). */
  holdoutScores: Float32Array;
}

/** Shares of customers for the "flag the top k%" table: every 1% from 1% to 50%. */
const THRESHOLD_SHARES: readonly number[] = Array.from({ length: 50 }, (_, i) => (i + 1) / 100);

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

/**
 * Trains on labelled rows (every value finite, targets 0/1: the reader refuses anything else) and returns the
 * model bytes and card. Throws a RangeError when the rows hold one class only; callers check trainingRefusal
 * first, which says why with the numbers.
 */
export async function trainModel(data: TrainingRows, settings: TrainSettings): Promise<TrainedModel> {
  const log = settings.log ?? (() => {});
  const step = settings.onStep ?? (() => {});
  const started = settings.startedAt ?? performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  const { targets } = data;
  const withBaselines = settings.baselines !== false;

  const { train: trainRows, holdout } = stratifiedHoldout(targets, settings.holdout, settings.seed);
  const fitOptions: FitOptions = {
    ...DEFAULT_FIT,
    ...settings.fit,
    folds: settings.folds,
    seed: settings.seed,
  };
  const fit = fitAdditive(data.features, targets, FEATURE_COUNT, trainRows, fitOptions, (p) =>
    step({ phase: p.phase, done: p.done, total: p.total }),
  );
  const model = fit.model;
  log(`fitted in ${elapsed()} s; CV AUC ${fit.cvAucs.map((a) => a.toFixed(4)).join(' ')}`);

  const checks = withBaselines ? 4 : 2;
  step({ phase: 'checking', done: 0, total: checks });
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
    share: settings.holdout,
  };

  step({ phase: 'checking', done: 1, total: checks });
  const baselines: Record<string, number> = {};
  if (withBaselines) {
    baselines.gaussianNB = round(
      auc(gaussianNaiveBayes(data.features, targets, FEATURE_COUNT, trainRows, holdout), holdoutY),
    );
    step({ phase: 'checking', done: 2, total: checks });
    // Each iteration is a heartbeat for the page, which takes a long silence for a worker that died.
    const beat = () => step({ phase: 'checking', done: 2, total: checks });
    baselines.logistic = round(
      auc(
        logisticRegression(data.features, targets, FEATURE_COUNT, trainRows, holdout, undefined, beat),
        holdoutY,
      ),
    );
    log(`baselines ${JSON.stringify(baselines)} at ${elapsed()} s`);
    step({ phase: 'checking', done: 3, total: checks });
  }
  let bayes: ModelCard['metrics']['bayes'];
  if (settings.bayes) {
    const bayesAuc = auc(settings.bayes.logOdds(holdoutX, holdout.length), holdoutY);
    bayes = { auc: round(bayesAuc), ratio: round(holdoutEval.auc / bayesAuc) };
  }

  const importance = new Float64Array(FEATURE_COUNT);
  const contributions = prediction.contributions!;
  for (let i = 0; i < holdout.length; i++) {
    for (let j = 0; j < FEATURE_COUNT; j++) importance[j] += Math.abs(contributions[i * FEATURE_COUNT + j]);
  }

  const parameters: Record<string, number | string | boolean> = {
    seed: settings.seed,
    holdout: settings.holdout,
    folds: settings.folds,
    bins: fitOptions.bins,
    gridTail: fitOptions.tail,
    smoothingCandidates: `${fitOptions.lambdas.length} values, ${fitOptions.lambdas[0]} to ${fitOptions.lambdas.at(-1)}`,
    smoothingMedian: median(fit.lambdas),
    levelShifts:
      fitOptions.steps === 0
        ? 'off'
        : `${fit.steps.reduce((a, b) => a + b, 0)} in ${fit.steps.filter((c) => c > 0).length} features (score statistic above ${fitOptions.stepThreshold}, at most ${fitOptions.steps} per feature)`,
    calibrationSlope: round(fit.calibration.slope),
    calibrationIntercept: round(fit.calibration.intercept),
    intercept: model.intercept,
    trainedOn: `${trainRows.length} rows: the ${Math.round((1 - settings.holdout) * 100)}% stratified training part (the holdout is only evaluated)`,
    irVersion: IR_VERSION,
    opset: OPSET_VERSION,
  };
  const dataSha = await settings.dataSha256;
  const version = settings.version ?? `${dataSha.slice(0, 8)}-s${settings.seed}`;
  const onnx = encodeOnnx(model, {
    version,
    model_kind: 'additive-grid-shapes/1',
    feature_names: FEATURE_NAMES.join(','),
    bins: String(model.bins),
    intercept: String(model.intercept),
    data_sha256: dataSha,
    seed: String(settings.seed),
    missing_values: MISSING_VALUES_NOTE,
  });
  const modelSha = await sha256Hex(onnx);
  const fittedRows = FittedRows.of(data.features, trainRows).bytes();
  const seconds = (performance.now() - started) / 1000;

  const card: ModelCard = {
    schema: 1,
    version,
    createdAt: new Date().toISOString(),
    gitCommit: settings.gitCommit,
    ...(settings.trainedIn ? { trainedIn: settings.trainedIn } : {}),
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
      source: settings.source,
      file: settings.fileName,
      ...(settings.description ? { description: settings.description } : {}),
      sha256: dataSha,
      rows: data.rows,
      positives: targets.reduce((a, b) => a + b, 0),
      ...(settings.bayes ? { generator: settings.bayes.generator } : {}),
    },
    metrics: {
      holdout: holdoutEval,
      cv: {
        folds: settings.folds,
        aucMean: round(mean(fit.cvAucs)),
        aucStd: round(std(fit.cvAucs)),
        aucs: fit.cvAucs.map((a) => round(a)),
      },
      ...(bayes ? { bayes } : {}),
      ...(withBaselines ? { baselines } : {}),
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
    fittedRows: {
      file: FITTED_ROWS_FILE,
      sha256: await sha256Hex(fittedRows),
      bytes: fittedRows.byteLength,
      rows: trainRows.length,
      falsePositiveRate: FALSE_POSITIVE_RATE,
    },
    ...(settings.realData ? { realData: settings.realData(holdoutEval.auc, bayes) } : {}),
  };
  card.charts.scoreHistogram.edges = card.charts.scoreHistogram.edges.map((e) => round(e));
  return {
    onnx,
    card,
    markdown: renderCardMarkdown(card),
    fittedRows,
    holdoutRows: holdout,
    holdoutScores: prediction.logit,
  };
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
