import { describe, expect, it } from 'vitest';
import { formatBytes, formatSeconds, progressFigures } from './progress';

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

describe('formatting', () => {
  it('formats seconds and bytes for people', () => {
    expect(formatSeconds(0.4)).toBe('< 1 s');
    expect(formatSeconds(12.4)).toBe('12 s');
    expect(formatSeconds(65)).toBe('1 min 05 s');
    expect(formatBytes(312_000_000)).toBe('312 MB');
    expect(formatBytes(1_400_000_000)).toBe('1.4 GB');
    expect(formatBytes(850_000)).toBe('850 kB');
    expect(formatBytes(12)).toBe('12 B');
  });
});
