import { describe, expect, it } from 'vitest';
import { withRoom } from './grow';

describe('withRoom', () => {
  it('returns the array itself while it has room', () => {
    const a = new Uint32Array(4);
    expect(withRoom(a, 2, 4)).toBe(a);
  });

  it('doubles (or more when asked) and keeps the used values and the type', () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    const doubled = withRoom(a, 3, 5);
    expect(doubled).toBeInstanceOf(Float32Array);
    expect(doubled.length).toBe(8);
    expect([...doubled.subarray(0, 4)]).toEqual([1, 2, 3, 0]);
    expect(withRoom(Uint8Array.of(7), 1, 10).length).toBe(10);
  });
});
