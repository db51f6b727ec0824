/**
 * Penalised logistic regression on binned counts: for one feature, find eta_b (the log-odds of the target in
 * grid cell b) minimising the binomial deviance plus lambda * sum (second differences of eta)^2.
 * A Whittaker / P-spline smoother with a logistic link; each Newton step solves one pentadiagonal system.
 * exp and log1p are fdlibm's (./fdlibm.ts), not Math's: the same bits on every engine.
 */
import { exp, log1p } from './fdlibm';

/** Solves (diag(w) + lambda * D'D) x = rhs in place (rhs becomes x); D = second differences. */
export function solvePenalised(
  w: Float64Array,
  lambda: number,
  rhs: Float64Array,
  scratch: Float64Array,
): void {
  factorPenalised(w, lambda, scratch);
  solveFactored(rhs, scratch);
}

/**
 * The banded LDL' factors of diag(w) + lambda * D'D, written to scratch[0, 3n) (d, then L's first and second
 * sub-diagonals), for any number of solveFactored calls with the same matrix: the same bits as solvePenalised
 * for each right-hand side.
 */
export function factorPenalised(w: Float64Array, lambda: number, scratch: Float64Array): void {
  const n = w.length;
  // Banded LDL' of the symmetric pentadiagonal matrix. a0 = main, a1 = first, a2 = second off-diagonal.
  // D'D has rows [1 -2 1] combined: main 1,5,6,...,6,5,1; first -2,-4,...,-4,-2; second 1,...,1.
  const d = scratch.subarray(0, n);
  const l1 = scratch.subarray(n, 2 * n);
  const l2 = scratch.subarray(2 * n, 3 * n);
  for (let i = 0; i < n; i++) {
    const main = n < 3 ? 0 : i === 0 || i === n - 1 ? 1 : i === 1 || i === n - 2 ? 5 : 6;
    const a0 = w[i] + lambda * main;
    // Off-diagonals of row i to columns i-1 and i-2.
    const b1 = i >= 1 && n >= 3 ? lambda * (i === 1 || i === n - 1 ? -2 : -4) : 0;
    const b2 = i >= 2 && n >= 3 ? lambda : 0;
    // L[i][i-2] = b2 / d[i-2]; L[i][i-1] = (b1 - L[i][i-2] d[i-2] L[i-1][i-2]) / d[i-1]
    const li2 = i >= 2 ? b2 / d[i - 2] : 0;
    const li1 = i >= 1 ? (b1 - (i >= 2 ? li2 * d[i - 2] * l1[i - 1] : 0)) / d[i - 1] : 0;
    l2[i] = li2;
    l1[i] = li1;
    let di = a0;
    if (i >= 1) di -= li1 * li1 * d[i - 1];
    if (i >= 2) di -= li2 * li2 * d[i - 2];
    d[i] = Math.max(di, 1e-12);
  }
}

/** Solves in place with the factors factorPenalised left in scratch (rhs.length = the n it was given). */
export function solveFactored(rhs: Float64Array, scratch: Float64Array): void {
  const n = rhs.length;
  const d = scratch.subarray(0, n);
  const l1 = scratch.subarray(n, 2 * n);
  const l2 = scratch.subarray(2 * n, 3 * n);
  for (let i = 0; i < n; i++) {
    if (i >= 1) rhs[i] -= l1[i] * rhs[i - 1];
    if (i >= 2) rhs[i] -= l2[i] * rhs[i - 2];
  }
  for (let i = 0; i < n; i++) rhs[i] /= d[i];
  for (let i = n - 1; i >= 0; i--) {
    if (i + 1 < n) rhs[i] -= l1[i + 1] * rhs[i + 1];
    if (i + 2 < n) rhs[i] -= l2[i + 2] * rhs[i + 2];
  }
}

/** Reusable buffers for fitBinnedLogit, sized for `bins` cells. */
export interface SmoothWorkspace {
  w: Float64Array;
  rhs: Float64Array;
  scratch: Float64Array;
  trial: Float64Array;
}

/** Allocates a workspace for `bins` cells. */
export function smoothWorkspace(bins: number): SmoothWorkspace {
  return {
    w: new Float64Array(bins),
    rhs: new Float64Array(bins),
    scratch: new Float64Array(3 * bins),
    trial: new Float64Array(bins),
  };
}

/** Penalised objective: negative log-likelihood plus lambda/2 * sum of squared second differences. */
export function penalisedObjective(
  positives: Float64Array,
  totals: Float64Array,
  lambda: number,
  eta: Float64Array,
): number {
  return binnedNegLogLik(positives, totals, eta) + 0.5 * lambda * secondDifferencePenalty(eta);
}

/** Sum of squared second differences of v. */
function secondDifferencePenalty(v: Float64Array): number {
  let penalty = 0;
  for (let b = 2; b < v.length; b++) {
    const d = v[b] - 2 * v[b - 1] + v[b - 2];
    penalty += d * d;
  }
  return penalty;
}

/**
 * One Newton (IRLS) step's system for the binomial log-likelihood at eta: the weights w_b = n_b mu_b (1 - mu_b)
 * and the right-hand side w_b eta_b + (positives_b - n_b mu_b), mu = the logistic of eta.
 */
function workingResponse(
  positives: Float64Array,
  totals: Float64Array,
  eta: Float64Array,
  w: Float64Array,
  rhs: Float64Array,
): void {
  for (let b = 0; b < eta.length; b++) {
    const mu = 1 / (1 + exp(-eta[b]));
    const v = totals[b] * mu * (1 - mu);
    w[b] = v;
    rhs[b] = v * eta[b] + (positives[b] - totals[b] * mu);
  }
}

/**
 * Fits eta (length = bins, also the warm start) to positives[b] of totals[b] per cell with second-difference
 * penalty lambda, by Newton steps halved until the objective falls (plain Newton overshoots to +-1e22 on a
 * tail cell where positives dominate). Returns the number of Newton steps taken.
 */
export function fitBinnedLogit(
  positives: Float64Array,
  totals: Float64Array,
  lambda: number,
  eta: Float64Array,
  ws: SmoothWorkspace,
  maxSteps = 30,
  tolerance = 1e-7,
): number {
  const n = eta.length;
  const { w, rhs, scratch, trial } = ws;
  let objective = penalisedObjective(positives, totals, lambda, eta);
  for (let step = 1; step <= maxSteps; step++) {
    workingResponse(positives, totals, eta, w, rhs);
    solvePenalised(w, lambda, rhs, scratch);
    let change = 0;
    for (let b = 0; b < n; b++) change = Math.max(change, Math.abs(rhs[b] - eta[b]));
    let size = 1;
    let next = objective;
    for (let halvings = 0; halvings < 40; halvings++) {
      for (let b = 0; b < n; b++) trial[b] = eta[b] + size * (rhs[b] - eta[b]);
      next = penalisedObjective(positives, totals, lambda, trial);
      if (next <= objective + 1e-12 * Math.abs(objective)) break;
      size /= 2;
    }
    if (!(next <= objective + 1e-12 * Math.abs(objective))) return step; // no descent left: at the optimum
    eta.set(trial);
    objective = next;
    if (change * size < tolerance) return step;
  }
  return maxSteps;
}

/** Binomial deviance/2 (negative log-likelihood) of held-out counts under eta. */
export function binnedNegLogLik(positives: Float64Array, totals: Float64Array, eta: Float64Array): number {
  let sum = 0;
  for (let b = 0; b < eta.length; b++) {
    if (totals[b] === 0) continue;
    const e = eta[b];
    // log(1 + e^eta) computed without overflow
    const softplus = e > 0 ? e + log1p(exp(-e)) : log1p(exp(e));
    sum += totals[b] * softplus - positives[b] * e;
  }
  return sum;
}

/**
 * fitBinnedLogit for a shape with level shifts: eta = s + sum_k delta_k [b >= taus[k]], where only the smooth
 * part s is penalised, so a shift costs nothing and the smoothing does not spread it over the cells around it.
 * Each Newton step solves the penalised system bordered by the shift columns, by block elimination (one
 * pentadiagonal solve per shift and one for the right-hand side). `eta` is the warm start for s (shifts start at
 * 0) and receives the fit. `taus` (1 or 2 cells in 1..bins-1, ascending) are the first cells above each shift.
 */
export function fitBinnedLogitWithSteps(
  positives: Float64Array,
  totals: Float64Array,
  lambda: number,
  eta: Float64Array,
  ws: SmoothWorkspace,
  taus: number[],
  maxSteps = 30,
  tolerance = 1e-7,
): number {
  const n = eta.length;
  const k = taus.length;
  if (k < 1 || k > 2) throw new RangeError('fitBinnedLogitWithSteps takes 1 or 2 shifts');
  const { w, scratch } = ws;
  const s = eta.slice();
  const delta = new Float64Array(k);
  const b = new Float64Array(n);
  const y = new Float64Array(n);
  const x = [new Float64Array(n), new Float64Array(n)];
  const trialS = new Float64Array(n);
  const trialEta = new Float64Array(n);
  const trialDelta = new Float64Array(k);
  const newDelta = new Float64Array(k);
  const compose = (sv: Float64Array, dv: Float64Array, out: Float64Array): void => {
    out.set(sv);
    for (let q = 0; q < k; q++) for (let i = taus[q]; i < n; i++) out[i] += dv[q];
  };
  // The penalty falls on the smooth part only; the likelihood on the whole shape.
  const objectiveOf = (sv: Float64Array, e: Float64Array): number =>
    binnedNegLogLik(positives, totals, e) + 0.5 * lambda * secondDifferencePenalty(sv);
  compose(s, delta, eta);
  let objective = objectiveOf(s, eta);
  for (let step = 1; step <= maxSteps; step++) {
    workingResponse(positives, totals, eta, w, b);
    // [A  WH; H'W  H'WH] [s; delta] = [b; H'b] with A = W + lambda D'D: s = y - X delta, where A y = b and
    // A X = WH, and delta solves the Schur complement (H'WH - H'WX) delta = H'b - H'Wy.
    // One matrix, 1 + k right-hand sides: factored once.
    factorPenalised(w, lambda, scratch);
    y.set(b);
    solveFactored(y, scratch);
    for (let q = 0; q < k; q++) {
      x[q].fill(0);
      for (let i = taus[q]; i < n; i++) x[q][i] = w[i];
      solveFactored(x[q], scratch);
    }
    let s00 = 0;
    let s01 = 0;
    let s10 = 0;
    let s11 = 0;
    let r0 = 0;
    let r1 = 0;
    for (let i = taus[0]; i < n; i++) {
      r0 += b[i] - w[i] * y[i];
      s00 += w[i] - w[i] * x[0][i];
      if (k === 2) s01 += (i >= taus[1] ? w[i] : 0) - w[i] * x[1][i];
    }
    if (k === 2) {
      for (let i = taus[1]; i < n; i++) {
        r1 += b[i] - w[i] * y[i];
        s10 += w[i] - w[i] * x[0][i];
        s11 += w[i] - w[i] * x[1][i];
      }
      const det = s00 * s11 - s01 * s10;
      newDelta[0] = (s11 * r0 - s01 * r1) / det;
      newDelta[1] = (s00 * r1 - s10 * r0) / det;
    } else newDelta[0] = r0 / s00;
    if (!newDelta.every(Number.isFinite)) return step; // a shift with no weight on one side: keep the last fit
    for (let q = 0; q < k; q++) for (let i = 0; i < n; i++) y[i] -= x[q][i] * newDelta[q];
    let change = 0;
    for (let i = 0; i < n; i++) change = Math.max(change, Math.abs(y[i] - s[i]));
    for (let q = 0; q < k; q++) change = Math.max(change, Math.abs(newDelta[q] - delta[q]));
    let size = 1;
    let next = objective;
    for (let halvings = 0; halvings < 40; halvings++) {
      for (let i = 0; i < n; i++) trialS[i] = s[i] + size * (y[i] - s[i]);
      for (let q = 0; q < k; q++) trialDelta[q] = delta[q] + size * (newDelta[q] - delta[q]);
      compose(trialS, trialDelta, trialEta);
      next = objectiveOf(trialS, trialEta);
      if (next <= objective + 1e-12 * Math.abs(objective)) break;
      size /= 2;
    }
    if (!(next <= objective + 1e-12 * Math.abs(objective))) return step; // no descent left: at the optimum
    s.set(trialS);
    delta.set(trialDelta);
    eta.set(trialEta);
    objective = next;
    if (change * size < tolerance) return step;
  }
  return maxSteps;
}
