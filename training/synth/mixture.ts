/** Finite Gaussian mixtures on the real line: the class-conditional densities of the generator. */
import { LOG_SQRT_2PI, normalCdf } from './normal';

/** A Gaussian mixture: component weights (summing to 1), means and standard deviations. */
export interface Mixture {
  weights: number[];
  means: number[];
  sds: number[];
}

/** One Gaussian as a mixture. */
export function gaussian(mean: number, sd: number): Mixture {
  return { weights: [1], means: [mean], sds: [sd] };
}

/** (1 - share) * a + share * b, dropping zero-weight components. */
export function blend(a: Mixture, b: Mixture, share: number): Mixture {
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

/** The mixture of x * scale + shift when x follows m. */
export function affine(m: Mixture, scale: number, shift: number): Mixture {
  return {
    weights: [...m.weights],
    means: m.means.map((mu) => mu * scale + shift),
    sds: m.sds.map((s) => s * Math.abs(scale)),
  };
}

/** Mean and standard deviation of a mixture. */
export function moments(m: Mixture): { mean: number; sd: number } {
  let mean = 0;
  let second = 0;
  m.weights.forEach((w, i) => {
    mean += w * m.means[i];
    second += w * (m.sds[i] * m.sds[i] + m.means[i] * m.means[i]);
  });
  return { mean, sd: Math.sqrt(Math.max(second - mean * mean, 0)) };
}

/** P(X <= x). */
function mixtureCdf(m: Mixture, x: number): number {
  let p = 0;
  m.weights.forEach((w, i) => (p += w * normalCdf((x - m.means[i]) / m.sds[i])));
  return p;
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

/** Precomputed terms for fast log-densities: log w - log sd - log sqrt(2 pi), 1 / sd. */
export interface PreparedMixture {
  count: number;
  logScale: Float64Array;
  means: Float64Array;
  invSds: Float64Array;
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
  return { count, logScale, means: Float64Array.from(m.means), invSds };
}

/** log p(x), by log-sum-exp over the components so far tails do not underflow to log(0). */
export function mixtureLogDensity(m: PreparedMixture, x: number): number {
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
