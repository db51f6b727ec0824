import { describe, expect, it } from 'vitest';
import {
  cutPercent,
  formatAmount,
  formatBytes,
  formatSeconds,
  parsePercent,
  shortestFloat32,
} from './format';

describe('formatting', () => {
  it('formats every amount with two decimals, large or small, whole or not', () => {
    expect(formatAmount(12480.4)).toBe('12,480.40');
    expect(formatAmount(12480)).toBe('12,480.00');
    expect(formatAmount(37.5)).toBe('37.50');
    expect(formatAmount(20)).toBe('20.00');
    expect(formatAmount(-1200)).toBe('−1,200.00');
    expect(formatAmount(-0.001)).toBe('0.00');
    expect(formatAmount(0)).toBe('0.00');
    expect(formatAmount(Number.NaN)).toBe('–');
  });

  it('formats seconds and bytes for people', () => {
    expect(formatSeconds(0.4)).toBe('< 1 s');
    expect(formatSeconds(12.4)).toBe('12 s');
    expect(formatSeconds(65)).toBe('1 min 05 s');
    expect(formatBytes(312_000_000)).toBe('312 MB');
    expect(formatBytes(1_400_000_000)).toBe('1.4 GB');
    expect(formatBytes(850_000)).toBe('850 kB');
    expect(formatBytes(12)).toBe('12 B');
  });

  it('reads a typed percentage with a decimal point or a decimal comma, and nothing it cannot be sure of', () => {
    expect(parsePercent('12.5')).toBe(12.5);
    expect(parsePercent('12,5')).toBe(12.5);
    expect(parsePercent(' 12,5 % ')).toBe(12.5);
    expect(parsePercent('1e1')).toBe(10);
    expect(parsePercent('.5')).toBe(0.5);
    expect(parsePercent('-5')).toBe(-5);
    expect(parsePercent('150')).toBe(150);
    for (const bad of [
      '',
      ' ',
      'abc',
      '1,234.5',
      '1,2,3',
      '1.2.3',
      '12,5abc',
      'Infinity',
      '%',
      '0x10',
      '0b1',
      'Infinity',
      '-Infinity',
      '1_000',
    ]) {
      expect(parsePercent(bad), bad).toBeNull();
    }
  });
});

describe('shortestFloat32', () => {
  // Up to 7 significant digits, float32's own (the real features have at most 4 decimals and 2 integer digits).
  it('gives back the decimal a float32 was read from, and the same float32', () => {
    for (const text of ['15.5738', '-6.0404', '8.8054', '0.0001', '-123.4567', '0']) {
      const f = Math.fround(Number(text));
      expect(shortestFloat32(f)).toBe(Number(text));
      expect(Math.fround(shortestFloat32(f))).toBe(f);
    }
    expect(shortestFloat32(NaN)).toBeNaN();
  });
});

describe('cutPercent', () => {
  it('rounds a score down to 3 decimals of a percent, finer below 0.001%', () => {
    expect(cutPercent(0.25771234)).toBe(25.771);
    expect(cutPercent(0.9999999)).toBe(99.999);
    expect(cutPercent(1)).toBe(100);
    expect(cutPercent(0.0000012345)).toBe(0.000123);
    expect(cutPercent(0)).toBe(0);
    expect(cutPercent(-0.1)).toBe(0);
  });

  it('typed back as a cut, never cuts above the score it came from (float32 scores too)', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const scores = Float32Array.from({ length: 20000 }, (_, i) =>
      i % 2 ? next() : Math.round(next() * 1e5) / 1e5,
    );
    for (const p of scores) {
      const typed = parsePercent(String(cutPercent(p)));
      expect(typed).not.toBeNull();
      expect(typed! / 100).toBeLessThanOrEqual(p);
      expect(p * 100 - typed!).toBeLessThan(p * 100 >= 1e-3 ? 1.001e-3 : p * 100 * 0.011);
    }
  });

  it('shows a cut typed with 3 decimals as typed', () => {
    for (const typed of [25.771, 0.001, 12.5, 99.999, 33.333, 0.123])
      expect(cutPercent(typed / 100)).toBe(typed);
  });
});
