/**
 * Simple reference models trained on the same rows, reported next to ours for context:
 * Gaussian naive Bayes, a min-max-scaled logistic regression (the original Python project's model) and a
 * 64-bin histogram naive Bayes. Each returns log-odds scores for the `score` rows.
 */

/** Gaussian naive Bayes: per class and feature a normal density; returns log-odds of `score` rows. */
export function gaussianNaiveBayes(
  features: Float32Array,
  targets: ArrayLike<number>,
  m: number,
  train: Uint32Array,
  score: Uint32Array,
): Float64Array {
  const mean = [new Float64Array(m), new Float64Array(m)];
  const sq = [new Float64Array(m), new Float64Array(m)];
  const count = [0, 0];
  for (const r of train) {
    const c = targets[r] > 0.5 ? 1 : 0;
    count[c]++;
    for (let j = 0; j < m; j++) {
      const v = features[r * m + j];
      mean[c][j] += v;
      sq[c][j] += v * v;
    }
  }
  const variance = [new Float64Array(m), new Float64Array(m)];
  for (let c = 0; c < 2; c++) {
    for (let j = 0; j < m; j++) {
      mean[c][j] /= count[c];
      variance[c][j] = Math.max(sq[c][j] / count[c] - mean[c][j] ** 2, 1e-9);
    }
  }
  const out = new Float64Array(score.length);
  const prior = Math.log(count[1] / count[0]);
  score.forEach((r, k) => {
    let z = prior;
    for (let j = 0; j < m; j++) {
      const v = features[r * m + j];
      z +=
        -0.5 * Math.log(variance[1][j] / variance[0][j]) -
        (v - mean[1][j]) ** 2 / (2 * variance[1][j]) +
        (v - mean[0][j]) ** 2 / (2 * variance[0][j]);
    }
    out[k] = z;
  });
  return out;
}

/**
 * Logistic regression on min-max scaled features (scaled by the training rows' range), fitted by L-BFGS with a
 * tiny ridge penalty so the optimum is unique. Returns log-odds of `score` rows.
 */
export function logisticRegression(
  features: Float32Array,
  targets: ArrayLike<number>,
  m: number,
  train: Uint32Array,
  score: Uint32Array,
  iterations = 30, // measured: holdout AUC within 1e-4 of 200 iterations
  onIteration: () => void = () => {},
): Float64Array {
  const min = new Float64Array(m).fill(Infinity);
  const max = new Float64Array(m).fill(-Infinity);
  for (const r of train) {
    for (let j = 0; j < m; j++) {
      const v = features[r * m + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  const scale = Float64Array.from(min, (lo, j) => (max[j] > lo ? 1 / (max[j] - lo) : 0));
  const n = train.length;
  const x = new Float32Array(n * m);
  const y = new Float64Array(n);
  train.forEach((r, k) => {
    y[k] = targets[r] > 0.5 ? 1 : 0;
    for (let j = 0; j < m; j++) x[k * m + j] = (features[r * m + j] - min[j]) * scale[j];
  });
  const dim = m + 1; // weights then bias
  const ridge = 1e-4;
  const lossAndGradient = (w: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let loss = 0;
    for (let k = 0; k < n; k++) {
      let z = w[m];
      const base = k * m;
      for (let j = 0; j < m; j++) z += w[j] * x[base + j];
      const p = 1 / (1 + Math.exp(-z));
      loss += z > 0 ? z + Math.log1p(Math.exp(-z)) - y[k] * z : Math.log1p(Math.exp(z)) - y[k] * z;
      const r = p - y[k];
      for (let j = 0; j < m; j++) g[j] += r * x[base + j];
      g[m] += r;
    }
    for (let j = 0; j < dim; j++) g[j] /= n;
    loss /= n;
    for (let j = 0; j < m; j++) {
      loss += 0.5 * ridge * w[j] * w[j];
      g[j] += ridge * w[j];
    }
    return loss;
  };
  const w = lbfgs(lossAndGradient, new Float64Array(dim), iterations, onIteration);
  return Float64Array.from(score, (r) => {
    let z = w[m];
    for (let j = 0; j < m; j++) z += w[j] * (features[r * m + j] - min[j]) * scale[j];
    return z;
  });
}

/** Minimises a smooth function by L-BFGS (memory 10) with a backtracking Armijo line search. */
function lbfgs(
  f: (w: Float64Array, g: Float64Array) => number,
  start: Float64Array,
  iterations: number,
  onIteration: () => void,
): Float64Array {
  const dim = start.length;
  const memory = 10;
  const s: Float64Array[] = [];
  const yv: Float64Array[] = [];
  let w = start.slice();
  let g = new Float64Array(dim);
  let loss = f(w, g);
  const dot = (a: Float64Array, b: Float64Array) => {
    let t = 0;
    for (let i = 0; i < dim; i++) t += a[i] * b[i];
    return t;
  };
  for (let it = 0; it < iterations; it++) {
    onIteration();
    const q = g.slice();
    const alpha: number[] = [];
    for (let k = s.length - 1; k >= 0; k--) {
      const a = dot(s[k], q) / dot(yv[k], s[k]);
      alpha[k] = a;
      for (let i = 0; i < dim; i++) q[i] -= a * yv[k][i];
    }
    const gamma = s.length
      ? dot(s[s.length - 1], yv[s.length - 1]) / dot(yv[s.length - 1], yv[s.length - 1])
      : 1;
    for (let i = 0; i < dim; i++) q[i] *= gamma;
    for (let k = 0; k < s.length; k++) {
      const b = dot(yv[k], q) / dot(yv[k], s[k]);
      for (let i = 0; i < dim; i++) q[i] += s[k][i] * (alpha[k] - b);
    }
    // q is now the search direction's negative.
    const slope = -dot(g, q);
    if (!(slope < 0)) break;
    let step = 1;
    const next = new Float64Array(dim);
    const gNext = new Float64Array(dim);
    let lossNext = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < dim; i++) next[i] = w[i] - step * q[i];
      lossNext = f(next, gNext);
      if (lossNext <= loss + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(lossNext < loss)) break;
    const sk = Float64Array.from(next, (v, i) => v - w[i]);
    const yk = Float64Array.from(gNext, (v, i) => v - g[i]);
    if (dot(sk, yk) > 1e-12) {
      s.push(sk);
      yv.push(yk);
      if (s.length > memory) {
        s.shift();
        yv.shift();
      }
    }
    const converged = loss - lossNext < 1e-10;
    w = next;
    g = gNext;
    loss = lossNext;
    if (converged) break;
  }
  return w;
}

/** Settings of histogramNaiveBayes. */
export interface HistogramNbOptions {
  /** Equal-count bins per feature (default 64). */
  bins?: number;
  /** Count added to every bin of each class (default 1, Laplace). */
  pseudoCount?: number;
  /**
   * With a bandwidth > 0 (in bins), each bin's log ratio becomes a Gaussian-kernel average over its neighbours,
   * weighted by their positives too: sparse bins are the noisy ones. Default 0: no smoothing.
   */
  bandwidth?: number;
}

/** Histogram naive Bayes: per feature equal-count bins, class frequencies with a pseudo-count; log-odds of `score`. */
export function histogramNaiveBayes(
  features: Float32Array,
  targets: ArrayLike<number>,
  m: number,
  train: Uint32Array,
  score: Uint32Array,
  options: HistogramNbOptions = {},
): Float64Array {
  const { bins = 64, pseudoCount = 1, bandwidth = 0 } = options;
  const out = new Float64Array(score.length);
  let positives = 0;
  for (const r of train) positives += targets[r] > 0.5 ? 1 : 0;
  const negatives = train.length - positives;
  out.fill(Math.log(positives / negatives));
  const column = new Float32Array(train.length);
  const pos = new Float64Array(bins);
  const neg = new Float64Array(bins);
  const raw = new Float64Array(bins);
  const smoothed = new Float64Array(bins);
  const edges = new Float32Array(bins - 1);
  const find = (v: number) => {
    let a = 0;
    let b = edges.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (v < edges[mid]) b = mid;
      else a = mid + 1;
    }
    return a;
  };
  for (let j = 0; j < m; j++) {
    train.forEach((r, k) => (column[k] = features[r * m + j]));
    const sorted = column.slice().sort();
    for (let e = 0; e < bins - 1; e++) edges[e] = sorted[Math.floor(((e + 1) * sorted.length) / bins)];
    pos.fill(pseudoCount);
    neg.fill(pseudoCount);
    train.forEach((r, k) => (targets[r] > 0.5 ? pos : neg)[find(column[k])]++);
    for (let b = 0; b < bins; b++) {
      raw[b] =
        Math.log(pos[b] / (positives + bins * pseudoCount)) -
        Math.log(neg[b] / (negatives + bins * pseudoCount));
    }
    let logRatio = raw;
    if (bandwidth > 0) {
      for (let b = 0; b < bins; b++) {
        let sum = 0;
        let weight = 0;
        for (let k = 0; k < bins; k++) {
          const w = Math.exp(-0.5 * ((k - b) / bandwidth) ** 2) * pos[k];
          sum += w * raw[k];
          weight += w;
        }
        smoothed[b] = sum / weight;
      }
      logRatio = smoothed;
    }
    score.forEach((r, k) => (out[k] += logRatio[find(features[r * m + j])]));
  }
  return out;
}
