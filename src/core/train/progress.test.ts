import { describe, expect, it } from 'vitest';
import { TrainClock } from './progress';

/** A clock whose time the test sets. */
function clock(tailShare: number) {
  let now = 0;
  const c = new TrainClock(tailShare, () => now);
  return { c, at: (ms: number) => (now = ms) };
}

describe('TrainClock', () => {
  it('while reading, gives the time left to read at the rate so far', () => {
    const { c, at } = clock(0.35);
    at(0);
    expect(c.progress({ phase: 'reading', done: 0, total: 1000 }).left).toBeNull();
    at(2000);
    const p = c.progress({ phase: 'reading', done: 250, total: 1000 });
    expect(p.left).toEqual({ seconds: 6, of: 'reading' });
    expect(p.elapsedMs).toBe(2000);
  });

  it('from the 5th feature, gives the whole run: features left plus the tail', () => {
    const { c, at } = clock(0.5);
    at(1000);
    c.progress({ phase: 'binning', done: 0, total: 200 });
    at(1000);
    expect(c.progress({ phase: 'smoothing', done: 0, total: 200 }).left).toBeNull();
    at(1400);
    expect(c.progress({ phase: 'smoothing', done: 4, total: 200 }).left).toBeNull();
    at(1500); // 100 ms per feature
    // 195 features left (19.5 s) + the tail: half of 200 features' 20 s.
    expect(c.progress({ phase: 'smoothing', done: 5, total: 200 }).left).toEqual({
      seconds: 29.5,
      of: 'training',
    });
  });

  it('after smoothing, counts down to the expected end, then gives none once past it', () => {
    const { c, at } = clock(0.5);
    at(0);
    c.progress({ phase: 'smoothing', done: 0, total: 10 });
    at(1000);
    c.progress({ phase: 'smoothing', done: 10, total: 10 }); // 100 ms per feature, tail 500 ms
    at(1200);
    expect(c.progress({ phase: 'checking', done: 0, total: 4 }).left).toEqual({
      seconds: 0.3,
      of: 'training',
    });
    at(1600);
    expect(c.progress({ phase: 'checking', done: 3, total: 4 }).left).toBeNull();
  });
});
