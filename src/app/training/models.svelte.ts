/**
 * Which model scores: the built-in one or the user's (trained in this browser or loaded from a model file),
 * kept on the device (model-store.ts). Every change goes to the scoring worker (a fresh one loads the model and
 * checks its SHA-256 against the card) and a file on screen is scored again, so the results always come from the
 * model named above them.
 */
import builtInCard from '../../../models/model-card.json';
import { archiveName, modelArchive, ModelFileError, readModelFiles } from '../../core/card/model-files';
import type { ModelCard } from '../../core/model-card';
import { scoring } from '../scoring.svelte';
import { type ModelChoice, useModel } from '../worker-bridge';
import {
  type ActiveModel,
  deleteSaved,
  loadSaved,
  saveActive,
  saveModel,
  type SavedModel,
} from './model-store';

const BUILT_IN = builtInCard as unknown as ModelCard;

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}

class ModelsState {
  /** The user's model, when one is kept. */
  saved = $state.raw<SavedModel | null>(null);
  active = $state<ActiveModel>('built-in');
  /** The kept model has been looked for (the scoring worker waits for this). */
  ready = $state(false);
  /** A change of model is being saved and loaded. */
  busy = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** The device does not keep models (no IndexedDB, or it failed): said once, near the controls. */
  storageProblem = $state<string | null>(null);
  /** model-<version>.zip of the user's model, ready to download. */
  archive = $state.raw<{ url: string; name: string } | null>(null);
  /** The card of the model in use. */
  card = $derived<ModelCard>(this.active === 'yours' && this.saved ? this.saved.card : BUILT_IN);
  /** The built-in model's card. */
  readonly builtIn = BUILT_IN;
  /**
   * The user's model scores (trained here or loaded from a file). What marks a model as the user's is where it
   * came from, never its card: a loaded card may give any version name, the built-in model's included.
   */
  yoursInUse = $derived(this.active === 'yours' && this.saved !== null);
  /** The kept model's card gives the built-in model's version name (said next to it, so the two are told apart). */
  claimsBuiltIn = $derived(this.saved?.card.version === BUILT_IN.version);

  /** Reads the kept model and tells the scoring worker which model to load; call before scoring.prepare(). */
  async start(): Promise<void> {
    try {
      const { model, active } = await loadSaved();
      this.saved = model;
      this.active = active;
    } catch (error) {
      this.storageProblem = `This browser does not keep models between visits here (${messageOf(error)}).`;
    }
    useModel(this.choice());
    this.ready = true;
    await this.refreshArchive();
  }

  /** The model in use: the user's (bytes and card), or null for the built-in one. */
  choice(): ModelChoice | null {
    const saved = this.saved;
    return this.active === 'yours' && saved
      ? { onnx: saved.onnx, card: saved.card, fittedRows: saved.fittedRows }
      : null;
  }

  private async refreshArchive(): Promise<void> {
    if (this.archive) URL.revokeObjectURL(this.archive.url);
    this.archive = null;
    const saved = this.saved;
    if (!saved) return;
    const zip = await modelArchive({
      onnx: new Uint8Array(saved.onnx),
      card: saved.card,
      markdown: saved.markdown,
      fittedRows: saved.fittedRows && new Uint8Array(saved.fittedRows),
    });
    if (this.saved === saved) this.archive = { url: URL.createObjectURL(zip), name: archiveName(saved.card) };
  }

  /**
   * Sends the choice to the scoring worker and scores the file on screen again with it. Resolves with that file's
   * name and the scoring under way (settled once it ends), or null when there was none to score again.
   */
  private async apply(): Promise<{ name: string; scored: Promise<void> } | null> {
    const again = scoring.file && (scoring.result || scoring.running) ? scoring.file : null;
    // Results are never shown beside a card of another model: they go now and come back from the new one.
    scoring.clearResult();
    useModel(this.choice());
    scoring.model = null;
    await scoring.prepare();
    if (!again || scoring.modelError) return null;
    return { name: again.name, scored: scoring.score(again) };
  }

  /**
   * Keeps `model` (replacing a previous one: the device keeps one) and scores with it. Resolves with the sentence
   * naming the model it replaced, for the caller's notice: " It replaced your model X, …", or '' when there was
   * none, or it was the same model.
   */
  async adopt(model: SavedModel): Promise<string> {
    const previous = this.saved;
    this.busy = true;
    this.error = null;
    this.notice = null;
    try {
      try {
        await saveModel(model);
      } catch (error) {
        this.storageProblem = `Your model is in use but could not be kept on this device: it will be gone after a reload (${messageOf(error)}). Download it to keep it.`;
      }
      this.saved = model;
      this.active = 'yours';
      await Promise.all([this.apply(), this.refreshArchive()]);
    } finally {
      this.busy = false;
    }
    if (!previous || previous.card.version === model.card.version) return '';
    return ` It replaced your model ${previous.card.version}, which is no longer on this device.`;
  }

  /**
   * Keeps `model` on the device (replacing a previous one) while the built-in model stays in use: a model
   * trained here that did not beat it. Resolves with the sentence naming the model it replaced, as adopt does.
   */
  async keep(model: SavedModel): Promise<string> {
    if (this.active === 'yours') throw new Error('Your model is in use: keeping another would delete it.');
    const previous = this.saved;
    this.busy = true;
    this.error = null;
    this.notice = null;
    try {
      await saveModel(model, 'built-in').catch((error: unknown) => {
        this.storageProblem = `Your model could not be kept on this device: it will be gone after a reload (${messageOf(error)}). Download it to keep it.`;
      });
      this.saved = model;
      await this.refreshArchive();
    } finally {
      this.busy = false;
    }
    if (!previous || previous.card.version === model.card.version) return '';
    return ` It replaced your model ${previous.card.version}, which is no longer on this device.`;
  }

  /** Switches between the built-in model and the user's. */
  async choose(which: ActiveModel): Promise<void> {
    if (which === this.active || (which === 'yours' && !this.saved)) return;
    this.busy = true;
    this.error = null;
    this.notice = null;
    try {
      this.active = which;
      await saveActive(which).catch(() => {});
      const rescoring = await this.apply();
      const model =
        which === 'yours'
          ? `your model ${this.saved?.card.version}`
          : `the built-in model ${this.builtIn.version}`;
      const notice = (tense: string) =>
        `Scoring with ${model}${rescoring ? `: ${rescoring.name} ${tense} scored again with it` : ''}.`;
      const now = (this.notice = notice('is being'));
      // Once the file is scored the sentence says so, unless something else has been said since.
      void rescoring?.scored.then(() => {
        if (this.notice === now && scoring.result) this.notice = notice('was');
      });
    } finally {
      this.busy = false;
    }
  }

  /** Deletes the user's model from the device; the built-in model scores again. */
  async remove(): Promise<void> {
    const saved = this.saved;
    if (!saved) return;
    this.busy = true;
    this.error = null;
    this.notice = null;
    try {
      await deleteSaved().catch((error: unknown) => {
        this.error = `Could not delete the model from this device: ${messageOf(error)}`;
        throw error;
      });
      const wasActive = this.active === 'yours';
      this.saved = null;
      this.active = 'built-in';
      await this.refreshArchive();
      this.notice = `Deleted your model ${saved.card.version} from this device.`;
      if (wasActive) await this.apply();
    } catch {
      // The message is set above.
    } finally {
      this.busy = false;
    }
  }

  /** Loads a model from a model-<version>.zip or its model.onnx + model-card.json (+ .md), and scores with it. */
  async useFiles(files: File[]): Promise<void> {
    if (files.length === 0) return;
    this.error = null;
    this.notice = null;
    const names = files.map((f) => f.name).join(', ');
    try {
      const read = await readModelFiles(files.map((f) => ({ name: f.name, blob: f })));
      const replaced = await this.adopt({
        onnx: read.onnx.slice().buffer,
        card: read.card,
        markdown: read.markdown,
        ...(read.fittedRows ? { fittedRows: read.fittedRows.slice().buffer } : {}),
        origin: 'file',
        fileName: names,
        savedAt: new Date().toISOString(),
      });
      this.notice = `Now scoring with your model ${read.card.version}, loaded from ${names}.${replaced}`;
    } catch (error) {
      // ModelFileError messages name the file and the reason; anything else is unexpected: name the files.
      this.error =
        error instanceof ModelFileError
          ? `The model was not loaded: ${error.message}`
          : `The model was not loaded from ${names}: ${messageOf(error)}`;
    }
  }
}

/** The app's one model choice. */
export const models = new ModelsState();
