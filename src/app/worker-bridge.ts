/**
 * The one module that knows the scoring worker: starts it lazily, forwards calls through Comlink, and aborts
 * by terminating it (the next call starts a fresh one). A worker that dies rejects every pending call.
 */
import * as Comlink from 'comlink';
import type { ModelFacts } from '../worker/model-session';
import type { ExplainedCustomer, RankedFile } from '../worker/insights-api';
import type { ScoreProgress, ScoreResult, WorkerApi } from '../worker/score-worker';

export type { ExplainedCustomer, ModelFacts, RankedFile, ScoreProgress, ScoreResult };

let worker: Worker | null = null;
let remote: Comlink.Remote<WorkerApi> | null = null;
const pending = new Set<(reason: Error) => void>();

function start(): Comlink.Remote<WorkerApi> {
  if (!remote) {
    const w = new Worker(new URL('../worker/score-worker.ts', import.meta.url), {
      type: 'module',
      name: 'scorer',
    });
    w.addEventListener('error', (event) => {
      if (w === worker)
        end(
          new Error(`The scoring worker stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`),
        );
    });
    worker = w;
    remote = Comlink.wrap<WorkerApi>(w);
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
}

function call<T>(fn: (api: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    pending.add(reject);
    fn(start())
      .then(resolve, reject)
      .finally(() => pending.delete(reject));
  });
}

/** Whether an error means the work was cancelled (not a failure to report). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Loads the runtime and model in the worker (once per worker). */
export function prepareModel(): Promise<ModelFacts> {
  return call((api) => api.prepare());
}

/** Scores a file in the worker; progress arrives a few times a second. */
export function scoreInWorker(
  file: File,
  onProgress: (progress: ScoreProgress) => void,
): Promise<ScoreResult> {
  return call((api) => api.score(file, Comlink.proxy(onProgress)));
}

/** Stops all work at once: pending calls reject with an AbortError; the next call starts a new worker. */
export function cancelWork(): void {
  end(new DOMException('Scoring was cancelled.', 'AbortError'));
}

/** Ranks a scored file (and evaluates it on its labels) in the worker, for the insights. */
export function rankInWorker(scores: Float32Array, targets: Float32Array | null): Promise<RankedFile> {
  return call((api) => api.rank(scores, targets));
}

/** Scores and explains one customer's 200 values with the worker's model. */
export function explainValues(id: string, features: Float32Array): Promise<ExplainedCustomer> {
  return call((api) => api.explainValues(id, features));
}

/** Reads a pasted CSV row and explains it. */
export function explainPasted(text: string, knownHeader: string[] | null): Promise<ExplainedCustomer> {
  return call((api) => api.explainPasted(text, knownHeader));
}

/** Finds the row with this ID_code in the file (streamed again) and explains it; null when absent. */
export function explainId(file: File, id: string): Promise<ExplainedCustomer | null> {
  return call((api) => api.explainId(file, id));
}
