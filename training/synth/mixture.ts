/**
 * Finite Gaussian mixtures on the real line, optionally scaled piecewise: the class-conditional densities of the
 * generator.
 */
import { LOG_SQRT_2PI, normalCdf } from './normal';

/**
 * A Gaussian mixture: component weights (summing to 1), means and standard deviations. With `breaks`
 * (ascending b_1 < ... < b_m) and `factors` (m + 1 positive numbers) the density is piecewise scaled:
 * factors[i] * sum_k weights[k] N(x; means[k], sds[k]) on the i-th interval (-inf, b_1], (b_1, b_2], ...,
 * (b_m, inf), with factors that make it integrate to 1. The realistic generator uses this to put a class's
 * 1%/99% quantiles where the real data has them (realistic.ts).
 */
export interface Mixture {
  weights: number[];
  means: number[];
  sds: number[];
  breaks?: number[];
  factors?: number[];
}

/** True when the mixture is scaled piecewise. */
export function isPiecewise(m: Mixture): boolean {
  return (m.breaks?.length ?? 0) > 0;
}

/** The intervals of a mixture's pieces as [low, high] pairs (one (-inf, inf) piece when not piecewise). */
export function pieces(m: Mixture): { low: number; high: number; factor: number }[] {
  const breaks = m.breaks ?? [];
  return Array.from({ length: breaks.length + 1 }, (_, i) => ({
    low: i === 0 ? -Infinity : breaks[i - 1],
    high: i === breaks.length ? Infinity : breaks[i],
    factor: m.factors?.[i] ?? 1,
  }));
}

/** P(low < X <= high) for X ~ N(mean, sd^2), from the nearer tail so far-out intervals keep their digits. */
export function normalMass(mean: number, sd: number, low: number, high: number): number {
  const a = (low - mean) / sd;
  const b = (high - mean) / sd;
  return a > 0 ? normalCdf(-a) - normalCdf(-b) : normalCdf(b) - normalCdf(a);
}

/** One Gaussian as a mixture. */
export function gaussian(mean: number, sd: number): Mixture {
  return { weights: [1], means: [mean], sds: [sd] };
}

/** (1 - share) * a + share * b, dropping zero-weight components; for mixtures that are not piecewise. */
export function blend(a: Mixture, b: Mixture, share: number): Mixture {
  if (isPiecewise(a) || isPiecewise(b)) throw new RangeError('blend: piecewise mixtures cannot be blended');
  const out: Mixture = { weights: [], means: [], sds: [] };
  const add = (m: Mixture, scale: number): void => {
    if (scale <= 0) return;
    m.weights.forEach((w, i) => {
      out.weights.push(w * scale);
      out.means.push(m.means[i]);
      out.sds.push(m.sds[i]);
    });
  };
  add(a, 1 - share);
  add(b, share);
  return out;
}

/** The mixture of x * scale + shift when x follows m (scale > 0 for a piecewise mixture). */
export function affine(m: Mixture, scale: number, shift: number): Mixture {
  const out: Mixture = {
    weights: [...m.weights],
    means: m.means.map((mu) => mu * scale + shift),
    sds: m.sds.map((s) => s * Math.abs(scale)),
  };
  if (isPiecewise(m)) {
    if (!(scale > 0)) throw new RangeError('affine: a piecewise mixture needs a positive scale');
    out.breaks = m.breaks!.map((b) => b * scale + shift);
    out.factors = [...m.factors!];
  }
  return out;
}

const density01 = (z: number): number => (Number.isFinite(z) ? Math.exp(-0.5 * z * z - LOG_SQRT_2PI) : 0);

/** Mean and standard deviation of a mixture (truncated-normal moments piece by piece when piecewise). */
export function moments(m: Mixture): { mean: number; sd: number } {
  let mean = 0;
  let second = 0;
  if (!isPiecewise(m)) {
    m.weights.forEach((w, i) => {
      mean += w * m.means[i];
      second += w * (m.sds[i] * m.sds[i] + m.means[i] * m.means[i]);
    });
  } else {
    for (const { low, high, factor } of pieces(m)) {
      m.weights.forEach((w, i) => {
        const mu = m.means[i];
        const sd = m.sds[i];
        const a = (low - mu) / sd;
        const b = (high - mu) / sd;
        const mass = normalMass(mu, sd, low, high);
        const da = density01(a);
        const db = density01(b);
        // E[Z; a < Z <= b] = phi(a) - phi(b); E[Z^2; a < Z <= b] = mass + a phi(a) - b phi(b).
        const z1 = da - db;
        const z2 = mass + (Number.isFinite(a) ? a * da : 0) - (Number.isFinite(b) ? b * db : 0);
        mean += factor * w * (mu * mass + sd * z1);
        second += factor * w * (mu * mu * mass + 2 * mu * sd * z1 + sd * sd * z2);
      });
    }
  }
  return { mean, sd: Math.sqrt(Math.max(second - mean * mean, 0)) };
}

/** P(X <= x). */
export function mixtureCdf(m: Mixture, x: number): number {
  let p = 0;
  if (!isPiecewise(m)) {
    m.weights.forEach((w, i) => (p += w * normalCdf((x - m.means[i]) / m.sds[i])));
    return p;
  }
  for (const { low, high, factor } of pieces(m)) {
    if (x <= low) break;
    const top = Math.min(x, high);
    m.weights.forEach((w, i) => (p += factor * w * normalMass(m.means[i], m.sds[i], low, top)));
  }
  return p;
}

/** Total probability of a piecewise mixture (1 for a valid one; used to check specs read from disk). */
export function totalMass(m: Mixture): number {
  return mixtureCdf(m, Infinity);
}

/** The level-quantile, by bisection (mixture CDFs have no closed-form inverse). */
export function mixtureQuantile(m: Mixture, level: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  m.means.forEach((mu, i) => {
    lo = Math.min(lo, mu - 10 * m.sds[i]);
    hi = Math.max(hi, mu + 10 * m.sds[i]);
  });
  for (let it = 0; it < 60 && hi - lo > 1e-10; it++) {
    const mid = 0.5 * (lo + hi);
    if (mixtureCdf(m, mid) < level) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Precomputed terms for fast log-densities: log w - log sd - log sqrt(2 pi), 1 / sd, and for a piecewise
 * mixture its breaks and log factors.
 */
export interface PreparedMixture {
  count: number;
  logScale: Float64Array;
  means: Float64Array;
  invSds: Float64Array;
  breaks: Float64Array;
  logFactors: Float64Array;
}

/** Prepares a mixture for mixtureLogDensity. */
export function prepare(m: Mixture): PreparedMixture {
  const count = m.weights.length;
  const logScale = new Float64Array(count);
  const invSds = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    logScale[i] = Math.log(m.weights[i]) - Math.log(m.sds[i]) - LOG_SQRT_2PI;
    invSds[i] = 1 / m.sds[i];
  }
  return {
    count,
    logScale,
    means: Float64Array.from(m.means),
    invSds,
    breaks: Float64Array.from(m.breaks ?? []),
    logFactors: Float64Array.from(m.factors ?? [], Math.log),
  };
}

/** log p(x), by log-sum-exp over the components so far tails do not underflow to log(0). */
export function mixtureLogDensity(m: PreparedMixture, x: number): number {
  if (m.breaks.length === 0) return componentsLogDensity(m, x);
  let piece = 0;
  while (piece < m.breaks.length && x > m.breaks[piece]) piece++;
  return m.logFactors[piece] + componentsLogDensity(m, x);
}

function componentsLogDensity(m: PreparedMixture, x: number): number {
  if (m.count === 1) {
    const z = (x - m.means[0]) * m.invSds[0];
    return m.logScale[0] - 0.5 * z * z;
  }
  let top = -Infinity;
  for (let i = 0; i < m.count; i++) {
    const z = (x - m.means[i]) * m.invSds[i];
    const t = m.logScale[i] - 0.5 * z * z;
    if (t > top) top = t;
  }
  let sum = 0;
  for (let i = 0; i < m.count; i++) {
    const z = (x - m.means[i]) * m.invSds[i];
    sum += Math.exp(m.logScale[i] - 0.5 * z * z - top);
  }
  return top + Math.log(sum);
}
