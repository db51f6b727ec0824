import { describe, expect, it } from 'vitest';
import {
  DriftAccumulator,
  MIN_DRIFT_ROWS,
  PSI_MOVED,
  PSI_SHIFTED,
  describeDrift,
  psi,
  psiNoiseFloor,
} from './drift';
import { QUANTILE_LEVELS } from './model-card';
import { mulberry32 as rng } from './random';
import { FEATURE_COUNT, FEATURE_NAMES } from './schema';

/** Per-feature location and scale, and a shape family so not every feature is Gaussian. */
const spec = Array.from({ length: FEATURE_COUNT }, (_, j) => ({
  mean: ((j * 37) % 23) - 11,
  std: 1 + ((j * 13) % 7),
  family: j % 3, // 0 normal, 1 two-component mixture, 2 skewed (exponential)
}));

/** Rows drawn from `spec`, values rounded to 4 decimals like the real files; `shift[j]` adds that many stds. */
function draw(rows: number, seed: number, shift: Record<number, number> = {}): Float32Array {
  const u = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const out = new Float32Array(rows * FEATURE_COUNT);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < FEATURE_COUNT; j++) {
      const { mean, std, family } = spec[j];
      let z: number;
      if (family === 0) z = normal();
      else if (family === 1) z = (u() < 0.3 ? -1.5 : 0.7) + 0.5 * normal();
      else z = -Math.log(1 - u()) - 1;
      const x = mean + std * (z + (shift[j] ?? 0));
      out[r * FEATURE_COUNT + j] = Math.fround(Math.round(x * 1e4) / 1e4);
    }
  }
  return out;
}

/** Card-style quantiles (linear interpolation between order statistics) at QUANTILE_LEVELS. */
function quantilesOf(features: Float32Array, rows: number) {
  return FEATURE_NAMES.map((name, j) => {
    const col = new Float64Array(rows);
    for (let r = 0; r < rows; r++) col[r] = features[r * FEATURE_COUNT + j];
    col.sort();
    const quantiles = QUANTILE_LEVELS.map((level) => {
      const pos = level * (rows - 1);
      const lo = Math.floor(pos);
      const hi = Math.min(rows - 1, lo + 1);
      return col[lo] + (col[hi] - col[lo]) * (pos - lo);
    });
    return { name, quantiles };
  });
}

const trainRows = 20_000;
const card = quantilesOf(draw(trainRows, 1), trainRows);

function check(features: Float32Array, rows: number, batch = 4096, cardFeatures = card) {
  const acc = new DriftAccumulator(cardFeatures);
  for (let at = 0; at < rows; at += batch) {
    const n = Math.min(batch, rows - at);
    acc.add(features.subarray(at * FEATURE_COUNT, (at + n) * FEATURE_COUNT), n);
  }
  return acc.report();
}

describe('psi', () => {
  it('matches a hand-computed value and is zero for identical shares', () => {
    // (0.75 - 0.5) ln 1.5 + (0.25 - 0.5) ln 0.5
    expect(psi([0.5, 0.5], [75, 25])).toBeCloseTo(0.25 * Math.log(1.5) + 0.25 * Math.log(2), 12);
    expect(psi([0.1, 0.4, 0.5], [10, 40, 50])).toBe(0);
    expect(psi([0.5, 0.5], [0, 0])).toBeNaN();
  });

  it('charges an empty bin a finite cost', () => {
    const value = psi([0.5, 0.5], [100, 0]);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(PSI_SHIFTED);
  });
});

describe('DriftAccumulator', () => {
  it('flags exactly the five features shifted by one standard deviation', () => {
    const shifted = [3, 41, 77, 150, 199];
    const rows = 5000;
    const report = check(draw(rows, 2, Object.fromEntries(shifted.map((j) => [j, 1]))), rows);
    expect(report.checked).toBe(true);
    expect(report.moved.map((d) => d.feature).sort((a, b) => a - b)).toEqual(shifted);
    for (const d of report.moved) {
      expect(d.level).toBe('shifted');
      expect(d.name).toBe(`var_${d.feature}`);
      // Shifted up: far fewer values than half sit below the training median.
      expect(d.belowTrainingMedian).toBeLessThan(0.3);
      expect(d.values).toBe(rows);
    }
    for (let k = 1; k < report.moved.length; k++)
      expect(report.moved[k - 1].psi).toBeGreaterThanOrEqual(report.moved[k].psi);
  });

  it('flags a downward shift too, and a half-std shift as at least moved', () => {
    const rows = 5000;
    const report = check(draw(rows, 3, { 10: -1, 20: 0.5 }), rows);
    expect(report.moved.map((d) => d.feature).sort((a, b) => a - b)).toEqual([10, 20]);
    const down = report.moved.find((d) => d.feature === 10)!;
    expect(down.belowTrainingMedian).toBeGreaterThan(0.7);
    expect(report.psi[20]).toBeGreaterThan(PSI_MOVED);
  });

  it('flags nothing on fresh undrifted samples, large and small', () => {
    for (const [rows, seed] of [
      [20_000, 4],
      [5000, 5],
      [500, 6],
      [MIN_DRIFT_ROWS, 7],
    ]) {
      const report = check(draw(rows, seed), rows);
      expect(report.checked).toBe(true);
      expect(report.moved).toEqual([]);
      expect(describeDrift(report)).toMatch(/^No feature differs/);
    }
  });

  it('gives the same result whatever the batch sizes', () => {
    const rows = 3000;
    const data = draw(rows, 8, { 0: 1 });
    const whole = check(data, rows, rows);
    for (const batch of [1, 7, 1000]) {
      const parts = check(data, rows, batch);
      expect(Array.from(parts.psi)).toEqual(Array.from(whole.psi));
      expect(parts.moved).toEqual(whole.moved);
    }
  });

  it('leaves missing and infinite cells out of the counts', () => {
    const rows = 2000;
    const data = draw(rows, 9);
    const clean = check(data, rows);
    for (let r = 0; r < rows; r += 3) data[r * FEATURE_COUNT + 5] = NaN;
    for (let r = 1; r < rows; r += 50) data[r * FEATURE_COUNT + 6] = Infinity;
    const holed = check(data, rows);
    expect(holed.moved).toEqual([]);
    expect(holed.psi[7]).toBe(clean.psi[7]);
    expect(Number.isFinite(holed.psi[5])).toBe(true);
  });

  it('judges a mostly blank column on its own few values (no verdict on 100 values)', () => {
    const rows = 1000;
    const data = draw(rows, 10, { 12: 3 });
    for (let r = 100; r < rows; r++) data[r * FEATURE_COUNT + 12] = NaN;
    const report = check(data, rows);
    expect(report.moved.map((d) => d.feature)).not.toContain(12);
    expect(report.unjudged).toBe(1);
    expect(describeDrift(report)).toMatch(
      /^Of the features with enough values, none differs .* 1 feature has fewer than 200 values in this file/,
    );
  });

  it('does not call a file undrifted when half its features have no values, but says they were not judged', () => {
    const rows = 1000;
    const data = draw(rows, 13);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < FEATURE_COUNT; j += 2) data[r * FEATURE_COUNT + j] = NaN;
    const report = check(data, rows);
    expect(report.checked).toBe(true);
    expect(report.unjudged).toBe(FEATURE_COUNT / 2);
    expect(describeDrift(report)).not.toMatch(/^No feature differs/);
    expect(describeDrift(report)).toContain('100 features have fewer than 200 values in this file');
  });

  it('gives no verdict below the minimum row count, saying why', () => {
    const rows = MIN_DRIFT_ROWS - 1;
    const report = check(draw(rows, 11, { 0: 5 }), rows);
    expect(report.checked).toBe(false);
    expect(report.moved).toEqual([]);
    expect(describeDrift(report)).toContain(`too few rows to judge drift (${rows}`);
  });

  it('gives no verdict when the card holds no usable quantiles', () => {
    const rows = 1000;
    const broken = card.map((f) => ({ ...f, quantiles: [] as number[] }));
    const report = check(draw(rows, 12), rows, 4096, broken);
    expect(report.checked).toBe(false);
    expect(report.reason).toContain('no training quantiles');
  });

  it('matches card features by name, not position', () => {
    const rows = 3000;
    const data = draw(rows, 13, { 42: 1 });
    const reversed = check(data, rows, 4096, [...card].reverse());
    expect(reversed.moved.map((d) => d.feature)).toEqual([42]);
  });

  it('handles tied quantiles (a discrete feature) without false drift', () => {
    // Feature 0 takes three values only: most card quantiles coincide.
    const rows = 5000;
    const make = (seed: number) => {
      const u = rng(seed);
      const data = draw(rows, seed);
      for (let r = 0; r < rows; r++) {
        const v = u();
        // Class boundaries (55%, 85%) sit between card levels, so no quantile is interpolated across values.
        data[r * FEATURE_COUNT] = v < 0.55 ? 0 : v < 0.85 ? 1 : 2;
      }
      return data;
    };
    const discreteCard = quantilesOf(make(20), rows);
    expect(new Set(discreteCard[0].quantiles).size).toBeLessThan(5);
    const same = check(make(21), rows, 4096, discreteCard);
    // The card only knows the 55% boundary lies between its 0.5 and 0.6 levels: that costs about 0.02, not 0.1.
    expect(same.psi[0]).toBeLessThan(PSI_MOVED / 2);
    expect(same.moved).toEqual([]);
    // Moving mass from 0 to 2 is seen.
    const moved = make(22);
    for (let r = 0; r < rows; r += 2) if (moved[r * FEATURE_COUNT] === 0) moved[r * FEATURE_COUNT] = 2;
    expect(check(moved, rows, 4096, discreteCard).moved.map((d) => d.feature)).toEqual([0]);
  });

  it('counts every finite value in the bin a binary search over the distinct quantiles gives', () => {
    // More rows than one block of the counting kernel; values on the edges, outside them, and not finite.
    const rows = 2500;
    const data = draw(rows, 30);
    const u = rng(31);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < FEATURE_COUNT; j += 1 + Math.floor(u() * 5)) {
        const q = card[j].quantiles;
        const pick = u();
        data[r * FEATURE_COUNT + j] =
          pick < 0.4
            ? q[Math.floor(u() * q.length)] // exactly a quantile (as float32: maybe just beside it)
            : pick < 0.6
              ? q[0] - 1 - u() * 100
              : pick < 0.8
                ? q[q.length - 1] + u() * 100
                : [NaN, Infinity, -Infinity, -0][Math.floor(u() * 4)];
      }
    }
    const acc = new DriftAccumulator(card);
    acc.add(data, rows);
    const counts = (acc as unknown as { counts: Uint32Array }).counts;
    const bins = QUANTILE_LEVELS.length - 1;
    const expected = new Uint32Array(FEATURE_COUNT * bins);
    for (let j = 0; j < FEATURE_COUNT; j++) {
      const interior = card[j].quantiles.slice(1, -1);
      const edges = interior.filter((e, k) => k === 0 || e > interior[k - 1]);
      for (let r = 0; r < rows; r++) {
        const x = data[r * FEATURE_COUNT + j];
        if (!Number.isFinite(x)) continue;
        expected[j * bins + edges.filter((e) => e <= x).length]++;
      }
    }
    expect(Array.from(counts)).toEqual(Array.from(expected));
  });

  it('counts a value on a card whose edges are too close for its grid (a hand-made card) instead of failing', () => {
    // 1024 / 1e-310 is Infinity: (0 - 0) * Infinity is NaN, which goes to the first grid cell, where edges decide.
    const tight = [{ name: 'var_0', quantiles: [...Array<number>(13).fill(0), 1e-310, 1e-310] }];
    const acc = new DriftAccumulator(tight);
    acc.add(new Float32Array(FEATURE_COUNT), 1);
    const counts = (acc as unknown as { counts: Uint32Array }).counts;
    expect(Array.from(counts.subarray(0, 3))).toEqual([0, 1, 0]);
  });

  it('refuses a features array shorter than the row count says', () => {
    const acc = new DriftAccumulator(card);
    expect(() => acc.add(new Float32Array(FEATURE_COUNT), 2)).toThrow(RangeError);
  });
});

describe('psiNoiseFloor', () => {
  it('drops below the 0.1 convention from 750 values', () => {
    expect(psiNoiseFloor(700)).toBeGreaterThan(PSI_MOVED);
    expect(psiNoiseFloor(760)).toBeLessThan(PSI_MOVED);
    expect(psiNoiseFloor(0)).toBe(Infinity);
  });
});

describe('describeDrift', () => {
  it('lists the moved features with their PSI', () => {
    const rows = 3000;
    const text = describeDrift(check(draw(rows, 14, { 8: 1 }), rows));
    expect(text).toMatch(/^1 feature differs from the training data: var_8 \(PSI \d+\.\d\d, shifted\)\./);
  });
});
