import { describe, expect, it } from 'vitest';
import { gaussian, mixtureLogDensity, mixtureQuantile, prepare } from './mixture';
import { normalCdf } from './normal';
import { fitBase, singleFeatureAuc, tilt } from './shapes';

describe('shapes', () => {
  it('computes the single-feature AUC of a Gaussian shift as Phi(d / sqrt 2)', () => {
    for (const d of [0.1, 0.3, 1]) {
      expect(singleFeatureAuc(gaussian(0, 1), gaussian(d, 1))).toBeCloseTo(normalCdf(d / Math.SQRT2), 4);
    }
    // A scale change ranks by |x|: P(|X1| > |X0|) = 2 atan(r) / pi.
    expect(singleFeatureAuc(gaussian(0, 1), gaussian(0, 1.3))).toBeCloseTo((2 * Math.atan(1.3)) / Math.PI, 4);
  });

  it('tilts a mixture so that the log density ratio is exactly a x - b x^2 / 2 + const', () => {
    const base = fitBase(-2.1, 2.3);
    const [p0, p1] = [prepare(base), prepare(tilt(base, 0.4, -0.3))];
    const ratio = (x: number): number => mixtureLogDensity(p1, x) - mixtureLogDensity(p0, x);
    const c = ratio(0);
    for (const x of [-3, -1.2, 0.7, 2.5]) expect(ratio(x) - c).toBeCloseTo(0.4 * x + 0.15 * x * x, 9);
  });

  it('fits a base with mean 0, sd 1 and the requested 1% / 99% quantiles', () => {
    const base = fitBase(-2.25, 1.87);
    expect(mixtureQuantile(base, 0.01)).toBeCloseTo(-2.25, 2);
    expect(mixtureQuantile(base, 0.99)).toBeCloseTo(1.87, 2);
    const mean = base.weights.reduce((s, w, i) => s + w * base.means[i], 0);
    expect(mean).toBeCloseTo(0, 9);
  });
});
