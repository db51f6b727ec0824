import { describe, expect, it } from 'vitest';
import {
  affine,
  blend,
  gaussian,
  type Mixture,
  mixtureCdf,
  mixtureLogDensity,
  mixtureQuantile,
  moments,
  prepare,
  totalMass,
} from './mixture';

/** A two-component mixture scaled down below -1 and up above 1.5, normalised so it integrates to 1. */
function piecewise(): Mixture {
  const m: Mixture = { weights: [0.3, 0.7], means: [-0.8, 0.5], sds: [0.6, 1.1], breaks: [-1, 1.5] };
  const raw = [0.5, 1, 1.8];
  const masses = [mixtureCdf(m, -1), mixtureCdf(m, 1.5) - mixtureCdf(m, -1), 1 - mixtureCdf(m, 1.5)];
  const total = raw.reduce((s, f, i) => s + f * masses[i], 0);
  return { ...m, factors: raw.map((f) => f / total) };
}

/** Density written out directly: the factor of x's interval times the plain mixture density. */
function directDensity(m: Mixture, x: number): number {
  let piece = 0;
  while (piece < (m.breaks?.length ?? 0) && x > m.breaks![piece]) piece++;
  const plain = m.weights.reduce(
    (s, w, i) =>
      s + (w * Math.exp(-0.5 * ((x - m.means[i]) / m.sds[i]) ** 2)) / (m.sds[i] * Math.sqrt(2 * Math.PI)),
    0,
  );
  return (m.factors?.[piece] ?? 1) * plain;
}

/** Integral of g(x) * density over [-15, 15] by the midpoint rule on a fine grid. */
function integrate(m: Mixture, g: (x: number) => number): number {
  const cells = 300_000;
  const dx = 30 / cells;
  let sum = 0;
  for (let k = 0; k < cells; k++) {
    const x = -15 + (k + 0.5) * dx;
    sum += g(x) * directDensity(m, x) * dx;
  }
  return sum;
}

describe('piecewise mixtures', () => {
  const m = piecewise();

  it('integrate to 1, with moments and CDF equal to direct integration', () => {
    expect(totalMass(m)).toBeCloseTo(1, 12);
    const mean = integrate(m, (x) => x);
    const sd = Math.sqrt(integrate(m, (x) => (x - mean) ** 2));
    expect(moments(m).mean).toBeCloseTo(mean, 7);
    expect(moments(m).sd).toBeCloseTo(sd, 7);
    for (const x of [-2, -1, 0.3, 1.5, 2.5]) {
      expect(mixtureCdf(m, x), `cdf(${x})`).toBeCloseTo(
        integrate(m, (v) => (v <= x ? 1 : 0)),
        4, // the midpoint rule is exact to ~1e-5 at a step of the integrand
      );
    }
  });

  it('give log densities with the factor of the right interval, breaks belonging to the left one', () => {
    const p = prepare(m);
    for (const x of [-3, -1, -0.999, 0, 1.5, 1.5001, 4]) {
      expect(mixtureLogDensity(p, x), `x = ${x}`).toBeCloseTo(Math.log(directDensity(m, x)), 12);
    }
    expect(mixtureLogDensity(p, -1)).toBeLessThan(mixtureLogDensity(p, -0.99999));
  });

  it('keep their quantiles through an affine map, and refuse what they cannot do', () => {
    const q = mixtureQuantile(m, 0.3);
    expect(mixtureCdf(m, q)).toBeCloseTo(0.3, 9);
    const moved = affine(m, 2, 3);
    expect(moved.breaks).toEqual([1, 6]);
    expect(mixtureQuantile(moved, 0.3)).toBeCloseTo(2 * q + 3, 8);
    expect(moments(moved).sd).toBeCloseTo(2 * moments(m).sd, 12);
    expect(() => affine(m, -1, 0)).toThrow(/positive scale/);
    expect(() => blend(m, gaussian(0, 1), 0.5)).toThrow(/piecewise/);
  });

  it('leave plain mixtures as they were', () => {
    const plain = blend(gaussian(0, 1), gaussian(2, 0.5), 0.25);
    expect(moments(plain).mean).toBeCloseTo(0.5, 12);
    expect(totalMass(plain)).toBeCloseTo(1, 12);
    expect(mixtureLogDensity(prepare(plain), 0.7)).toBeCloseTo(Math.log(directDensity(plain, 0.7)), 12);
  });
});
