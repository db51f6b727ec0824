/** The exact Bayes-optimal log-odds of rows under a spec. */
import { FEATURE_COUNT } from '../../src/core/schema';
import { mixtureLogDensity, prepare } from './mixture';
import type { SynthSpec } from './spec';

/**
 * log(pi / (1 - pi)) + sum_j log(p1_j(x_j) / p0_j(x_j)) for each row of a row-major [rows, 200] array.
 * Features are independent given the class, so this is the log-odds of P(target = 1 | x) exactly.
 */
export function bayesLogOdds(spec: SynthSpec, features: Float32Array, rows: number): Float64Array {
  if (features.length < rows * FEATURE_COUNT) {
    throw new RangeError(
      `features holds ${features.length} values, ${rows} rows need ${rows * FEATURE_COUNT}`,
    );
  }
  const class0 = spec.features.map((f) => prepare(f.class0));
  const class1 = spec.features.map((f) => prepare(f.class1));
  const out = new Float64Array(rows).fill(Math.log(spec.prior / (1 - spec.prior)));
  // Feature-major so each feature's prepared mixtures stay hot.
  for (let j = 0; j < FEATURE_COUNT; j++) {
    const p0 = class0[j];
    const p1 = class1[j];
    for (let r = 0; r < rows; r++) {
      const x = features[r * FEATURE_COUNT + j];
      out[r] += mixtureLogDensity(p1, x) - mixtureLogDensity(p0, x);
    }
  }
  return out;
}
