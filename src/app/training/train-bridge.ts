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
 * The worker reports at least every few hundred ms (each feature, each baseline iteration); a minute without a
 * word means it died (Chromium fires no event when a worker runs out of memory).
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
  const w = new Worker(new URL('../../worker/train-worker.ts', import.meta.url), {
    type: 'module',
    name: 'trainer',
  });
  worker = w;
  const remote = Comlink.wrap<TrainWorkerApi>(w);
  const listen = () => {
    if (silence) clearTimeout(silence);
    silence = setTimeout(() => end(new Error(STOPPED)), SILENCE_MS);
  };
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
