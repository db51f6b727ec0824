/** The model registry (models/registry.json): every published model version with the figures it shipped with. */
import { entryKind, type Registry, type RegistryEntry } from '../../src/core/registry';
import {
  type CheckedCard,
  DATA_SOURCES,
  type DataKind,
  GENERATOR_KINDS,
  VERSION_PATTERN,
} from '../../src/core/card/card-check';

export { type Registry, type RegistryEntry } from '../../src/core/registry';

/** A registry file that cannot be read as one, or an entry that would make it inconsistent. */
export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** A registry with no models yet. */
export function emptyRegistry(): Registry {
  return { schema: 1, models: [] };
}

/** Where a version's card is kept, relative to registry.json's folder. */
export function historyCardPath(version: string): string {
  if (!VERSION_PATTERN.test(version)) throw new RegistryError(`Version "${version}" cannot name a folder.`);
  return `history/${version}/model-card.json`;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Validates parsed registry JSON; throws a RegistryError naming the first bad entry and field. */
export function parseRegistry(json: unknown): Registry {
  if (typeof json !== 'object' || json === null || (json as Registry).schema !== 1) {
    throw new RegistryError('Registry is not a {"schema": 1, "models": [...]} object.');
  }
  const models = (json as Registry).models;
  if (!Array.isArray(models)) throw new RegistryError('Registry has no "models" array.');
  const seenVersions = new Set<string>();
  const seenShas = new Set<string>();
  models.forEach((e: RegistryEntry, i) => {
    const where = `Registry entry ${i} (${String(e?.version)})`;
    if (typeof e?.version !== 'string' || !VERSION_PATTERN.test(e.version)) {
      throw new RegistryError(`${where}: bad version.`);
    }
    if (!DATA_SOURCES.includes(e.data?.source)) throw new RegistryError(`${where}: bad data.source.`);
    if (e.data.kind !== undefined && !GENERATOR_KINDS.includes(e.data.kind)) {
      throw new RegistryError(`${where}: bad data.kind.`);
    }
    for (const key of ['holdoutAuc', 'cvAucMean', 'cvAucStd'] as const) {
      if (!isFiniteNumber(e[key])) throw new RegistryError(`${where}: ${key} is not a finite number.`);
    }
    if (typeof e.modelSha256 !== 'string' || typeof e.card !== 'string' || typeof e.date !== 'string') {
      throw new RegistryError(`${where}: modelSha256, card and date must be strings.`);
    }
    if (seenVersions.has(e.version)) throw new RegistryError(`${where}: version listed twice.`);
    if (seenShas.has(e.modelSha256))
      throw new RegistryError(`${where}: model ${e.modelSha256} listed twice.`);
    seenVersions.add(e.version);
    seenShas.add(e.modelSha256);
  });
  return { schema: 1, models };
}

/** The registry entry a checked card makes. */
function entryFromCard(card: CheckedCard): RegistryEntry {
  return {
    version: card.version,
    date: card.createdAt,
    data: {
      source: card.data.source,
      ...(card.data.generator?.kind ? { kind: card.data.generator.kind } : {}),
      sha256: card.data.sha256,
      rows: card.data.rows,
    },
    holdoutAuc: card.metrics.holdout.auc,
    cvAucMean: card.metrics.cv.aucMean,
    cvAucStd: card.metrics.cv.aucStd,
    modelSha256: card.model.sha256,
    card: historyCardPath(card.version),
  };
}

/**
 * Adds a card's model to the registry, idempotent by model SHA-256: a model already listed leaves the registry
 * unchanged (added = false). A new model under a version that is already taken is refused, because the kept
 * card of the older model would be overwritten.
 */
export function addToRegistry(
  registry: Registry,
  card: CheckedCard,
): { registry: Registry; added: boolean; entry: RegistryEntry } {
  const existing = registry.models.find((e) => e.modelSha256 === card.model.sha256);
  if (existing) return { registry, added: false, entry: existing };
  const clash = registry.models.find((e) => e.version === card.version);
  if (clash) {
    throw new RegistryError(
      `Version ${card.version} is already registered for another model (sha256 ${clash.modelSha256.slice(0, 12)}...): ` +
        'train it under a new version.',
    );
  }
  const entry = entryFromCard(card);
  return { registry: { schema: 1, models: [...registry.models, entry] }, added: true, entry };
}

/** The most recently published entry trained on the given kind of data, if any. */
export function lastEntryFor(registry: Registry, kind: DataKind): RegistryEntry | undefined {
  return registry.models.findLast((e) => entryKind(e) === kind);
}

/** A model as far as versions go. */
export interface VersionedModel {
  version: string;
  modelSha256: string;
}

/**
 * The version a newly trained model should be published under: its own, unless the registry (or, failing that,
 * the live card) already gives that version to another model; then the first free `<version>.N` (N >= 2), where
 * a version that ends in `.N` stands for its line: `<base>.N`.
 * The registry wins over the live card, so a live model retrained under an already registered version counts
 * as a new model.
 */
export function freeVersion(
  registry: Registry,
  candidate: VersionedModel,
  live?: VersionedModel | null,
): string {
  if (registry.models.some((e) => e.modelSha256 === candidate.modelSha256)) return candidate.version;
  const taken = new Map<string, string>(live ? [[live.version, live.modelSha256]] : []);
  for (const e of registry.models) taken.set(e.version, e.modelSha256);
  const owner = taken.get(candidate.version);
  if (owner === undefined || owner === candidate.modelSha256) return candidate.version;
  // A version that is already `<base>.N` continues its base's line (v1.2 taken: v1.3, not v1.2.2).
  const base = /^(.+)\.\d+$/.exec(candidate.version)?.[1] ?? candidate.version;
  let n = 2;
  while (taken.has(`${base}.${n}`)) n++;
  return `${base}.${n}`;
}
