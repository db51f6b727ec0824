/**
 * Training a model on a labelled file in the training worker: progress, Cancel, the refusals, and the trained
 * model handed to `models` once it has passed the guard: used for scoring when it is at least as good as the
 * model in use on the same holdout rows (switchVerdict), else kept out of use with both AUCs said and a button to
 * use it anyway.
 */
import { archiveName, modelArchive } from '../../core/card/model-files';
import { switchVerdict } from '../../core/train/policy';
import { isAbort } from '../worker-bridge';
import type { SavedModel } from './model-store';
import { models } from './models.svelte';
import { cancelTraining, type TrainProgress, type TrainRequest, trainInWorker } from './train-bridge';

/** The CLI's defaults (`npm run train`): the same file gives the same model.onnx in both. */
export const TRAIN_DEFAULTS: Omit<TrainRequest, 'gitCommit' | 'member' | 'inUse'> = {
  seed: 42,
  holdout: 0.2,
  folds: 5,
  baselines: true,
};

/**
 * Where a run was started, so its progress and outcome are shown next to the button that started it: the
 * Model section at the top, or the results' "Train a model on your own labelled data".
 */
export type TrainPlace = 'section' | 'results';

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}

/**
 * A model trained here that did not beat the model in use on the same holdout rows. `kept`: saved on the device
 * with the built-in model still in use ("Your model" in the Model section switches to it too). Otherwise the
 * user's model in use keeps the device's one place for a model of theirs, and this one is held on the page only,
 * with its archive to download.
 */
export interface OutrankedModel {
  model: SavedModel;
  kept: boolean;
  archive: { url: string; name: string } | null;
}

class TrainingState {
  running = $state(false);
  /** The file being or last trained on. */
  file = $state.raw<File | null>(null);
  progress = $state.raw<TrainProgress | null>(null);
  /** performance.now() when the last progress arrived (the page counts the time left down between messages). */
  progressAt = $state(0);
  place = $state<TrainPlace>('section');
  /** How the last run ended, when it did not fail: trained (and in use), or stopped. */
  notice = $state<string | null>(null);
  /** How the last trained file was read (zip member, encoding, separator, skipped lines, repeated ids). */
  notes = $state.raw<string[]>([]);
  /** Why the last run failed or was refused. */
  error = $state<string | null>(null);
  /** The last run's model, when it was not switched in (see OutrankedModel). */
  outranked = $state.raw<OutrankedModel | null>(null);
  private job = 0;

  /**
   * Trains on a labelled file (a zip's `member`, when one was chosen for scoring); the model, once it passes
   * the guard, becomes the one in use if its holdout AUC is not below the model in use's on the same rows.
   */
  async train(file: File, { member, place }: { member?: string; place: TrainPlace }): Promise<void> {
    const job = ++this.job;
    this.clearMessages();
    models.error = null;
    models.notice = null;
    this.file = file;
    this.place = place;
    this.progress = null;
    this.running = true;
    // The Model section's controls are disabled while a run goes: this stays the model in use until it ends.
    const inUse = models.choice();
    try {
      const trained = await trainInWorker(
        file,
        { ...TRAIN_DEFAULTS, member, gitCommit: __GIT_COMMIT__, inUse },
        (progress) => {
          if (job !== this.job) return;
          this.progress = progress;
          this.progressAt = performance.now();
        },
      );
      if (job !== this.job) return;
      this.running = false;
      this.notes = trained.notes;
      const model: SavedModel = {
        onnx: trained.onnx,
        card: trained.card,
        markdown: trained.markdown,
        fittedRows: trained.fittedRows,
        origin: 'trained',
        fileName: file.name,
        savedAt: new Date().toISOString(),
      };
      const { version } = trained.card;
      const took = `Trained on ${file.name} in ${trained.card.metrics.trainSeconds.toFixed(0)} s`;
      if (inUse && inUse.card.model.sha256 === trained.card.model.sha256) {
        // The same rows and settings again: the very model in use, which a comparison would set against itself.
        // Adopted only to keep a record of its fitted rows that an older copy of it lacks.
        if (!models.saved?.fittedRows && model.fittedRows) await models.adopt(model);
        const { auc, rows } = trained.card.metrics.holdout;
        this.notice =
          `${took}: the same model as your model ${version}, which stays in use (holdout AUC ` +
          `${auc.toFixed(4)} on ${rows.toLocaleString('en-US')} rows). Nothing changed.`;
        return;
      }
      const previous = inUse ? `your model ${inUse.card.version}` : 'the built-in model';
      const verdict = switchVerdict(trained.card.metrics.holdout, trained.previous, {
        trained: inUse ? 'The new model' : 'Your model',
        previous,
      });
      if (verdict.switchIn) {
        const replaced = await models.adopt(model);
        this.notice = `${took}: your model ${version} is now in use ${verdict.reason}.${replaced}`;
      } else if (!inUse) {
        const replaced = await models.keep(model);
        this.outranked = { model, kept: true, archive: null };
        this.notice = `${took}. ${verdict.reason} Your model ${version} is kept on this device.${replaced}`;
      } else {
        const zip = await modelArchive({
          onnx: new Uint8Array(model.onnx),
          card: model.card,
          markdown: model.markdown,
          fittedRows: model.fittedRows && new Uint8Array(model.fittedRows),
        });
        this.outranked = {
          model,
          kept: false,
          archive: { url: URL.createObjectURL(zip), name: archiveName(model.card) },
        };
        this.notice =
          `${took}. ${verdict.reason} The new model ${version} is not kept on this device, which keeps one ` +
          `model of yours: download it, or use it anyway in place of ${previous}.`;
      }
    } catch (error) {
      if (job !== this.job) return;
      if (isAbort(error)) this.notice = `Stopped training on ${file.name}. The model in use has not changed.`;
      else this.error = `Cannot train a model on ${file.name}: ${messageOf(error)}`;
    } finally {
      if (job === this.job) {
        this.running = false;
        this.progress = null;
      }
    }
  }

  /** Switches the last run's outranked model in, at the user's word. */
  async useAnyway(): Promise<void> {
    const held = this.outranked;
    if (!held) return;
    this.clearMessages();
    let replaced = '';
    if (held.kept) await models.choose('yours');
    else replaced = await models.adopt(held.model);
    this.notice = `Your model ${held.model.card.version} is now in use.${replaced}`;
  }

  /** Stops training at once (the worker is terminated). */
  cancel(): void {
    if (this.running) cancelTraining();
  }

  /** Forgets how the last run ended (another action on the models makes it old news). */
  clearMessages(): void {
    this.notice = null;
    this.notes = [];
    this.error = null;
    if (this.outranked?.archive) URL.revokeObjectURL(this.outranked.archive.url);
    this.outranked = null;
  }
}

/** The app's one training state. */
export const training = new TrainingState();
