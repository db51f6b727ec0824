/** Types of the model registry (models/registry.json), shared by the publish gate and the app's insights. */
import type { DataKind } from './card/card-check';
import type { GeneratorKind, ModelCard } from './model-card';

/** One published model. */
export interface RegistryEntry {
  version: string;
  /** The card's createdAt (ISO 8601). */
  date: string;
  /** `kind`: the generator kind of synthetic data (absent in entries written before it existed: "shapes"). */
  data: { source: ModelCard['data']['source']; kind?: GeneratorKind; sha256: string; rows: number };
  holdoutAuc: number;
  cvAucMean: number;
  cvAucStd: number;
  modelSha256: string;
  /** The card kept for this version, relative to registry.json's folder. */
  card: string;
}

/** models/registry.json: entries in publication order, oldest first. */
export interface Registry {
  schema: 1;
  models: RegistryEntry[];
}

/** The kind of data a registry entry was trained on (synthetic entries without a kind are "shapes"). */
export function entryKind(e: RegistryEntry): DataKind {
  return e.data.source === 'synthetic' ? (e.data.kind ?? 'shapes') : e.data.source;
}
