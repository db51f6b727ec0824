/** The per-feature figures of the real data (training/data/reference-figures.json) and their type. */

/** Figures of one real feature, in its own units. */
export interface FeatureFigures {
  name: string;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** 1% and 99% quantiles over all train rows. */
  q01: number;
  q99: number;
  /** The same quantiles over the rows with target = 0 and target = 1. */
  q01Class0: number;
  q99Class0: number;
  q01Class1: number;
  q99Class1: number;
  /**
   * Mean and standard deviation over the rows with target = 0 and target = 1 (from a Gaussian naive Bayes
   * trained on the whole real train.csv; see training/data/README.md).
   */
  meanClass0: number;
  stdClass0: number;
  meanClass1: number;
  stdClass1: number;
  /** Out-of-fold AUC of a single-feature model (a little above what the raw value alone gives). */
  auc: number;
}

/** The whole reference-figures.json. */
export interface ReferenceFigures {
  source: string;
  rows: number;
  positives: number;
  positiveRate: number;
  features: FeatureFigures[];
}

const NUMERIC_KEYS = [
  'mean',
  'std',
  'min',
  'max',
  'q01',
  'q99',
  'q01Class0',
  'q99Class0',
  'q01Class1',
  'q99Class1',
  'meanClass0',
  'stdClass0',
  'meanClass1',
  'stdClass1',
  'auc',
] as const;

/** Checks that a parsed JSON value has the shape of reference-figures.json; throws naming the first problem. */
export function checkFigures(value: unknown, featureCount: number): ReferenceFigures {
  const v = value as ReferenceFigures;
  if (!v || !Array.isArray(v.features)) throw new Error('reference figures: no "features" array');
  if (v.features.length !== featureCount) {
    throw new Error(`reference figures: ${v.features.length} features, expected ${featureCount}`);
  }
  v.features.forEach((f, j) => {
    if (f.name !== `var_${j}`) throw new Error(`reference figures: feature ${j} is named ${f.name}`);
    for (const key of NUMERIC_KEYS) {
      if (typeof f[key] !== 'number' || !Number.isFinite(f[key])) {
        throw new Error(`reference figures: ${f.name}.${key} is not a finite number`);
      }
    }
    if (!(f.std > 0) || !(f.q01 < f.q99) || !(f.stdClass0 > 0) || !(f.stdClass1 > 0)) {
      throw new Error(`reference figures: ${f.name} has no spread`);
    }
  });
  return v;
}
