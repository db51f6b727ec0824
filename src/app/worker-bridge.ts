/**
 * The one module that knows the scoring worker: starts it lazily, forwards calls through Comlink, and aborts
 * by terminating it (the next call starts a fresh one). A worker that dies rejects every pending call.
 */
import * as Comlink from 'comlink';
import type { ModelChoice, ModelFacts } from '../worker/model-session';
import type { ExplainedCustomer, ExplainedPaste, FoundRows } from '../worker/insights-api';
import type { MemberChoice, ScoreProgress, ScoreResult, WorkerApi } from '../worker/score-worker';
import type { MemberInfo } from '../core/input/types';

export type {
  ExplainedCustomer,
  ExplainedPaste,
  FoundRows,
  MemberChoice,
  MemberInfo,
  ModelChoice,
  ModelFacts,
  ScoreProgress,
  ScoreResult,
};

let worker: Worker | null = null;
let remote: Comlink.Remote<WorkerApi> | null = null;
/** The model every new worker scores with (null: the built-in one). */
let model: ModelChoice | null = null;
const pending = new Set<(reason: Error) => void>();
let watchdog: ReturnType<typeof setInterval> | null = null;

// A worker that closes or runs out of memory fires no event in Chromium and its calls never settle. Each worker
// holds a Web Lock named after it for its whole life (score-worker.ts), and the page queues for that lock: the
// lock comes free the moment the worker is gone, whatever killed it, while a worker that is merely busy (a
// slow device, a loaded machine: onnxruntime's start-up compile took over 6 s at load 15) keeps it. Pings stay
// as the fallback: without Web Locks, two pings in a row unanswered for 3 s mean gone; with them, only a worker
// silent for about half a minute (hung, or its reading worker gone) is given up.
const PING_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 3000;
const MISSES_WITHOUT_LOCK = 2;
const MISSES_WITH_LOCK = 10;
const STOPPED =
  'The scoring worker stopped unexpectedly (it may have run out of memory). A fresh one has been started: try the file again.';
/** Whether the current worker's life is watched through its lock. */
let lockWatched = false;

function watch(): void {
  if (watchdog) return;
  let misses = 0;
  let inFlight = false;
  const session = setInterval(() => {
    if (inFlight || !remote) return;
    inFlight = true;
    const target = remote;
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), PING_TIMEOUT_MS),
    );
    void Promise.race([target.ping(), timeout]).then((answer) => {
      inFlight = false;
      // A ping of an ended watch (its call settled meanwhile) must not count against the next call's watch:
      // a slow start-up (one miss) followed at once by a file read as two misses and killed a healthy worker.
      if (target !== remote || watchdog !== session) return;
      misses = answer === 'timeout' ? misses + 1 : 0;
      if (misses >= (lockWatched ? MISSES_WITH_LOCK : MISSES_WITHOUT_LOCK)) end(new Error(STOPPED));
    });
  }, PING_EVERY_MS);
  watchdog = session;
}

/** Ends `w` as stopped as soon as its life lock comes free (it holds the lock from its first task on). */
function watchLock(w: Worker, api: Comlink.Remote<WorkerApi>, name: string): void {
  if (!('locks' in navigator)) return;
  void api.holdLifeLock().then((held) => {
    if (!held || w !== worker) return;
    lockWatched = true;
    void navigator.locks.request(name, () => {
      if (w === worker) end(new Error(STOPPED));
    });
  });
}

function unwatch(): void {
  if (watchdog && pending.size === 0) {
    clearInterval(watchdog);
    watchdog = null;
  }
}

function start(): Comlink.Remote<WorkerApi> {
  if (!remote) {
    // Lock names are shared by every tab of the origin: each worker gets its own.
    const name = `scorer ${crypto.randomUUID()}`;
    const w = new Worker(new URL('../worker/score-worker.ts', import.meta.url), { type: 'module', name });
    w.addEventListener('error', (event) => {
      if (w === worker)
        end(
          new Error(`The scoring worker stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`),
        );
    });
    worker = w;
    remote = Comlink.wrap<WorkerApi>(w);
    // The first message, so it is handled before any call that starts the model.
    if (model) void remote.useModel(model);
    lockWatched = false;
    watchLock(w, remote, name);
  }
  return remote;
}

function end(reason: Error): void {
  worker?.terminate();
  worker = null;
  remote = null;
  // Comlink calls to a terminated worker never settle: settle them here.
  for (const reject of [...pending]) reject(reason);
  pending.clear();
  unwatch();
}

function call<T>(fn: (api: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    pending.add(reject);
    watch();
    fn(start())
      .then(resolve, reject)
      .finally(() => {
        pending.delete(reject);
        unwatch();
      });
  });
}

/** Whether an error means the work was cancelled (not a failure to report). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * Scores with this model from now on (null: the built-in one). Work in progress is stopped (its calls reject
 * with an AbortError) and the next call starts a fresh worker that loads the model, so nothing scored with the
 * old model can mix with the new one.
 */
export function useModel(choice: ModelChoice | null): void {
  model = choice;
  end(new DOMException('The model was changed.', 'AbortError'));
}

/** Loads the runtime and model in the worker (once per worker). */
export function prepareModel(): Promise<ModelFacts> {
  return call((api) => api.prepare());
}

/**
 * The zip member scored for each File, so explanations read the same member again (kept here, not in the
 * worker: a worker is replaced after a cancel or a crash, the page's File stays).
 */
const members = new WeakMap<File, string>();

/**
 * Scores a file in the worker (a zip's `member`, when one was chosen); progress arrives a few times a second.
 * Resolves with the members to choose from when the file is a zip of several tables and none was named.
 */
export function scoreInWorker(
  file: File,
  onProgress: (progress: ScoreProgress) => void,
  member?: string,
): Promise<ScoreResult | MemberChoice> {
  if (member === undefined) members.delete(file);
  else members.set(file, member);
  return call<ScoreResult | MemberChoice>((api) => api.score(file, Comlink.proxy(onProgress), member));
}

/** Stops all work at once: pending calls reject with an AbortError; the next call starts a new worker. */
export function cancelWork(): void {
  end(new DOMException('Scoring was cancelled.', 'AbortError'));
}

/**
 * predictions.csv with a `flagged` column for the first `count` customers of the ranking of result `resultId`,
 * written in the worker; null when the worker no longer holds that result (it was replaced after a cancel or a
 * crash).
 */
export function flaggedCsvInWorker(resultId: number, count: number): Promise<Blob | null> {
  return call((api) => api.flaggedCsv(resultId, count));
}

/**
 * The rows with ID_code `id` (the first 10, in file order, each with its rank and score) and how many there are;
 * null when the worker no longer holds the result.
 */
export function findCustomerInWorker(resultId: number, id: string): Promise<FoundRows | null> {
  return call((api) => api.findCustomer(resultId, id));
}

/** Scores and explains one customer's 200 values with the worker's model. */
export function explainValues(id: string, features: Float32Array): Promise<ExplainedCustomer> {
  return call((api) => api.explainValues(id, features));
}

/** Reads a pasted CSV row and explains it, with the issues found in its cells. */
export function explainPasted(text: string, knownHeader: string[] | null): Promise<ExplainedPaste> {
  return call((api) => api.explainPasted(text, knownHeader));
}

/** Explains the data row at 0-based `fileIndex` whose ID_code is `id`; null when it is not in the file. */
export function explainAt(file: File, fileIndex: number, id: string): Promise<ExplainedCustomer | null> {
  return call((api) => api.explainAt(file, fileIndex, id, members.get(file)));
}
