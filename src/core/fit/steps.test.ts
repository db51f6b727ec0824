import { describe, expect, it } from 'vitest';
import { DEFAULT_FIT, findSteps } from './additive';
import { fitBinnedLogit, fitBinnedLogitWithSteps, penalisedObjective, smoothWorkspace } from './smooth';

/** Expected counts per cell: `rows` spread over `n` cells, log-odds a line plus `jump` from cell `at` on. */
function cells(n: number, rows: number, jump: number, at: number) {
  const totals = new Float64Array(n).fill(rows / n);
  const truth = Float64Array.from({ length: n }, (_, b) => -2.2 + (0.4 * b) / n + (b >= at ? jump : 0));
  const positives = Float64Array.from(truth, (e, b) => totals[b] / (1 + Math.exp(-e)));
  return { totals, positives, truth };
}

describe('fitBinnedLogitWithSteps', () => {
  it('keeps a level shift sharp under a strong penalty, where the smooth fit spreads it over many cells', () => {
    const { totals, positives, truth } = cells(64, 64_000, 0.8, 40);
    const ws = smoothWorkspace(64);
    const smooth = new Float64Array(64).fill(-2.2);
    fitBinnedLogit(positives, totals, 1e6, smooth, ws);
    const shifted = new Float64Array(64).fill(-2.2);
    fitBinnedLogitWithSteps(positives, totals, 1e6, shifted, ws, [40]);
    expect(shifted[40] - shifted[39] - 0.4 / 64).toBeCloseTo(0.8, 2); // the jump on top of the line
    expect(smooth[40] - smooth[39]).toBeLessThan(0.1);
    for (let b = 0; b < 64; b++) expect(shifted[b]).toBeCloseTo(truth[b], 2);
  });

  it('fits two shifts, and with a tiny penalty follows the per-cell log-odds like the smooth fit', () => {
    const { totals, positives } = cells(32, 32_000, -0.5, 8);
    for (let b = 24; b < 32; b++) positives[b] *= 1.6;
    const ws = smoothWorkspace(32);
    const smooth = new Float64Array(32).fill(-2);
    fitBinnedLogit(positives, totals, 1e-6, smooth, ws);
    const shifted = new Float64Array(32).fill(-2);
    fitBinnedLogitWithSteps(positives, totals, 1e-6, shifted, ws, [8, 24]);
    for (let b = 0; b < 32; b++) expect(shifted[b]).toBeCloseTo(smooth[b], 3);
  });

  it('refuses no shift and more than two', () => {
    const ws = smoothWorkspace(8);
    const t = new Float64Array(8).fill(10);
    expect(() => fitBinnedLogitWithSteps(t, t, 1, new Float64Array(8), ws, [])).toThrow(RangeError);
    expect(() => fitBinnedLogitWithSteps(t, t, 1, new Float64Array(8), ws, [1, 2, 3])).toThrow(RangeError);
  });
});

describe('findSteps', () => {
  const options = { ...DEFAULT_FIT, steps: 2 };

  /** The smooth fit findSteps starts from, at a strong penalty. */
  function smoothFit(positives: Float64Array, totals: Float64Array, lambda: number) {
    const eta = new Float64Array(totals.length).fill(-2.2);
    fitBinnedLogit(positives, totals, lambda, eta, smoothWorkspace(totals.length));
    return eta;
  }

  it('finds a planted shift at its cell, and a second one', () => {
    const { totals, positives } = cells(128, 128_000, 0.6, 100);
    for (let b = 0; b < 20; b++) positives[b] *= 0.6;
    const eta = smoothFit(positives, totals, 1e5);
    const taus = findSteps(positives, totals, eta, 1e5, smoothWorkspace(128), 128_000, options);
    expect(taus).toEqual([20, 100]);
    // The shape with the shifts fits the counts better than the smooth one at the same penalty.
    const shifted = eta.slice();
    fitBinnedLogitWithSteps(positives, totals, 1e5, shifted, smoothWorkspace(128), taus);
    expect(penalisedObjective(positives, totals, 0, shifted)).toBeLessThan(
      penalisedObjective(positives, totals, 0, eta),
    );
  });

  it('finds none where the log-odds are smooth, nor where the threshold is not reached', () => {
    const { totals, positives } = cells(128, 128_000, 0, 0);
    const eta = smoothFit(positives, totals, 1e5);
    expect(findSteps(positives, totals, eta, 1e5, smoothWorkspace(128), 128_000, options)).toEqual([]);
    const weak = cells(128, 128_000, 0.6, 100);
    const weakEta = smoothFit(weak.positives, weak.totals, 1e5);
    const strict = { ...options, stepThreshold: 1e9 };
    expect(
      findSteps(weak.positives, weak.totals, weakEta, 1e5, smoothWorkspace(128), 128_000, strict),
    ).toEqual([]);
  });

  it('leaves at least stepMinShare of the rows on each side, and none with steps: 0', () => {
    const { totals, positives } = cells(128, 128_000, 0.6, 126);
    const eta = smoothFit(positives, totals, 1e5);
    const ws = smoothWorkspace(128);
    expect(findSteps(positives, totals, eta, 1e5, ws, 128_000, { ...options, stepMinShare: 0.05 })).toEqual(
      [],
    );
    expect(findSteps(positives, totals, eta, 1e5, ws, 128_000, { ...options, stepMinShare: 0 })).toEqual([
      126,
    ]);
    expect(findSteps(positives, totals, eta, 1e5, ws, 128_000, { ...options, steps: 0 })).toEqual([]);
  });
});
