import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '../../src/core/schema';
import { publishedFigures, REAL_CLASS_ROWS, standardErrors } from '../synth/compare';
import { normalCdf } from '../synth/normal';
import { buildRealisticSpec, referenceFigures } from '../synth/spec';
import {
  fitSinhArcsinh,
  type SinhArcsinh,
  sinhArcsinhLogDensity,
  sinhArcsinhLogOdds,
  sinhArcsinhRows,
  sinhArcsinhSpec,
  sinhArcsinhValue,
} from './sinh-arcsinh';

/** The CDF in closed form (Jones & Pewsey): Phi(sinh(tail * asinh(y) - skew)), y = (x - location) / scale. */
const cdf = (d: SinhArcsinh, x: number) =>
  normalCdf(Math.sinh(d.tail * Math.asinh((x - d.location) / d.scale) - d.skew));

/** Mean and sd of a density by the midpoint rule on its quantile function (z-grid). */
function momentsOf(d: SinhArcsinh): { mean: number; sd: number } {
  const cells = 8000;
  const dz = 24 / cells;
  let first = 0;
  let second = 0;
  for (let g = 0; g < cells; g++) {
    const z = -12 + (g + 0.5) * dz;
    const w = (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * dz;
    const x = sinhArcsinhValue(d, z);
    first += w * x;
    second += w * x * x;
  }
  return { mean: first, sd: Math.sqrt(second - first * first) };
}

describe('the sinh-arcsinh fixture', () => {
  const spec = sinhArcsinhSpec(referenceFigures);
  const realistic = buildRealisticSpec();

  it("has each class's published mean and sd, and its quantiles within the published ones' sampling error", () => {
    const missed: string[] = [];
    spec.features.forEach((f, j) => {
      for (const cls of [0, 1] as const) {
        const d = cls === 0 ? f.class0 : f.class1;
        const want = publishedFigures(referenceFigures.features[j], cls);
        const { mean, sd } = momentsOf(d);
        // Two quadratures over z in [-12, 12] (the fit's and this one) agree to ~1e-9 sd on heavy tails.
        expect(Math.abs(mean - want.mean) / want.sd, `var_${j} class ${cls} mean`).toBeLessThan(1e-7);
        expect(Math.abs(sd - want.sd) / want.sd, `var_${j} class ${cls} sd`).toBeLessThan(1e-7);
        const q01 = cdf(d, want.q01);
        const q99 = cdf(d, want.q99);
        if (Math.abs(q01 - 0.01) < 1e-9 && Math.abs(q99 - 0.99) < 1e-9) continue;
        // Where the family cannot reach a quantile, its miss must stay inside the figure's own noise.
        const se = standardErrors(
          cls === 0 ? realistic.features[j].class0 : realistic.features[j].class1,
          REAL_CLASS_ROWS[cls],
        );
        const x01 = sinhArcsinhValue(d, -2.3263478740408408);
        const x99 = sinhArcsinhValue(d, 2.3263478740408408);
        expect(
          Math.abs(x01 - want.q01),
          `${f.class0 === d ? 'class 0' : 'class 1'} of var_${j}`,
        ).toBeLessThan(se.q01);
        expect(Math.abs(x99 - want.q99)).toBeLessThan(se.q99);
        missed.push(`var_${j} class ${cls}`);
      }
    });
    expect(missed).toEqual(['var_177 class 1']);
  });

  it('has a log density equal to the derivative of its closed-form CDF, and matching Bayes log-odds', () => {
    const d = fitSinhArcsinh(2, 1.5, -1.2, 6.5); // right-skewed, heavy right tail
    for (const x of [-1.5, 0, 2, 5, 9]) {
      const h = 1e-5;
      const numeric = (cdf(d, x + h) - cdf(d, x - h)) / (2 * h);
      expect(Math.exp(sinhArcsinhLogDensity(d, x))).toBeCloseTo(numeric, 7);
    }
    const rows = new Float32Array(2 * FEATURE_COUNT);
    spec.features.forEach((f, j) => {
      rows[j] = f.class0.location;
      rows[FEATURE_COUNT + j] = f.class1.location + f.class1.scale;
    });
    const got = sinhArcsinhLogOdds(spec, rows, 2);
    for (const r of [0, 1]) {
      let want = Math.log(spec.prior / (1 - spec.prior));
      spec.features.forEach((f, j) => {
        const x = rows[r * FEATURE_COUNT + j];
        want += sinhArcsinhLogDensity(f.class1, x) - sinhArcsinhLogDensity(f.class0, x);
      });
      expect(got[r]).toBeCloseTo(want, 9);
    }
  });

  it('draws rows whose values follow the densities (empirical CDF within 5 binomial standard errors)', () => {
    const rows = 20_000;
    const { features, targets } = sinhArcsinhRows(spec, rows, 3);
    expect(targets.reduce((a, b) => a + b, 0)).toBe(Math.round(rows * 0.10049));
    for (const j of [0, 81, 177]) {
      const d = spec.features[j].class0;
      const values = Array.from({ length: rows }, (_, r) => features[r * FEATURE_COUNT + j]).filter(
        (_, r) => targets[r] === 0,
      );
      for (const p of [0.05, 0.5, 0.95]) {
        const x = sinhArcsinhValue(d, -Math.sqrt(2) * inverseErfc(2 * p));
        const share = values.filter((v) => v <= x).length / values.length;
        expect(Math.abs(share - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / values.length));
      }
    }
  });
});

/** erfc^-1 by bisection (only for the three test levels). */
function inverseErfc(y: number): number {
  let lo = -6;
  let hi = 6;
  for (let i = 0; i < 100; i++) {
    const mid = 0.5 * (lo + hi);
    if (2 * normalCdf(-mid * Math.SQRT2) > y) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
