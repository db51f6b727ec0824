/** Progress of a training run as the page shows it: the phase, how far it has got, and the time left. */
import type { TrainPhase, TrainStep } from './train-model';

/** What the page hears a few times a second. */
export interface TrainProgress extends TrainStep {
  /** Since the run started (reading included). */
  elapsedMs: number;
  /**
   * Seconds left, and of what: while reading, of the reading (the fit's length is not known yet); from the 5th
   * feature smoothed, of the whole run. null when there is no estimate yet or the run is past its estimate.
   */
  left: { seconds: number; of: 'reading' | 'training' } | null;
}

/** Features smoothed before the per-feature time is trusted for an estimate. */
const FEATURES_BEFORE_ESTIMATE = 5;

/**
 * Turns steps into progress with a time left. After smoothing, calibrating and checking take `tailShare` of the
 * smoothing time (measured on the full-size synthetic file by scripts/bench-train-browser.ts: about 0.35 with
 * the baselines, most of it the logistic regression; 0.05 without).
 */
export class TrainClock {
  private readonly started: number;
  private smoothingStarted = NaN;
  private readingStarted = NaN;
  /** When the run should end, fixed once smoothing is over. */
  private expectedEnd = NaN;

  constructor(
    private readonly tailShare: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** The progress for a step. */
  progress(step: TrainStep): TrainProgress {
    const t = this.now();
    return { ...step, elapsedMs: t - this.started, left: this.left(step, t) };
  }

  private left(step: TrainStep, t: number): TrainProgress['left'] {
    const phase: TrainPhase = step.phase;
    if (phase === 'reading') {
      if (Number.isNaN(this.readingStarted)) this.readingStarted = t;
      const spent = t - this.readingStarted;
      if (step.done <= 0 || step.total <= 0 || spent <= 0) return null;
      return { seconds: ((step.total - step.done) * spent) / step.done / 1000, of: 'reading' };
    }
    if (phase === 'binning') return null;
    if (phase === 'smoothing') {
      if (Number.isNaN(this.smoothingStarted)) this.smoothingStarted = t;
      if (step.done < FEATURES_BEFORE_ESTIMATE) return null;
      const perFeature = (t - this.smoothingStarted) / step.done;
      const ms = perFeature * (step.total - step.done) + perFeature * step.total * this.tailShare;
      this.expectedEnd = t + ms;
      return { seconds: ms / 1000, of: 'training' };
    }
    if (Number.isNaN(this.expectedEnd) || t >= this.expectedEnd) return null;
    return { seconds: (this.expectedEnd - t) / 1000, of: 'training' };
  }
}
