import { describe, expect, it } from 'vitest';
import {
  bonferroniZ,
  densityFigures,
  publishedFigures,
  sampleFigures,
  type Statistic,
  STATISTICS,
  standardErrors,
} from './compare';
import { gaussian, mixtureLogDensity, mixtureQuantile, moments, prepare } from './mixture';
import { LOW_LEVEL, matchFigures } from './realistic';
import { generate } from './sample';
import { buildRealisticSpec, referenceFigures } from './spec';

const spec = buildRealisticSpec();

describe('the realistic kind', () => {
  it('is the Gaussian itself when base and figures are Gaussian (the least change is a plain tilt)', () => {
    const mean = 0.3;
    const sd = 1.2;
    const z01 = mixtureQuantile(gaussian(0, 1), LOW_LEVEL);
    const m = matchFigures(gaussian(0, 1), { mean, sd, low: mean + sd * z01, high: mean - sd * z01 });
    m.factors!.forEach((f) => expect(f).toBeCloseTo(1, 8));
    const p = prepare(m);
    const want = prepare(gaussian(mean, sd));
    for (const x of [-3, -0.5, 0.3, 1, 4])
      expect(mixtureLogDensity(p, x)).toBeCloseTo(mixtureLogDensity(want, x), 7);
  });

  it("has each class's published mean, sd and 1%/99% quantiles", () => {
    spec.features.forEach((f, j) => {
      const published = referenceFigures.features[j];
      for (const cls of [0, 1] as const) {
        const want = publishedFigures(published, cls);
        const density = cls === 0 ? f.class0 : f.class1;
        const { mean, sd } = moments(density);
        const q01 = mixtureQuantile(density, 0.01);
        const q99 = mixtureQuantile(density, 0.99);
        const where = `${f.name} class ${cls}`;
        expect(Math.abs(mean - want.mean) / want.sd, `${where} mean`).toBeLessThan(1e-9);
        expect(Math.abs(sd - want.sd) / want.sd, `${where} sd`).toBeLessThan(1e-9);
        // The positives' quantiles are solved for exactly; the negatives' come from the two-component fit.
        const quantileTolerance = cls === 1 ? 1e-8 : 1e-3;
        expect(Math.abs(q01 - want.q01) / want.sd, `${where} q01`).toBeLessThan(quantileTolerance);
        expect(Math.abs(q99 - want.q99) / want.sd, `${where} q99`).toBeLessThan(quantileTolerance);
      }
    });
  });

  it("has a log density ratio that is quadratic with a step at each of the positives' 1% and 99% points", () => {
    for (const j of [0, 81, 146]) {
      const f = spec.features[j];
      const published = referenceFigures.features[j];
      const p0 = prepare(f.class0);
      const p1 = prepare(f.class1);
      const ratio = (x: number) => mixtureLogDensity(p1, x) - mixtureLogDensity(p0, x);
      const [low, high] = [published.q01Class1, published.q99Class1];
      // A quadratic through three inner points, then the gaps to it everywhere else.
      const xs = [low + 0.2 * (high - low), 0.5 * (low + high), low + 0.8 * (high - low)];
      const ys = xs.map(ratio);
      const quadratic = (x: number) =>
        ys[0] * (((x - xs[1]) * (x - xs[2])) / ((xs[0] - xs[1]) * (xs[0] - xs[2]))) +
        ys[1] * (((x - xs[0]) * (x - xs[2])) / ((xs[1] - xs[0]) * (xs[1] - xs[2]))) +
        ys[2] * (((x - xs[0]) * (x - xs[1])) / ((xs[2] - xs[0]) * (xs[2] - xs[1])));
      const gap = (x: number) => ratio(x) - quadratic(x);
      const span = high - low;
      expect(Math.abs(gap(low + 0.05 * span)), f.name).toBeLessThan(1e-9);
      expect(Math.abs(gap(high - 0.05 * span)), f.name).toBeLessThan(1e-9);
      expect(gap(low - 0.3 * span), f.name).toBeCloseTo(gap(low - 0.05 * span), 9);
      expect(gap(high + 0.3 * span), f.name).toBeCloseTo(gap(high + 0.05 * span), 9);
      expect(Math.abs(gap(low - 0.05 * span)) + Math.abs(gap(high + 0.05 * span)), f.name).toBeGreaterThan(
        1e-3,
      );
    }
  });

  it('gives 200,000 rows whose per-class figures sit within their sampling error of the published ones', () => {
    const rows = 200_000;
    const checks = spec.features.length * 2 * STATISTICS.length;
    // Bonferroni over all 1,600 checks at a 0.1% family-wise risk: z = 4.98. The tolerance adds the density's
    // own distance from the figure (0 except the negatives' quantiles, < 0.001 sd; previous test).
    const z = bonferroniZ(checks, 0.001);
    // Standard errors from the realistic densities, whose figures are the published ones.
    const misses = (data: { features: Float32Array; targets: Uint8Array }): string[] => {
      const out: string[] = [];
      const generated = sampleFigures(data.features, data.targets, data.targets.length);
      spec.features.forEach((f, j) => {
        for (const cls of [0, 1] as const) {
          const density = cls === 0 ? spec.features[j].class0 : spec.features[j].class1;
          const got = generated[j][cls];
          const se = standardErrors(density, got.count);
          const exact = densityFigures(density);
          const want = publishedFigures(referenceFigures.features[j], cls);
          for (const s of STATISTICS as readonly Statistic[]) {
            const tolerance = Math.abs(exact[s] - want[s]) + z * se[s];
            if (Math.abs(got[s] - want[s]) > tolerance) out.push(`${f.name} class ${cls} ${s}`);
          }
        }
      });
      return out;
    };
    expect(misses(generate({ rows, seed: 1, kind: 'realistic' }))).toEqual([]);
    // The check has power: 50,000 rows of the shapes kind, whose class differences are invented, fail it widely.
    expect(misses(generate({ rows: 50_000, seed: 1, kind: 'shapes' })).length).toBeGreaterThan(100);
  });
});
