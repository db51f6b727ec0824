/**
 * Fits the additive model. The features are independent given the target, so the ideal shape f_j is the
 * per-feature log density ratio, which equals logit P(y | x_j) - logit(prior). Per feature we bin the values on
 * a fine uniform grid, fit a smooth logit P(y | cell) by penalised logistic regression (smoothness chosen per
 * feature by k-fold cross-validated deviance), sum the shapes, and calibrate slope and intercept of the sum on
 * out-of-fold scores. Where the smooth shape leaves a clear step in the residuals (findSteps), the feature's
 * shape gets up to two unpenalised level shifts and its smoothing is chosen again: a second-difference penalty
 * spreads a jump in the log-odds over many cells, and the realistic synthetic kind has such jumps at the
 * positives' 1% and 99% points (training/synth/realistic.ts). Everything is deterministic for the same rows and seed, on every JavaScript engine: the
 * transcendental functions are fdlibm's (./fdlibm.ts) and the smoothing grid is written out, because engines'
 * Math.exp, Math.log and ** may round differently (a browser would otherwise fit other bits than the CLI).
 */
import type { AdditiveModel } from '../model';
import { binIndex, quantizeModel } from '../model';
import { auc } from '../metrics';
import { exp, log, log1p } from './fdlibm';
import {
  binnedNegLogLik,
  factorPenalised,
  fitBinnedLogit,
  fitBinnedLogitWithSteps,
  smoothWorkspace,
  solveFactored,
} from './smooth';
import { sortFloat32 } from './radix-sort';
import { stratifiedFolds } from './split';

/** Settings of the fit (all end up in the model card). */
export interface FitOptions {
  /** Grid cells per feature. */
  bins: number;
  /** Share of training rows in each tail that the edge cells absorb (grid spans [q, 1 - q]). */
  tail: number;
  /** Cross-validation folds, for the smoothness choice, the CV AUC and the calibration. */
  folds: number;
  /** Candidate smoothing strengths (second-difference penalty). */
  lambdas: number[];
  seed: number;
  /** Level shifts per feature at most, 0 to 2 (0: smooth shapes only). */
  steps: number;
  /** Score statistic (chi-square, 1 degree of freedom) a level shift must exceed to be kept. */
  stepThreshold: number;
  /** Share of the rows each side of a level shift must hold at least. */
  stepMinShare: number;
}

/** Defaults chosen by the measurements in the model card and training/cli/bench. */
export const DEFAULT_FIT: FitOptions = {
  bins: 512,
  tail: 0.0005,
  folds: 5,
  // 10^(-1 + i / 2) for i = 0..24, as Node 20 computes 10 ** x (Chromium's V8 rounds 10^2.5 and others
  // differently): 0.1 to 1e11.
  lambdas: [
    0.1, 0.31622776601683794, 1, 3.1622776601683795, 10, 31.622776601683793, 100, 316.2277660168379, 1000,
    3162.277660168379, 10000, 31622.776601683792, 100000, 316227.7660168379, 1000000, 3162277.6601683795,
    10000000, 31622776.60168379, 100000000, 316227766.01683795, 1000000000, 3162277660.1683793, 10000000000,
    31622776601.683792, 100000000000,
  ],
  seed: 42,
  // A level shift must beat a chi-square(1) statistic of 12 maximised over the cells (about p = 5e-4 for one
  // cell; the cells' statistics are strongly correlated, so roughly a 5% test for the whole scan), and leave
  // 0.2% of the rows on each side. Measured on the realistic kind (200,000 rows, holdout 0.2, seed 42; test
  // AUC over the Bayes-optimal AUC): none 0.99370, threshold 9 0.99476, 12 0.99521, 14 0.99495, 16 0.99484.
  steps: 2,
  stepThreshold: 12,
  stepMinShare: 0.002,
};

/** What a fit produces besides the model. */
export interface FitResult {
  model: AdditiveModel;
  /** Chosen smoothing strength per feature. */
  lambdas: Float64Array;
  /** AUC on each cross-validation fold (fold models trained on the other folds). */
  cvAucs: number[];
  /** Calibration of the summed shapes on out-of-fold scores: logit = slope * raw + intercept. */
  calibration: { slope: number; intercept: number };
  /** Per-feature sorted training values (for quantiles), column by column. */
  sortedColumns: Float32Array[];
  /** Level shifts kept per feature (see findSteps). */
  steps: Uint8Array;
}

/** Where a fit has got: `done` of `total` steps of the phase (features, for smoothing). */
export interface FitProgress {
  phase: 'binning' | 'smoothing' | 'calibrating';
  done: number;
  total: number;
}

/** Smoothing strengths scanned past the best one before the scan stops. */
const PATIENCE = 5;

/** Value at quantile level q of sorted values (linear interpolation between order statistics). */
export function quantileOfSorted(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const frac = pos - i;
  return i + 1 < sorted.length ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/** Mean log-loss of y ~ sigmoid(a * s + c). */
function plattLoss(scores: Float64Array, labels: ArrayLike<number>, a: number, c: number): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const z = a * scores[i] + c;
    const softplus = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
    sum += softplus - (labels[i] > 0.5 ? z : 0);
  }
  return sum / scores.length;
}

/**
 * Fits y ~ sigmoid(a * s + c) on raw scores s: the final calibration step. Newton steps are halved until the
 * loss falls: a full step from (1, 0) overshoots to a ~1e11 slope on overconfident small-sample scores.
 */
export function fitPlatt(
  scores: Float64Array,
  labels: ArrayLike<number>,
): { slope: number; intercept: number } {
  let a = 1;
  let c = 0;
  let loss = plattLoss(scores, labels, a, c);
  for (let it = 0; it < 100; it++) {
    let ga = 0;
    let gc = 0;
    let haa = 0;
    let hac = 0;
    let hcc = 0;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      const p = 1 / (1 + exp(-(a * s + c)));
      const r = p - (labels[i] > 0.5 ? 1 : 0);
      const w = p * (1 - p);
      ga += r * s;
      gc += r;
      haa += w * s * s;
      hac += w * s;
      hcc += w;
    }
    const det = haa * hcc - hac * hac;
    if (!(det > 0)) break;
    const da = (hcc * ga - hac * gc) / det;
    const dc = (haa * gc - hac * ga) / det;
    let step = 1;
    let next = Infinity;
    for (let halvings = 0; halvings < 40; halvings++) {
      next = plattLoss(scores, labels, a - step * da, c - step * dc);
      if (next <= loss) break;
      step /= 2;
    }
    if (!(next <= loss)) break;
    a -= step * da;
    c -= step * dc;
    const done = loss - next < 1e-12;
    loss = next;
    if (done) break;
  }
  return { slope: a, intercept: c };
}

/**
 * Cells where the shape `eta` (fitted to `positives` of `totals` per cell with smoothing `lambda`) leaves a
 * level shift unexplained, found one at a time by a penalised score test: for each cell tau, U = the residuals
 * (positives - expected) from tau up, and V = h'Wh - h'W A^-1 W h, the information about a shift at tau left
 * once the smooth part (A = W + lambda D'D) has taken what it can (h: the indicator of cells >= tau, W: the
 * binomial weights). The tau with the largest U^2 / V is kept while that exceeds `stepThreshold` (chi-square,
 * one degree of freedom) and each side holds `stepMinShare` of the `rows`; the shape is then refitted with the
 * shifts kept so far (fitBinnedLogitWithSteps) and the scan repeated, up to `steps` (at most 2) times.
 * Returns the cells ascending (each the first cell above its shift); `eta` is not changed.
 */
export function findSteps(
  positives: Float64Array,
  totals: Float64Array,
  eta: Float64Array,
  lambda: number,
  ws: ReturnType<typeof smoothWorkspace>,
  rows: number,
  options: FitOptions,
): number[] {
  const max = Math.min(options.steps, 2);
  const threshold = options.stepThreshold;
  const minRows = Math.max(1, Math.ceil(options.stepMinShare * rows));
  const bins = eta.length;
  const taus: number[] = [];
  const current = eta.slice();
  const g = new Float64Array(bins);
  const w = new Float64Array(bins);
  for (let m = 0; m < max; m++) {
    for (let b = 0; b < bins; b++) {
      const mu = 1 / (1 + exp(-current[b]));
      g[b] = positives[b] - totals[b] * mu;
      w[b] = totals[b] * mu * (1 - mu);
    }
    let best = threshold;
    let bestTau = -1;
    let rowsAbove = 0;
    const x = new Float64Array(bins);
    // The matrix A is the same for every tau of this round: factored once, solved per tau.
    factorPenalised(w, lambda, ws.scratch);
    let gAbove = 0;
    for (let tau = bins - 1; tau >= 1; tau--) {
      gAbove += g[tau];
      rowsAbove += totals[tau];
      if (rowsAbove < minRows) continue;
      if (rows - rowsAbove < minRows) break;
      if (taus.includes(tau)) continue;
      // Efficient information of a shift at tau once the penalised smooth part has taken what it can:
      // h'Wh - h'W A^-1 W h, A = W + lambda D'D (the Schur complement of the bordered system).
      x.fill(0);
      for (let i = tau; i < bins; i++) x[i] = w[i];
      solveFactored(x, ws.scratch);
      let variance = 0;
      for (let i = tau; i < bins; i++) variance += w[i] * (1 - x[i]);
      const u = gAbove;
      const statistic = (u * u) / variance;
      if (statistic > best) {
        best = statistic;
        bestTau = tau;
      }
    }
    if (bestTau < 0) break;
    taus.push(bestTau);
    taus.sort((a, b) => a - b);
    current.set(eta);
    fitBinnedLogitWithSteps(positives, totals, lambda, current, ws, taus);
  }
  return taus;
}

/**
 * Fits on `rows` (indices into row-major `features` [n, featureCount]). Values must be finite (training refuses
 * files with bad cells before this point). `onProgress` hears of each phase and of each feature smoothed.
 */
export function fitAdditive(
  features: Float32Array,
  targets: ArrayLike<number>,
  featureCount: number,
  rows: Uint32Array,
  options: FitOptions = DEFAULT_FIT,
  onProgress: (progress: FitProgress) => void = () => {},
): FitResult {
  const { bins, folds, lambdas } = options;
  if (bins < 4) throw new RangeError('bins must be at least 4');
  const n = rows.length;
  const fold = stratifiedFolds(targets, rows, folds, options.seed);
  const y = new Uint8Array(n);
  let positives = 0;
  for (let k = 0; k < n; k++) positives += y[k] = targets[rows[k]] > 0.5 ? 1 : 0;
  if (positives === 0 || positives === n) throw new RangeError('training rows hold only one class');

  const lo = new Float32Array(featureCount);
  const invWidth = new Float32Array(featureCount);
  const sortedColumns: Float32Array[] = [];
  const cell = new Uint16Array(n);
  // Per fold f and cell b: positives and totals (fold-major); the complement of a fold is all minus the fold.
  const foldPos = new Float64Array(folds * bins);
  const foldTot = new Float64Array(folds * bins);
  const allPos = new Float64Array(bins);
  const allTot = new Float64Array(bins);
  const trainPos = new Float64Array(bins);
  const trainTot = new Float64Array(bins);
  const eta = new Float64Array(bins);
  const ws = smoothWorkspace(bins);
  const chosen = new Float64Array(featureCount);
  // Out-of-fold raw score (sum of fold shapes) and final shapes.
  const oof = new Float64Array(n);
  const shapes = new Float64Array(featureCount * bins);
  const foldPrior = new Float64Array(folds);
  const foldEta = new Float64Array(folds * bins);
  const stepCounts = new Uint8Array(featureCount);
  const strongestFirst = lambdas.map((_, i) => i).sort((a, b) => lambdas[b] - lambdas[a]);
  onProgress({ phase: 'binning', done: 0, total: featureCount });
  // Column-major copy of the training rows: every per-feature pass below then reads memory in order.
  const columns = new Float32Array(n * featureCount);
  for (let k = 0; k < n; k++) {
    const base = rows[k] * featureCount;
    for (let j = 0; j < featureCount; j++) columns[j * n + k] = features[base + j];
  }

  for (let f = 0; f < folds; f++) {
    let p = 0;
    let t = 0;
    for (let k = 0; k < n; k++) {
      if (fold[k] === f) continue;
      t++;
      p += y[k];
    }
    foldPrior[f] = log(p / (t - p));
  }
  const prior = log(positives / (n - positives));

  for (let j = 0; j < featureCount; j++) {
    onProgress({ phase: 'smoothing', done: j, total: featureCount });
    const column = columns.subarray(j * n, (j + 1) * n);
    const sorted = sortFloat32(column);
    sortedColumns.push(sorted);
    let low = quantileOfSorted(sorted, options.tail);
    let high = quantileOfSorted(sorted, 1 - options.tail);
    if (!(high > low)) {
      low = sorted[0] - 0.5;
      high = sorted[0] + 0.5;
    }
    lo[j] = Math.fround(low);
    invWidth[j] = Math.fround(bins / (high - low));

    foldPos.fill(0);
    foldTot.fill(0);
    for (let k = 0; k < n; k++) {
      const b = binIndex(column[k], lo[j], invWidth[j], bins);
      cell[k] = b;
      const at = fold[k] * bins + b;
      foldTot[at]++;
      foldPos[at] += y[k];
    }
    allPos.fill(0);
    allTot.fill(0);
    for (let f = 0; f < folds; f++) {
      for (let b = 0; b < bins; b++) {
        allPos[b] += foldPos[f * bins + b];
        allTot[b] += foldTot[f * bins + b];
      }
    }

    /** The smoother: a smooth shape, or a smooth shape plus level shifts at cells `taus`. */
    const fitterFor =
      (taus: number[]) =>
      (p: Float64Array, t: Float64Array, l: number, e: Float64Array): void => {
        if (taus.length > 0) fitBinnedLogitWithSteps(p, t, l, e, ws, taus);
        else fitBinnedLogit(p, t, l, e, ws);
      };
    // Held-out deviance per fold and lambda, scanning from the strongest smoothing to the weakest (warm starts)
    // and stopping once the summed deviance has risen for PATIENCE steps past its minimum: the weak end is
    // never chosen on files of this size and costs the most Newton steps. Unscanned lambdas stay at +Inf.
    const scan = (fit: ReturnType<typeof fitterFor>): Float64Array => {
      const score = new Float64Array(folds * lambdas.length).fill(Infinity);
      for (let f = 0; f < folds; f++) foldEta.subarray(f * bins, (f + 1) * bins).fill(foldPrior[f]);
      let bestTotal = Infinity;
      let sinceBest = 0;
      for (const li of strongestFirst) {
        let total = 0;
        for (let f = 0; f < folds; f++) {
          for (let b = 0; b < bins; b++) {
            trainPos[b] = allPos[b] - foldPos[f * bins + b];
            trainTot[b] = allTot[b] - foldTot[f * bins + b];
          }
          const e = foldEta.subarray(f * bins, (f + 1) * bins);
          fit(trainPos, trainTot, lambdas[li], e);
          const deviance = binnedNegLogLik(
            foldPos.subarray(f * bins, (f + 1) * bins),
            foldTot.subarray(f * bins, (f + 1) * bins),
            e,
          );
          score[f * lambdas.length + li] = deviance;
          total += deviance;
        }
        if (total < bestTotal) {
          bestTotal = total;
          sinceBest = 0;
        } else if (++sinceBest >= PATIENCE) break;
      }
      return score;
    };
    /** The lambda with the least held-out deviance summed over the folds other than `skip` (-1: all folds). */
    const pick = (score: Float64Array, skip: number): number => {
      let best = Infinity;
      let bestIndex = 0;
      for (let li = 0; li < lambdas.length; li++) {
        let sum = 0;
        for (let f = 0; f < folds; f++) if (f !== skip) sum += score[f * lambdas.length + li];
        if (sum < best) {
          best = sum;
          bestIndex = li;
        }
      }
      return lambdas[bestIndex];
    };

    let fit = fitterFor([]);
    let score = scan(fit);
    eta.fill(prior);
    fit(allPos, allTot, pick(score, -1), eta);
    // Level shifts where the smooth shape leaves a step in the residuals (see findSteps); if any, the smoothing
    // is chosen again for the shape with them.
    const taus = findSteps(allPos, allTot, eta, pick(score, -1), ws, n, options);
    stepCounts[j] = taus.length;
    if (taus.length > 0) {
      fit = fitterFor(taus);
      score = scan(fit);
      eta.fill(prior);
      fit(allPos, allTot, pick(score, -1), eta);
    }
    chosen[j] = pick(score, -1);

    // Fold models give out-of-fold scores for the CV AUC and the calibration. Each fold's smoothing is chosen
    // without that fold's deviance: with 200 features, choosing on the scored fold itself makes the CV AUC
    // optimistic on small files (measured: CV 0.908 vs holdout 0.823 on 2,000 rows).
    for (let f = 0; f < folds; f++) {
      for (let b = 0; b < bins; b++) {
        trainPos[b] = allPos[b] - foldPos[f * bins + b];
        trainTot[b] = allTot[b] - foldTot[f * bins + b];
      }
      const e = foldEta.subarray(f * bins, (f + 1) * bins);
      e.fill(foldPrior[f]);
      fit(trainPos, trainTot, pick(score, f), e);
    }
    for (let k = 0; k < n; k++) oof[k] += foldEta[fold[k] * bins + cell[k]] - foldPrior[fold[k]];
    for (let b = 0; b < bins; b++) shapes[j * bins + b] = eta[b] - prior;
  }

  onProgress({ phase: 'calibrating', done: 0, total: 1 });
  const cvAucs: number[] = [];
  for (let f = 0; f < folds; f++) {
    const idx: number[] = [];
    for (let k = 0; k < n; k++) if (fold[k] === f) idx.push(k);
    cvAucs.push(
      auc(
        Float64Array.from(idx, (k) => oof[k]),
        Uint8Array.from(idx, (k) => y[k]),
      ),
    );
  }
  for (let k = 0; k < n; k++) oof[k] += foldPrior[fold[k]];
  const calibration = fitPlatt(oof, y);

  // Centre each shape on the training rows so that 0 means "average customer", moving the means to the intercept.
  let intercept = prior;
  const table = new Float32Array(featureCount * bins);
  for (let j = 0; j < featureCount; j++) {
    const sorted = sortedColumns[j];
    let mean = 0;
    // The sorted copy holds the same values as the column; any fixed order gives a deterministic mean.
    for (let k = 0; k < n; k++) mean += shapes[j * bins + binIndex(sorted[k], lo[j], invWidth[j], bins)];
    mean /= n;
    intercept += mean;
    for (let b = 0; b < bins; b++) table[j * bins + b] = calibration.slope * (shapes[j * bins + b] - mean);
  }
  intercept = calibration.slope * intercept + calibration.intercept;
  const model = quantizeModel({ featureCount, bins, lo, invWidth, table, intercept: Math.fround(intercept) });
  return { model, lambdas: chosen, cvAucs, calibration, sortedColumns, steps: stepCounts };
}
