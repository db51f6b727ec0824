import { describe, expect, it } from 'vitest';
import { progressFigures } from './progress';

describe('progressFigures', () => {
  it('derives share, rate and time left from the average rate', () => {
    const f = progressFigures(50e6, 200e6, 500);
    expect(f.fraction).toBe(0.25);
    expect(f.mbPerSecond).toBeCloseTo(100);
    expect(f.secondsLeft).toBeCloseTo(1.5);
  });

  it('gives no estimate before time has passed or without a total', () => {
    expect(progressFigures(0, 100, 0)).toEqual({ fraction: 0, mbPerSecond: null, secondsLeft: null });
    expect(progressFigures(10, 0, 1000).fraction).toBeNull();
    expect(progressFigures(10, 0, 1000).secondsLeft).toBeNull();
    expect(progressFigures(10, 100, 50).secondsLeft).toBeNull();
  });

  it('clamps the share when more bytes than the total were counted', () => {
    expect(progressFigures(120, 100, 1000).fraction).toBe(1);
    expect(progressFigures(120, 100, 1000).secondsLeft).toBe(0);
  });
});
