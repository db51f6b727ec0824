/**
 * The generator's spec: every feature's class-conditional mixtures, JSON-serialisable. Two kinds: "realistic"
 * (per-class densities matched to the real data's per-class figures, realistic.ts) and "shapes" (class
 * differences drawn from a shapeSeed, shapes.ts).
 */
import { readFile } from 'node:fs/promises';
import type { GeneratorKind } from '../../src/core/model-card';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/core/schema';
import figuresJson from '../data/reference-figures.json' with { type: 'json' };
import { InputError } from '../io/read-rows';
import { checkFigures, type FeatureFigures, type ReferenceFigures } from './figures';
import { affine, blend, isPiecewise, type Mixture, moments, totalMass } from './mixture';
import { Rng, streamSeed } from './prng';
import { type RealisticFeature, realisticFeature } from './realistic';
import {
  calibrateStrength,
  drawShape,
  type Family,
  FAMILIES,
  fitBase,
  makePair,
  singleFeatureAuc,
} from './shapes';

export type { GeneratorKind } from '../../src/core/model-card';

/** The generator kinds, the default first. */
export const GENERATOR_KINDS: readonly GeneratorKind[] = ['realistic', 'shapes'];

/** Share of positives of the shapes kind (the real train.csv's 20,098 of 200,000, rounded to 10.05%). */
const PRIOR = 0.1005;

/**
 * Factor on each real single-feature AUC's distance from 0.5 (so targets run 0.50-0.581 instead of
 * 0.50-0.570). Measured: at 1 the Bayes-optimal AUC of all 200 features is about 0.885, at 1.15 about 0.91,
 * which is where the real data's best models (~0.90-0.926) say it should be.
 */
const AUC_SCALE = 1.15;

/** One feature of a shapes spec. Mixtures are in the feature's real units. */
export interface FeatureSpec {
  name: string;
  family: Family;
  /** Direction of the difference (+1 or -1). */
  side: number;
  /** The family's parameters in standard units, as drawn. */
  params: number[];
  /** Strength of the class difference; 0 means the feature carries no information. */
  strength: number;
  /** The single-feature AUC aimed at (from the real figures) and the one reached. */
  targetAuc: number;
  auc: number;
  /** Densities of the negatives (target 0) and the positives (target 1). */
  class0: Mixture;
  class1: Mixture;
}

/** spec.json of the shapes kind. spec.json files written before the realistic kind have no `kind`. */
export interface ShapesSpec {
  format: 'santander-synth-spec';
  version: 1;
  kind: 'shapes';
  shapeSeed: number;
  /** P(target = 1). */
  prior: number;
  aucScale: number;
  features: FeatureSpec[];
}

/** spec.json of the realistic kind. */
export interface RealisticSpec {
  format: 'santander-synth-spec';
  version: 1;
  kind: 'realistic';
  /** P(target = 1): the real train.csv's 20,098 of 200,000. */
  prior: number;
  /** Where the per-class figures come from. */
  source: string;
  features: RealisticFeature[];
}

/** spec.json: all a reader needs to redraw rows or recompute the Bayes-optimal log-odds. */
export type SynthSpec = ShapesSpec | RealisticSpec;

/** The committed figures, checked once. */
export const referenceFigures: ReferenceFigures = checkFigures(figuresJson, FEATURE_COUNT);

function buildFeature(j: number, f: FeatureFigures, shapeSeed: number): FeatureSpec {
  const rng = new Rng(streamSeed(shapeSeed, `shape ${j}`));
  const classShift = (f.q01Class1 - f.q01Class0 + (f.q99Class1 - f.q99Class0)) / f.std;
  const shape = drawShape(rng, Math.abs(classShift) > 0.04 ? Math.sign(classShift) : 0);
  const base = fitBase((f.q01 - f.mean) / f.std, (f.q99 - f.mean) / f.std);
  const targetAuc = 0.5 + AUC_SCALE * Math.max(0, f.auc - 0.5);
  const strength = calibrateStrength(base, shape, targetAuc);
  const { p0, p1 } = makePair(base, shape, strength);
  // Map standard units to the real ones so that the marginal has the real mean and sd exactly.
  const marginal = moments(blend(p0, p1, PRIOR));
  const scale = f.std / marginal.sd;
  const shift = f.mean - marginal.mean * scale;
  return {
    name: FEATURE_NAMES[j],
    family: shape.family,
    side: shape.side,
    params: shape.params,
    strength,
    targetAuc,
    auc: strength > 0 ? singleFeatureAuc(p0, p1) : 0.5,
    class0: affine(p0, scale, shift),
    class1: affine(p1, scale, shift),
  };
}

const built = new Map<number, ShapesSpec>();

/** Draws (or returns the memoised) shapes spec for a shapeSeed from the committed reference figures. */
export function buildSpec(shapeSeed: number): ShapesSpec {
  checkSeed(shapeSeed, 'shapeSeed');
  let spec = built.get(shapeSeed);
  if (!spec) {
    spec = {
      format: 'santander-synth-spec',
      version: 1,
      kind: 'shapes',
      shapeSeed,
      prior: PRIOR,
      aucScale: AUC_SCALE,
      features: referenceFigures.features.map((f, j) => buildFeature(j, f, shapeSeed)),
    };
    built.set(shapeSeed, spec);
  }
  return spec;
}

let realistic: RealisticSpec | undefined;

/** The (memoised) realistic spec from the committed reference figures. */
export function buildRealisticSpec(): RealisticSpec {
  realistic ??= {
    format: 'santander-synth-spec',
    version: 1,
    kind: 'realistic',
    prior: referenceFigures.positiveRate,
    source: referenceFigures.source,
    features: referenceFigures.features.map((f, j) => realisticFeature(j, f)),
  };
  return realistic;
}

/** The spec of a kind (shapeSeed is read by the shapes kind only). */
export function specOf(kind: GeneratorKind, shapeSeed = 1): SynthSpec {
  return kind === 'realistic' ? buildRealisticSpec() : buildSpec(shapeSeed);
}

/** Seeds are non-negative safe integers. */
export function checkSeed(seed: number, name: string): void {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${seed}`);
}

function checkMixture(m: Mixture, where: string): void {
  const n = m?.weights?.length;
  if (!n || m.means?.length !== n || m.sds?.length !== n) throw new Error(`${where}: malformed mixture`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!(m.weights[i] > 0) || !Number.isFinite(m.means[i]) || !(m.sds[i] > 0)) {
      throw new Error(`${where}: component ${i} has a bad weight, mean or sd`);
    }
    total += m.weights[i];
  }
  if (Math.abs(total - 1) > 1e-9) throw new Error(`${where}: weights sum to ${total}, not 1`);
  if (m.breaks === undefined && m.factors === undefined) return;
  const breaks = m.breaks ?? [];
  const factors = m.factors ?? [];
  const ascending = breaks.every((b, i) => Number.isFinite(b) && (i === 0 || b > breaks[i - 1]));
  if (!ascending || factors.length !== breaks.length + 1 || !factors.every((f) => f > 0 && f < Infinity)) {
    throw new Error(`${where}: breaks must ascend and factors be one more positive number than breaks`);
  }
  if (isPiecewise(m) && Math.abs(totalMass(m) - 1) > 1e-9) {
    throw new Error(`${where}: the piecewise density integrates to ${totalMass(m)}, not 1`);
  }
}

/**
 * Checks a parsed spec.json; throws naming the first problem. A spec without `kind` (written before the
 * realistic kind) is a shapes spec and comes back with kind "shapes".
 */
export function checkSpec(value: unknown): SynthSpec {
  const s = value as SynthSpec;
  if (!s || s.format !== 'santander-synth-spec' || s.version !== 1) {
    throw new Error('not a santander-synth-spec version 1 file');
  }
  const kind: unknown = (s as { kind?: unknown }).kind ?? 'shapes';
  if (!GENERATOR_KINDS.includes(kind as GeneratorKind)) throw new Error(`spec: unknown kind ${String(kind)}`);
  if (!(s.prior > 0 && s.prior < 1)) throw new Error(`spec: prior ${s.prior} is not in (0, 1)`);
  if (!Array.isArray(s.features) || s.features.length !== FEATURE_COUNT) {
    throw new Error(`spec: expected ${FEATURE_COUNT} features`);
  }
  s.features.forEach((f, j) => {
    if (f.name !== FEATURE_NAMES[j]) throw new Error(`spec: feature ${j} is named ${f.name}`);
    if (kind === 'shapes' && !FAMILIES.includes((f as FeatureSpec).family)) {
      throw new Error(`spec: ${f.name} has unknown family ${(f as FeatureSpec).family}`);
    }
    checkMixture(f.class0, `spec: ${f.name}.class0`);
    checkMixture(f.class1, `spec: ${f.name}.class1`);
  });
  return { ...s, kind } as SynthSpec;
}

/** Reads and checks a spec.json; throws InputError starting with the path (the CLIs print it and exit 1). */
export async function readSpecFile(path: string): Promise<SynthSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the generator spec.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${path}: not valid JSON (expected the generator's spec.json).`);
  }
  try {
    return checkSpec(json);
  } catch (error) {
    throw new InputError(`${path}: ${(error as Error).message}`);
  }
}
