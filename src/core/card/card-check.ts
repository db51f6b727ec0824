/** Structural checks of a model-card.json read from disk, before any of its numbers are trusted. */
import type { GeneratorKind, ModelCard } from '../model-card';

/** Data sources a card may name (ModelCard['data']['source']). */
export const DATA_SOURCES: readonly ModelCard['data']['source'][] = ['kaggle', 'synthetic', 'other'];

/** Generator kinds a synthetic card may name (data.generator.kind). */
export const GENERATOR_KINDS: readonly GeneratorKind[] = ['realistic', 'shapes'];

/**
 * What a model was trained on, as the gate ranks it: the real Kaggle data, the realistic generator (the real
 * per-class figures), the shapes generator (invented class differences), or another file.
 */
export type DataKind = 'kaggle' | GeneratorKind | 'other';

/** A checked card's data kind: synthetic cards without a generator kind predate it and are "shapes". */
export function dataKind(card: CheckedCard): DataKind {
  return card.data.source === 'synthetic' ? (card.data.generator?.kind ?? 'shapes') : card.data.source;
}

const SHA256 = /^[0-9a-f]{64}$/;
/** Versions become folder names under models/history: keep them to a safe alphabet. */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const key of path.split('.')) {
    if (!isObject(v)) return undefined;
    v = v[key];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
  return JSON.stringify(v) ?? String(v);
}

/**
 * Lists what is wrong with a parsed model card (empty when it is usable by the gate and the registry).
 * JSON has no NaN or Infinity: a metric that was non-finite when written arrives as null or a string and is
 * named here as non-finite.
 */
export function cardProblems(card: unknown): string[] {
  if (!isObject(card)) return [`not a JSON object (${describe(card)})`];
  const problems: string[] = [];
  const finite = (path: string, min: number, max: number) => {
    const v = at(card, path);
    if (typeof v !== 'number' || !Number.isFinite(v))
      problems.push(`${path} is non-finite or not a number (${describe(v)})`);
    else if (v < min || v > max) problems.push(`${path} = ${v} is outside [${min}, ${max}]`);
  };
  if (card.schema !== 1) problems.push(`schema is ${describe(card.schema)}, expected 1`);
  const version = card.version;
  if (typeof version !== 'string' || !VERSION_PATTERN.test(version)) {
    problems.push(`version ${describe(version)} is not a plain version string (letters, digits, . _ -)`);
  }
  const source = at(card, 'data.source');
  if (!DATA_SOURCES.includes(source as ModelCard['data']['source'])) {
    problems.push(`data.source ${describe(source)} is not one of ${DATA_SOURCES.join(', ')}`);
  }
  const kind = at(card, 'data.generator.kind');
  if (kind !== undefined && !GENERATOR_KINDS.includes(kind as GeneratorKind)) {
    problems.push(`data.generator.kind ${describe(kind)} is not one of ${GENERATOR_KINDS.join(', ')}`);
  }
  for (const path of ['data.sha256', 'model.sha256']) {
    const v = at(card, path);
    if (typeof v !== 'string' || !SHA256.test(v))
      problems.push(`${path} ${describe(v)} is not a SHA-256 hex digest`);
  }
  finite('data.rows', 1, Number.MAX_SAFE_INTEGER);
  finite('metrics.holdout.rows', 1, Number.MAX_SAFE_INTEGER);
  finite('metrics.holdout.auc', 0, 1);
  finite('metrics.holdout.logLoss', 0, Number.MAX_VALUE);
  finite('metrics.holdout.prAuc', 0, 1);
  finite('metrics.cv.aucMean', 0, 1);
  finite('metrics.cv.aucStd', 0, 1);
  const aucs = at(card, 'metrics.cv.aucs');
  if (!Array.isArray(aucs)) problems.push(`metrics.cv.aucs is ${describe(aucs)}, expected an array`);
  else {
    aucs.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        problems.push(`metrics.cv.aucs[${i}] is non-finite or not a number (${describe(v)})`);
      }
    });
  }
  if (typeof card.createdAt !== 'string' || Number.isNaN(Date.parse(card.createdAt))) {
    problems.push(`createdAt ${describe(card.createdAt)} is not a date`);
  }
  return problems;
}

/** A card that passed cardProblems(); only the fields the gate and the registry read are guaranteed. */
export type CheckedCard = Pick<ModelCard, 'schema' | 'version' | 'createdAt' | 'data' | 'model' | 'metrics'>;

/** Returns the card typed when it has no problems, else throws an Error listing every problem. */
export function checkCard(card: unknown, label: string): CheckedCard {
  const problems = cardProblems(card);
  if (problems.length > 0) throw new Error(`${label} is malformed: ${problems.join('; ')}.`);
  return card as CheckedCard;
}
