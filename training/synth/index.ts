/** The synthetic data generator's API: rows in memory, the spec, and the Bayes-optimal log-odds. */
export { bayesLogOdds } from './bayes';
export { csvHeader, generate, RowSampler, type GenerateOptions, type Generated, type Split } from './sample';
export {
  buildRealisticSpec,
  buildSpec,
  checkSpec,
  GENERATOR_KINDS,
  PRIOR,
  referenceFigures,
  specOf,
  type FeatureSpec,
  type GeneratorKind,
  type RealisticSpec,
  type ShapesSpec,
  type SynthSpec,
} from './spec';
export { FAMILIES, type Family } from './shapes';
export { format4 } from './format';
