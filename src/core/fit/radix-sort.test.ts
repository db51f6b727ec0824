import { describe, expect, it } from 'vitest';
import { sortFloat32 } from './radix-sort';

describe('sortFloat32', () => {
  it('sorts like the built-in sort, negatives, zeros, tiny and huge values included', () => {
    const values = Float32Array.from(
      { length: 5000 },
      (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 13) - 6),
    );
    values.set([0, -0, 3.4e38, -3.4e38, 1e-45, -1e-45, 7, 7], 100);
    const sorted = sortFloat32(values);
    expect(Array.from(sorted)).toEqual(Array.from(values.slice().sort()));
    expect(Object.is(sorted[sorted.indexOf(0)], -0)).toBe(true);
  });

  it('leaves the input untouched', () => {
    const values = Float32Array.from([3, 1, 2]);
    sortFloat32(values);
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });
});
