import { describe, expect, it } from 'vitest';
import { Rng, streamSeed } from './prng';

describe('Rng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: number): number[] => {
      const r = new Rng(seed);
      return Array.from({ length: 20 }, () => r.nextUint32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('gives uniforms in [0, 1) and standard normals with the right moments', () => {
    const r = new Rng(3);
    const n = 200_000;
    let below = 0;
    let sum = 0;
    let squares = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      if (u < 0.1) below++;
      const z = r.normal();
      sum += z;
      squares += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(below / n).toBeCloseTo(0.1, 2);
    expect(sum / n).toBeCloseTo(0, 2);
    expect(squares / n).toBeCloseTo(1, 1);
  });

  it('derives independent stream seeds from one seed and a label', () => {
    expect(streamSeed(1, 'rows train')).toBe(streamSeed(1, 'rows train'));
    expect(streamSeed(1, 'rows train')).not.toBe(streamSeed(1, 'rows test'));
    expect(streamSeed(1, 'rows train')).not.toBe(streamSeed(2, 'rows train'));
  });
});
