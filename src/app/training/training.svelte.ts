/**
 * Training a model on a labelled file in the training worker: progress, Cancel, the refusals, and the trained
 * model handed to `models` (kept on the device and used for scoring) once it has passed the guard.
 */
import { isAbort } from '../worker-bridge';
import { models } from './models.svelte';
import { cancelTraining, type TrainProgress, type TrainRequest, trainInWorker } from './train-bridge';

/** The CLI's defaults (`npm run train`): the same file gives the same model.onnx in both. */
const TRAIN_DEFAULTS: Omit<TrainRequest, 'gitCommit' | 'member'> = {
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
  /** Why the last run failed or was refused. */
  error = $state<string | null>(null);
  private job = 0;

  /**
   * Trains on a labelled file (a zip's `member`, when one was chosen for scoring); the model, once it passes
   * the guard, becomes the one in use.
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
    try {
      const trained = await trainInWorker(
        file,
        { ...TRAIN_DEFAULTS, member, gitCommit: __GIT_COMMIT__ },
        (progress) => {
          if (job !== this.job) return;
          this.progress = progress;
          this.progressAt = performance.now();
        },
      );
      if (job !== this.job) return;
      this.running = false;
      const replaced = await models.adopt({
        onnx: trained.onnx,
        card: trained.card,
        markdown: trained.markdown,
        origin: 'trained',
        fileName: file.name,
        savedAt: new Date().toISOString(),
      });
      const { holdout } = trained.card.metrics;
      this.notice =
        `Trained on ${file.name} in ${trained.card.metrics.trainSeconds.toFixed(0)} s: your model ` +
        `${trained.card.version} is now in use (holdout AUC ${holdout.auc.toFixed(4)} on ` +
        `${holdout.rows.toLocaleString('en-US')} rows it was not fitted on).${replaced}`;
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

  /** Stops training at once (the worker is terminated). */
  cancel(): void {
    if (this.running) cancelTraining();
  }

  /** Forgets how the last run ended (another action on the models makes it old news). */
  clearMessages(): void {
    this.notice = null;
    this.error = null;
  }
}

/** The app's one training state. */
export const training = new TrainingState();
