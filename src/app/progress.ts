/** Progress figures for the page: share done, throughput and time left, from bytes read and time elapsed. */

/** Where a running job stands. */
export interface ProgressFigures {
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  /** Megabytes (10^6 bytes) per second so far, or null before any time has passed. */
  mbPerSecond: number | null;
  /** Estimated seconds left, or null when it cannot be estimated yet. */
  secondsLeft: number | null;
}

/** Figures from the bytes done out of `total` after `elapsedMs` (the average rate is steadier than a window). */
export function progressFigures(done: number, total: number, elapsedMs: number): ProgressFigures {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : null;
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const mbPerSecond = elapsedMs > 0 ? rate / 1e6 : null;
  // Under a tenth of a second or no bytes yet, a rate says nothing about what is left.
  const secondsLeft = total > 0 && rate > 0 && elapsedMs >= 100 ? Math.max(0, (total - done) / rate) : null;
  return { fraction, mbPerSecond, secondsLeft };
}
