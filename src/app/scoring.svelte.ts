/** The scoring state shared by the components: model readiness, the running job, the last result. */
import { fileProblemMessage } from './file-problem';
import {
  cancelWork,
  isAbort,
  type MemberInfo,
  type ModelFacts,
  prepareModel,
  type ScoreProgress,
  type ScoreResult,
  scoreInWorker,
} from './worker-bridge';

function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return `Something went wrong: ${String(error)}`;
}

/** The sentence naming dropped files that were not scored; undefined when there are none. */
function leftOut(others: File[]): string | undefined {
  if (others.length === 0) return undefined;
  const names = others.slice(0, 3).map((f) => f.name);
  const more = others.length > 3 ? ` and ${others.length - 3} more` : '';
  const them = others.length === 1 ? 'it' : 'them';
  return `Only one file is scored at a time: ${names.join(', ')}${more} ${others.length === 1 ? 'was' : 'were'} not scored; drop ${them} after this one.`;
}

/** The notice shown while and after a file is scored: the file it replaced, and the caller's note. */
function noticeOf(replaced: string | null, name: string, note: string | undefined): string | null {
  const parts: string[] = [];
  if (replaced !== null) {
    parts.push(
      replaced === name
        ? `Stopped scoring ${replaced} and started it again.`
        : `Stopped scoring ${replaced} to score ${name} instead.`,
    );
  }
  if (note) parts.push(note);
  return parts.length > 0 ? parts.join(' ') : null;
}

class ScoringState {
  /** A file is being scored. Its own flag, not `progress !== null`: a progress message may land after the end. */
  running = $state(false);
  model = $state.raw<ModelFacts | null>(null);
  /** The model could not be loaded: scoring is impossible until a reload. */
  modelError = $state<string | null>(null);
  /** The file being or last scored: the insights read it again to explain any customer. */
  file = $state.raw<File | null>(null);
  fileName = $derived(this.file?.name ?? '');
  fileSize = $derived(this.file?.size ?? 0);
  progress = $state.raw<ScoreProgress | null>(null);
  // Large typed arrays: raw state, never deeply proxied.
  result = $state.raw<ScoreResult | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** A zip of several tables was dropped: the tables to choose from (best first), shown by MemberChooser. */
  choice = $state.raw<{ file: File; members: MemberInfo[] } | null>(null);
  downloadUrl = $state<string | null>(null);
  affectedUrl = $state<string | null>(null);
  private job = 0;

  /** Starts the worker and model ahead of the first file, so dropping one scores at once. */
  async prepare(): Promise<void> {
    try {
      this.model = await prepareModel();
      this.modelError = null;
    } catch (error) {
      if (isAbort(error)) return;
      this.modelError = messageOf(error);
    }
  }

  /**
   * Scores a file (a zip's `member`, once chosen); a file dropped while another is running replaces it, and the
   * notice says so. A zip of several tables stops at `choice` until the user picks one (chooseMember).
   * `note`: a sentence for the notice from the caller (files dropped with this one and not scored).
   */
  async score(file: File, member?: string, note?: string): Promise<void> {
    if (this.modelError) {
      // The model was refused (or failed to load): scoring cannot work, say so again rather than retry silently.
      this.error = `Cannot score ${file.name}: ${this.modelError}`;
      return;
    }
    const replaced = this.running ? this.fileName : null;
    if (this.running) cancelWork();
    const job = ++this.job;
    this.clearResult();
    this.error = null;
    this.notice = noticeOf(replaced, file.name, note);
    this.choice = null;
    this.file = file;
    this.progress = { bytes: 0, totalBytes: file.size, rows: 0, elapsedMs: 0 };
    this.running = true;
    try {
      const result = await scoreInWorker(
        file,
        (p) => {
          if (job === this.job) this.progress = p;
        },
        member,
      );
      if (job !== this.job) return;
      if (!this.model) void this.prepare();
      if ('choose' in result) {
        this.choice = { file, members: result.choose };
        return;
      }
      this.result = result;
      this.downloadUrl = URL.createObjectURL(result.predictions);
      this.affectedUrl = result.affectedRows ? URL.createObjectURL(result.affectedRows) : null;
    } catch (error) {
      if (job !== this.job) return;
      if (isAbort(error)) this.notice = `Stopped scoring ${file.name}.`;
      else this.error = fileProblemMessage(error, file.name);
      // A failed or stopped file leaves a fresh worker: warm it for the next one.
      void this.prepare();
    } finally {
      if (job === this.job) {
        this.progress = null;
        this.running = false;
      }
    }
  }

  /**
   * Scores the first of several dropped files and says which were not scored (the page takes one file at a
   * time; nothing the user gave is passed over without a word).
   */
  scoreDropped(files: ArrayLike<File>): Promise<void> {
    if (files.length === 0) return Promise.resolve();
    return this.score(files[0], undefined, leftOut(Array.from(files).slice(1)));
  }

  /** Scores the member picked from the zip in `choice`. */
  chooseMember(name: string): Promise<void> {
    const choice = this.choice;
    return choice ? this.score(choice.file, name) : Promise.resolve();
  }

  /** Closes the member choice without scoring. */
  dismissChoice(): void {
    this.choice = null;
  }

  /** Stops the running file at once. */
  cancel(): void {
    if (!this.running) return;
    cancelWork();
  }

  /** Forgets the last result and its download link. */
  clearResult(): void {
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    if (this.affectedUrl) URL.revokeObjectURL(this.affectedUrl);
    this.downloadUrl = null;
    this.affectedUrl = null;
    this.result = null;
  }

  /** Clears the error message. */
  dismissError(): void {
    this.error = null;
  }
}

/** The app's one scoring state. */
export const scoring = new ScoringState();
