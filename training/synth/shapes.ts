/**
 * The per-feature shapes: a base density fitted to the real feature's 1%/99% quantiles, and the families
 * by which the positives' density differs from the negatives'. All in standard units (mean 0, sd 1).
 */
import { blend, gaussian, isPiecewise, type Mixture, mixtureQuantile, pieces } from './mixture';
import type { Rng } from './prng';

/** How the positives' density differs from the negatives' for one feature. */
export type Family = 'shift' | 'scale' | 'bump' | 'multimodal' | 'skew';

/** All families, in the order of FAMILY_WEIGHTS. */
export const FAMILIES: readonly Family[] = ['shift', 'scale', 'bump', 'multimodal', 'skew'];

/**
 * How often each family is drawn. Shifts and scale changes are what Gaussian naive Bayes models well; the
 * others (narrow bumps, interleaved modes, one-sided tails) are what make a model's per-feature shape matter.
 * Chosen by measurement (training/cli/measure-synth.ts) so Gaussian NB lands near 0.96-0.97 of Bayes-optimal.
 */
const FAMILY_WEIGHTS: readonly number[] = [0.3, 0.35, 0.07, 0.07, 0.21];

/** Largest strength per family: beyond it the shape stops looking like a plausible bank feature. */
const MAX_STRENGTH: Record<Family, number> = {
  shift: 1.2,
  scale: 0.6,
  bump: 0.5,
  multimodal: 0.6,
  skew: 0.5,
};

/** A drawn family with its fixed parameters; the strength is set later to reach an AUC. */
export interface ShapeDraw {
  family: Family;
  /** +1 or -1: the direction of the shift, the tilt, the side of the tail. */
  side: number;
  /** Family parameters in standard units (see makePair). */
  params: number[];
}

/** A two-component mixture with mean 0 and sd 1: weight w at -(1-w)d and 1-w at wd, equal sds. */
function twoComponent(w: number, d: number): Mixture {
  const sd = Math.sqrt(1 - w * (1 - w) * d * d);
  return { weights: [w, 1 - w], means: [-(1 - w) * d, w * d], sds: [sd, sd] };
}

/**
 * The base density of a feature in standard units: a two-component mixture whose 1% and 99% quantiles come
 * closest to the real ones (real features are lighter-tailed than a Gaussian and often skewed).
 */
export function fitBase(q01: number, q99: number): Mixture {
  const loss = (w: number, d: number): number => {
    if (w * (1 - w) * d * d > 1 - 0.3 * 0.3) return Infinity; // components no narrower than 0.3 sd
    const m = twoComponent(w, d);
    const a = mixtureQuantile(m, 0.01) - q01;
    const b = mixtureQuantile(m, 0.99) - q99;
    return a * a + b * b;
  };
  let bestW = 0.5;
  let bestD = 0;
  let best = loss(bestW, bestD);
  for (let w = 0.05; w < 0.96; w += 0.05) {
    for (let d = 0; d < 4; d += 0.2) {
      const l = loss(w, d);
      if (l < best) [best, bestW, bestD] = [l, w, d];
    }
  }
  // Pattern search around the best grid point.
  let stepW = 0.025;
  let stepD = 0.1;
  while (stepW > 1e-4) {
    let moved = false;
    for (const [dw, dd] of [
      [stepW, 0],
      [-stepW, 0],
      [0, stepD],
      [0, -stepD],
    ]) {
      const w = bestW + dw;
      const d = bestD + dd;
      if (w <= 0.01 || w >= 0.99 || d < 0) continue;
      const l = loss(w, d);
      if (l < best) {
        [best, bestW, bestD] = [l, w, d];
        moved = true;
      }
    }
    if (!moved) {
      stepW /= 2;
      stepD /= 2;
    }
  }
  return twoComponent(bestW, bestD);
}

/**
 * Draws a family and its parameters for one feature. `hint` is the sign of the real class difference
 * (positives' quantiles minus negatives'), followed when it is clear so directions look like the real data.
 */
export function drawShape(rng: Rng, hint: number): ShapeDraw {
  const family = FAMILIES[rng.pick(FAMILY_WEIGHTS)];
  // A fixed number of draws whatever the family, so the families of later features do not depend on it.
  const u = Array.from({ length: 5 }, () => rng.uniform());
  const side = hint !== 0 ? Math.sign(hint) : u[0] < 0.5 ? -1 : 1;
  switch (family) {
    case 'shift':
      return { family, side, params: [] };
    case 'scale':
      // [wider (1) or narrower (0), linear tilt per unit of strength]: log p1/p0 is quadratic.
      return { family, side, params: [u[1] < 0.6 ? 1 : 0, 0.5 * u[2]] };
    case 'bump':
      // [centre, width]: positives have an extra narrow component somewhere in the bulk.
      return { family, side, params: [-1.6 + 3.2 * u[1], 0.12 + 0.18 * u[2]] };
    case 'multimodal': {
      // [modes per class (2 or 3), spacing, width, centre]: interleaved modes, negatives on one set.
      const k = u[1] < 0.5 ? 2 : 3;
      const centre = -0.6 + 1.2 * u[4];
      // The outermost mode stays inside +-1.9 sd: modes out in the tails would move the 1%/99% quantiles.
      const spacing = Math.min(0.6 + 0.4 * u[2], (1.9 - Math.abs(centre)) / (k - 0.5));
      return { family, side, params: [k, spacing, 0.15 + 0.15 * u[3], centre] };
    }
    case 'skew':
      // [tail centre, tail width]: positives have a heavier tail on one side.
      return { family, side, params: [1 + 1.2 * u[1], 0.4 + 0.5 * u[2]] };
  }
}

/**
 * The mixture m(x) * exp(a x - b x^2 / 2), normalised: still a Gaussian mixture, and its log-ratio to m is
 * exactly linear (b = 0) or quadratic in x. On a Gaussian m this is a plain shift by a, or a change of scale.
 */
export function tilt(m: Mixture, a: number, b: number): Mixture {
  const out: Mixture = { weights: [], means: [], sds: [] };
  const logWeights: number[] = [];
  m.weights.forEach((w, i) => {
    const precision = 1 / (m.sds[i] * m.sds[i]);
    const tilted = precision + b;
    if (!(tilted > 0)) throw new RangeError(`tilt: b = ${b} leaves no finite variance`);
    const mean = (m.means[i] * precision + a) / tilted;
    out.means.push(mean);
    out.sds.push(1 / Math.sqrt(tilted));
    logWeights.push(
      Math.log(w) +
        0.5 * Math.log(precision / tilted) +
        0.5 * (mean * mean * tilted - m.means[i] * m.means[i] * precision),
    );
  });
  const top = Math.max(...logWeights);
  const raw = logWeights.map((l) => Math.exp(l - top));
  const total = raw.reduce((x, y) => x + y, 0);
  out.weights = raw.map((r) => r / total);
  return out;
}

/** The negatives' and positives' densities in standard units for a drawn shape at a strength. */
export function makePair(base: Mixture, shape: ShapeDraw, strength: number): { p0: Mixture; p1: Mixture } {
  const { side, params } = shape;
  switch (shape.family) {
    case 'shift':
      return { p0: base, p1: tilt(base, side * strength, 0) };
    case 'scale':
      return {
        p0: base,
        p1: tilt(base, side * params[1] * strength, params[0] === 1 ? -strength : strength),
      };
    case 'bump':
      return { p0: base, p1: blend(base, gaussian(params[0], params[1]), strength) };
    case 'multimodal': {
      const [k, spacing, width, centre] = params;
      const modes = (offset: number): Mixture => {
        const m: Mixture = { weights: [], means: [], sds: [] };
        for (let i = 0; i < k; i++) {
          m.weights.push(1 / k);
          m.means.push(centre + spacing * (2 * i + offset - (2 * k - 1) / 2));
          m.sds.push(width);
        }
        return m;
      };
      const even = modes(0);
      const odd = modes(1);
      return {
        p0: blend(base, side > 0 ? even : odd, strength),
        p1: blend(base, side > 0 ? odd : even, strength),
      };
    }
    case 'skew':
      return { p0: base, p1: blend(base, gaussian(side * params[0], params[1]), strength) };
  }
}

/** Largest strength of a drawn shape on a base (a wider scale must keep every component's variance finite). */
function maxStrength(base: Mixture, shape: ShapeDraw): number {
  if (shape.family === 'scale' && shape.params[0] === 1) {
    const narrowest = Math.min(...base.sds);
    return Math.min(MAX_STRENGTH.scale, 0.8 / (narrowest * narrowest));
  }
  return MAX_STRENGTH[shape.family];
}

function densityGrid(m: Mixture, xs: Float64Array, out: Float64Array): void {
  out.fill(0);
  m.weights.forEach((w, i) => {
    const mu = m.means[i];
    const inv = 1 / m.sds[i];
    const scale = (w * inv) / Math.sqrt(2 * Math.PI);
    for (let g = 0; g < xs.length; g++) {
      const z = (xs[g] - mu) * inv;
      if (z > -9 && z < 9) out[g] += scale * Math.exp(-0.5 * z * z);
    }
  });
  if (isPiecewise(m)) {
    for (const { low, high, factor } of pieces(m)) {
      for (let g = 0; g < xs.length; g++) if (xs[g] > low && xs[g] <= high) out[g] *= factor;
    }
  }
}

/**
 * The AUC of the Bayes-optimal score of one feature (its density ratio), by integration on a fine grid:
 * cells are ranked by p1/p0 and the ROC is summed cell by cell.
 */
export function singleFeatureAuc(p0: Mixture, p1: Mixture, cells = 1600): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of [p0, p1]) {
    m.means.forEach((mu, i) => {
      lo = Math.min(lo, mu - 7 * m.sds[i]);
      hi = Math.max(hi, mu + 7 * m.sds[i]);
    });
  }
  const dx = (hi - lo) / cells;
  const xs = new Float64Array(cells);
  for (let g = 0; g < cells; g++) xs[g] = lo + (g + 0.5) * dx;
  const a = new Float64Array(cells);
  const b = new Float64Array(cells);
  densityGrid(p0, xs, a);
  densityGrid(p1, xs, b);
  const order = Array.from({ length: cells }, (_, g) => g).sort((i, j) => b[i] * a[j] - b[j] * a[i]);
  // Ascending ratio: each cell's positives outrank the negatives already summed.
  let totalA = 0;
  let totalB = 0;
  for (let g = 0; g < cells; g++) {
    totalA += a[g];
    totalB += b[g];
  }
  let below = 0;
  let sum = 0;
  for (const g of order) {
    sum += b[g] * (below + 0.5 * a[g]);
    below += a[g];
  }
  return sum / (totalA * totalB);
}

/** The strength (0..max) at which the shape's single-feature AUC reaches the target, by bisection. */
export function calibrateStrength(base: Mixture, shape: ShapeDraw, targetAuc: number): number {
  if (targetAuc <= 0.5) return 0;
  const top = maxStrength(base, shape);
  const aucAt = (s: number): number => {
    const { p0, p1 } = makePair(base, shape, s);
    return singleFeatureAuc(p0, p1);
  };
  if (aucAt(top) <= targetAuc) return top;
  let lo = 0;
  let hi = top;
  for (let it = 0; it < 22; it++) {
    const mid = 0.5 * (lo + hi);
    if (aucAt(mid) < targetAuc) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
