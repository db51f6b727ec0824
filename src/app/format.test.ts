import { describe, expect, it } from 'vitest';
import { formatBytes, formatSeconds } from './format';

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
