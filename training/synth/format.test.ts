import { describe, expect, it } from 'vitest';
import { format4, formatTenThousandths } from './format';

describe('format4', () => {
  it('writes at most 4 decimals without trailing zeros, like the Kaggle files', () => {
    expect(format4(8.92551)).toBe('8.9255');
    expect(format4(-6.78629)).toBe('-6.7863');
    expect(format4(-4.92)).toBe('-4.92');
    expect(format4(5.093)).toBe('5.093');
    expect(format4(5)).toBe('5.0');
    expect(format4(0.00004)).toBe('0.0');
    expect(format4(-0.00004)).toBe('0.0');
    expect(format4(-0.0005)).toBe('-0.0005');
    expect(format4(43.1127)).toBe('43.1127');
    expect(formatTenThousandths(-123456)).toBe('-12.3456');
  });

  it('reads back to the rounded value for many random values', () => {
    for (let i = 0; i < 10_000; i++) {
      const x = (Math.random() - 0.5) * 200;
      const text = format4(x);
      expect(text).toMatch(/^-?\d+\.\d{1,4}$/);
      expect(Math.abs(Number(text) - x)).toBeLessThanOrEqual(0.00005 + 1e-12);
    }
  });
});
