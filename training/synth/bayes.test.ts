import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '../../src/core/schema';
import { bayesLogOdds } from './bayes';
import type { Mixture } from './mixture';
import { buildRealisticSpec, buildSpec, type SynthSpec } from './spec';

/** Density of a mixture written out directly, without log-sum-exp; times its piece's factor when piecewise. */
function density(m: Mixture, x: number): number {
  const plain = m.weights.reduce(
    (sum, w, i) =>
      sum + (w * Math.exp(-0.5 * ((x - m.means[i]) / m.sds[i]) ** 2)) / (m.sds[i] * Math.sqrt(2 * Math.PI)),
    0,
  );
  const breaks = m.breaks ?? [];
  const piece = breaks.filter((b) => x > b).length;
  return plain * (m.factors?.[piece] ?? 1);
}

describe.each([
  ['shapes', buildSpec(1)],
  ['realistic', buildRealisticSpec()],
] as const)('bayesLogOdds of the %s kind', (_, spec: SynthSpec) => {
  it('equals log prior odds + log p1(x) / p0(x) computed directly for one feature', () => {
    // A spec where only feature j carries information: the others' classes are made equal.
    for (const j of [0, 17, 81, 120]) {
      const single: SynthSpec = structuredClone(spec);
      single.features.forEach((f, k) => {
        if (k !== j) f.class1 = f.class0;
      });
      const f = spec.features[j];
      // Both tails (beyond a piecewise density's breaks) and the bulk.
      const xs = [
        f.class0.means[0] - 3 * f.class0.sds[0],
        f.class0.means[0] - 2 * f.class0.sds[0],
        f.class0.means[0],
        f.class1.means.at(-1)! + 0.3,
        f.class1.means.at(-1)! + 4 * f.class1.sds.at(-1)!,
      ];
      const rows = new Float32Array(xs.length * FEATURE_COUNT).fill(1);
      xs.forEach((x, r) => (rows[r * FEATURE_COUNT + j] = x));
      const got = bayesLogOdds(single, rows, xs.length);
      xs.forEach((x, r) => {
        const v = Math.fround(x);
        const want =
          Math.log(spec.prior / (1 - spec.prior)) + Math.log(density(f.class1, v) / density(f.class0, v));
        expect(got[r]).toBeCloseTo(want, 10);
      });
    }
  });

  it('is the sum of the per-feature terms and finite far out in the tails', () => {
    const rows = new Float32Array(FEATURE_COUNT);
    spec.features.forEach((f, j) => (rows[j] = f.class0.means[0] + 40 * f.class0.sds[0]));
    const [value] = bayesLogOdds(spec, rows, 1);
    expect(Number.isFinite(value)).toBe(true);
    expect(() => bayesLogOdds(spec, rows, 2)).toThrow(RangeError);
  });
});
