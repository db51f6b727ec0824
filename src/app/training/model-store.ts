/**
 * The user's model kept on this device, in IndexedDB (through idb-keyval): the model bytes, the card, its
 * markdown and its record of fitted rows are one record, written in one transaction with the choice of model in use, so a reload never finds
 * a model without its card or a choice pointing at nothing. IndexedDB rather than the origin-private file system:
 * half a MB of structured data needs no file handles, and every browser this app runs in has it on the page
 * (OPFS writes from the page need createWritable, which Safari lacked until recently).
 */
import { createStore, delMany, getMany, setMany, type UseStore } from 'idb-keyval';
import type { ModelCard } from '../../core/model-card';

/** A model of the user's, as kept. */
export interface SavedModel {
  /** model.onnx */
  onnx: ArrayBuffer;
  card: ModelCard;
  /** model-card.md */
  markdown: string;
  /** fitted-rows.bin, when the model has one (trained here, or loaded from a file that holds it). */
  fittedRows?: ArrayBuffer;
  /** 'trained': trained in this browser; 'file': loaded from a model file. */
  origin: 'trained' | 'file';
  /** The training file, or the model file(s) it was loaded from. */
  fileName: string;
  /** ISO date when it was kept. */
  savedAt: string;
}

/** Which model scores: the app's own, or the user's. */
export type ActiveModel = 'built-in' | 'yours';

const KEYS = { model: 'yours', active: 'active' } as const;

let store: UseStore | null = null;
function models(): UseStore {
  store ??= createStore('santander-scorer', 'models');
  return store;
}

/** The kept model and the choice in use (the built-in model when nothing is kept). */
export async function loadSaved(): Promise<{ model: SavedModel | null; active: ActiveModel }> {
  const [model, active] = await getMany<unknown>([KEYS.model, KEYS.active], models());
  const saved = (model as SavedModel | undefined) ?? null;
  return { model: saved, active: saved && active === 'yours' ? 'yours' : 'built-in' };
}

/** Keeps `model` (replacing any other) and records which model is in use: it (default) or the built-in one. */
export async function saveModel(model: SavedModel, active: ActiveModel = 'yours'): Promise<void> {
  await setMany(
    [
      [KEYS.model, model],
      [KEYS.active, active],
    ],
    models(),
  );
  // Ask the browser not to evict it under storage pressure (Chromium decides without a prompt).
  await navigator.storage?.persist?.().catch(() => false);
}

/** Records which model is in use. */
export async function saveActive(active: ActiveModel): Promise<void> {
  await setMany([[KEYS.active, active]], models());
}

/** Forgets the user's model; the built-in one is in use again. */
export async function deleteSaved(): Promise<void> {
  await delMany([KEYS.model, KEYS.active], models());
}
