/**
 * The realistic kind's densities: per feature and class, a density with the real data's per-class mean, sd and
 * 1%/99% quantiles (training/data/reference-figures.json), so the direction, size and skew of every feature's
 * class difference come from the real data.
 *
 * Four figures per class do not pin a density down, and how the gaps are filled decides how much signal the
 * rows carry: two-component mixtures fitted to each class on its own put differences in the bulk that no
 * figure asks for (their Bayes-optimal AUC over the 200 features is about 0.914; a Gaussian per class, which
 * ignores the quantiles, gives 0.890). So the positives' density is the negatives' changed as little as the
 * figures allow: the one closest to it in Kullback-Leibler divergence among those with the positives' mean,
 * sd and 1%/99% quantiles. That density is p0(x) exp(a x - b x^2 / 2 + c_i) with c_i constant on each of
 * (-inf, q01], (q01, q99], (q99, inf): a tilted Gaussian mixture (still a mixture) scaled piecewise, whose log
 * density ratio is a quadratic with steps at the positives' 1% and 99% points. Its Bayes-optimal AUC over
 * the 200 features is about 0.895.
 */
import { FEATURE_NAMES } from '../../src/core/schema';
import type { FeatureFigures } from './figures';
import { affine, type Mixture, moments, normalMass } from './mixture';
import { fitBase, singleFeatureAuc, tilt } from './shapes';

/** The quantile levels the published per-class figures give. */
export const LOW_LEVEL = 0.01;
const HIGH_LEVEL = 0.99;

/** One feature of a realistic spec: its densities in real units and the single-feature Bayes-optimal AUC. */
export interface RealisticFeature {
  name: string;
  /** AUC of the feature's own density ratio on rows of this feature alone: its Bayes-optimal AUC. */
  auc: number;
  class0: Mixture;
  class1: Mixture;
}

/**
 * `m` scaled on (-inf, low], (low, high], (high, inf) so that P(X <= low) = LOW_LEVEL and
 * P(X > high) = 1 - HIGH_LEVEL exactly.
 */
function withQuantiles(m: Mixture, low: number, high: number): Mixture {
  let below = 0;
  let above = 0;
  m.weights.forEach((w, i) => {
    below += w * normalMass(m.means[i], m.sds[i], -Infinity, low);
    above += w * normalMass(m.means[i], m.sds[i], high, Infinity);
  });
  const middle = 1 - below - above;
  return {
    ...m,
    breaks: [low, high],
    factors: [LOW_LEVEL / below, (HIGH_LEVEL - LOW_LEVEL) / middle, (1 - HIGH_LEVEL) / above],
  };
}

/** Everything the solver needs about one class, in the negatives' standard units. */
interface Target {
  mean: number;
  sd: number;
  low: number;
  high: number;
}

/**
 * The least-information change of `base` with the target's mean, sd and quantiles: tilt(base, a, b) scaled
 * piecewise. The piecewise factors follow from the quantiles in closed form; (a, b) are found by damped
 * Newton steps on the mean and sd, from the values that are exact when base is a standard Gaussian.
 */
export function matchFigures(base: Mixture, target: Target): Mixture {
  const candidate = (a: number, b: number): Mixture | null => {
    try {
      return withQuantiles(tilt(base, a, b), target.low, target.high);
    } catch {
      return null; // b leaves some component without a finite variance
    }
  };
  const residual = (m: Mixture | null): number[] | null => {
    if (!m) return null;
    const { mean, sd } = moments(m);
    const r = [mean - target.mean, sd - target.sd];
    return r.every(Number.isFinite) ? r : null;
  };
  const size = (r: number[]): number => Math.hypot(r[0], r[1]);
  let a = target.mean / target.sd ** 2;
  let b = 1 / target.sd ** 2 - 1;
  let r = residual(candidate(a, b));
  if (!r) throw new Error('matchFigures: the starting tilt is not a density');
  for (let it = 0; it < 100 && size(r) > 1e-12; it++) {
    const h = 1e-7;
    const ra = residual(candidate(a + h, b));
    const rb = residual(candidate(a, b + h));
    if (!ra || !rb) break;
    const j = [
      [(ra[0] - r[0]) / h, (rb[0] - r[0]) / h],
      [(ra[1] - r[1]) / h, (rb[1] - r[1]) / h],
    ];
    const det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
    const da = -(j[1][1] * r[0] - j[0][1] * r[1]) / det;
    const db = -(-j[1][0] * r[0] + j[0][0] * r[1]) / det;
    let step = 1;
    for (; step > 1e-6; step /= 2) {
      const next = residual(candidate(a + step * da, b + step * db));
      if (next && size(next) < size(r)) {
        a += step * da;
        b += step * db;
        r = next;
        break;
      }
    }
    if (step <= 1e-6) break;
  }
  if (size(r) > 1e-9) {
    throw new Error(`matchFigures: no density found (mean and sd missed by ${size(r).toExponential(2)})`);
  }
  return candidate(a, b)!;
}

/**
 * The two densities of one feature in real units. The negatives: a two-component mixture fitted to their
 * 1%/99% quantiles in standard units (within 0.0005 sd for every feature) and mapped to their mean and sd
 * exactly. The positives: matchFigures of the negatives' density, so their mean, sd and both quantiles are
 * exact.
 */
export function realisticFeature(j: number, f: FeatureFigures): RealisticFeature {
  const base = fitBase(
    (f.q01Class0 - f.meanClass0) / f.stdClass0,
    (f.q99Class0 - f.meanClass0) / f.stdClass0,
  );
  const toStandard = (x: number): number => (x - f.meanClass0) / f.stdClass0;
  const class1 = matchFigures(base, {
    mean: toStandard(f.meanClass1),
    sd: f.stdClass1 / f.stdClass0,
    low: toStandard(f.q01Class1),
    high: toStandard(f.q99Class1),
  });
  const p0 = affine(base, f.stdClass0, f.meanClass0);
  const p1 = affine(class1, f.stdClass0, f.meanClass0);
  // 4,000 cells: the steps of the ratio fall inside a cell, and a finer grid moves the AUC by < 1e-4.
  return { name: FEATURE_NAMES[j], auc: singleFeatureAuc(p0, p1, 4000), class0: p0, class1: p1 };
}
