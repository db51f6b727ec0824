import { describe, expect, it } from 'vitest';
import {
  factorPenalised,
  fitBinnedLogit,
  penalisedObjective,
  smoothWorkspace,
  solveFactored,
  solvePenalised,
} from './smooth';

/** Dense (diag(w) + lambda D'D) built the slow, obvious way. */
function denseSystem(w: number[], lambda: number): number[][] {
  const n = w.length;
  const a = w.map((wi, i) => Array.from({ length: n }, (_, k) => (i === k ? wi : 0)));
  for (let r = 0; r + 2 < n; r++) {
    const coef = [1, -2, 1];
    for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) a[r + p][r + q] += lambda * coef[p] * coef[q];
  }
  return a;
}

describe('solvePenalised', () => {
  it('solves the pentadiagonal system (checked by multiplying back)', () => {
    const n = 9;
    const w = Array.from({ length: n }, (_, i) => (i === 4 ? 0 : 1 + ((i * 7) % 5)));
    const lambda = 3.5;
    const rhs = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const x = rhs.slice();
    solvePenalised(Float64Array.from(w), lambda, x, new Float64Array(3 * n));
    const a = denseSystem(w, lambda);
    for (let i = 0; i < n; i++) {
      const back = a[i].reduce((s, v, k) => s + v * x[k], 0);
      expect(back).toBeCloseTo(rhs[i], 10);
    }
  });

  it('factored once, solves many right-hand sides with the same bits as solving each afresh', () => {
    const n = 40;
    const w = Float64Array.from({ length: n }, (_, i) => 0.3 + ((i * 13) % 7) / 3);
    const lambda = 17.25;
    const scratch = new Float64Array(3 * n);
    factorPenalised(w, lambda, scratch);
    for (let k = 0; k < 5; k++) {
      // Right-hand sides like the level-shift scan's: zero below a cell, the weights from it up.
      const rhs = Float64Array.from({ length: n }, (_, i) => (i >= k * 8 ? w[i] * (1 + Math.cos(i * k)) : 0));
      const once = rhs.slice();
      solveFactored(once, scratch);
      const afresh = rhs.slice();
      solvePenalised(w, lambda, afresh, new Float64Array(3 * n));
      expect(Array.from(once)).toEqual(Array.from(afresh));
      expect(once.some((v, i) => v !== rhs[i])).toBe(true);
    }
  });
});

describe('fitBinnedLogit', () => {
  const totals = Float64Array.from({ length: 20 }, () => 400);
  const truth = Float64Array.from({ length: 20 }, (_, b) => -2 + 0.1 * b + (b === 10 ? 1.5 : 0));
  const positives = Float64Array.from(truth, (e, b) => Math.round(totals[b] / (1 + Math.exp(-e))));

  it('follows the per-cell log-odds when the penalty is tiny', () => {
    const eta = new Float64Array(20).fill(-2);
    fitBinnedLogit(positives, totals, 1e-6, eta, smoothWorkspace(20));
    for (let b = 0; b < 20; b++) {
      const raw = Math.log(positives[b] / (totals[b] - positives[b]));
      expect(eta[b]).toBeCloseTo(raw, 3);
    }
  });

  it('tends to a straight line in the log-odds when the penalty is huge', () => {
    const eta = new Float64Array(20).fill(-2);
    fitBinnedLogit(positives, totals, 1e9, eta, smoothWorkspace(20));
    for (let b = 2; b < 20; b++) expect(eta[b] - 2 * eta[b - 1] + eta[b - 2]).toBeCloseTo(0, 4);
  });

  it('stays finite where plain Newton overshoots (a tail cell rich in positives, 20 empty cells, then the bulk)', () => {
    // Measured: undamped Newton steps reach |eta| ~ 3e20 on exactly this input.
    const n = 120;
    const t = new Float64Array(n);
    const p = new Float64Array(n);
    t[0] = 88;
    p[0] = 62;
    for (let b = 21; b < n; b++) {
      t[b] = 300;
      p[b] = 30;
    }
    const eta = new Float64Array(n).fill(-2.2);
    const before = penalisedObjective(p, t, 1e3, eta);
    fitBinnedLogit(p, t, 1e3, eta, smoothWorkspace(n));
    expect(eta.every((e) => Number.isFinite(e) && Math.abs(e) < 20)).toBe(true);
    expect(penalisedObjective(p, t, 1e3, eta)).toBeLessThan(before);
    expect(eta[0]).toBeGreaterThan(0); // the tail cell is mostly positives
  });

  it('interpolates across empty cells', () => {
    const t = Float64Array.from([500, 500, 0, 0, 500, 500]);
    const p = Float64Array.from([50, 60, 0, 0, 90, 100]);
    const eta = new Float64Array(6).fill(-2);
    fitBinnedLogit(p, t, 1, eta, smoothWorkspace(6));
    expect(eta[2]).toBeGreaterThan(eta[1]);
    expect(eta[3]).toBeLessThan(eta[4]);
  });
});
