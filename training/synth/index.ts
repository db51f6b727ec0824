/** The synthetic data generator's API: rows in memory, the spec, and the Bayes-optimal log-odds. */
export { bayesLogOdds } from './bayes';
export { csvHeader, generate, RowSampler, type GenerateOptions, type Generated, type Split } from './sample';
export { buildSpec, checkSpec, PRIOR, referenceFigures, type FeatureSpec, type SynthSpec } from './spec';
export { FAMILIES, type Family } from './shapes';
export { format4 } from './format';
