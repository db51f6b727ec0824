/**
 * The one module that knows the training worker: starts one per run, forwards the call through Comlink, and
 * ends it by terminating it, which is how Cancel stops at once and how the run's memory (hundreds of MB for a
 * large file) is handed back to the system as soon as the model is out.
 */
import * as Comlink from 'comlink';
import type { TrainedFile, TrainProgress, TrainRequest, TrainWorkerApi } from '../../worker/train-worker';

export type { TrainedFile, TrainProgress, TrainRequest };

let worker: Worker | null = null;
let settle: ((reason: Error) => void) | null = null;
let silence: ReturnType<typeof setTimeout> | null = null;

/**
 * A worker that runs out of memory fires no event in Chromium. The training worker holds a Web Lock named after
 * it for its whole life and the page queues for it, so its death is known at once. Where Web Locks are missing,
 * a minute without progress means it died (it reports each feature and each baseline iteration).
 */
const SILENCE_MS = 60_000;
const STOPPED =
  'The training worker stopped unexpectedly (it may have run out of memory). Nothing was changed: the model in use is the same.';

/** Terminates the worker; a pending call rejects with `reason` (null: it has settled already). */
function end(reason: Error | null): void {
  worker?.terminate();
  worker = null;
  if (silence) clearTimeout(silence);
  silence = null;
  const reject = settle;
  settle = null;
  if (reason) reject?.(reason);
}

/** Trains on a file in a fresh worker; a run already going is cancelled first. */
export function trainInWorker(
  file: File,
  request: TrainRequest,
  onProgress: (progress: TrainProgress) => void,
): Promise<TrainedFile> {
  cancelTraining();
  // Lock names are shared by every tab of the origin: each worker gets its own.
  const name = `trainer ${crypto.randomUUID()}`;
  const w = new Worker(new URL('../../worker/train-worker.ts', import.meta.url), { type: 'module', name });
  worker = w;
  const remote = Comlink.wrap<TrainWorkerApi>(w);
  let locked = false;
  const listen = () => {
    if (silence) clearTimeout(silence);
    if (!locked) silence = setTimeout(() => end(new Error(STOPPED)), SILENCE_MS);
  };
  if ('locks' in navigator) {
    void remote.holdLifeLock().then((held) => {
      if (!held || w !== worker) return;
      locked = true;
      if (silence) clearTimeout(silence);
      void navigator.locks.request(name, () => {
        if (w === worker) end(new Error(STOPPED));
      });
    });
  }
  return new Promise<TrainedFile>((resolve, reject) => {
    settle = reject;
    listen();
    w.addEventListener('error', (event) => {
      if (w === worker) {
        end(
          new Error(`The training worker stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`),
        );
      }
    });
    remote
      .train(
        file,
        request,
        Comlink.proxy((progress: TrainProgress) => {
          if (w !== worker) return;
          listen();
          onProgress(progress);
        }),
      )
      .then(
        (trained) => {
          if (w !== worker) return;
          end(null);
          resolve(trained);
        },
        (error: unknown) => {
          if (w !== worker) return;
          end(null);
          reject(error);
        },
      );
  });
}

/** Stops training at once: the pending call rejects with an AbortError. */
export function cancelTraining(): void {
  if (worker) end(new DOMException('Training was cancelled.', 'AbortError'));
}
