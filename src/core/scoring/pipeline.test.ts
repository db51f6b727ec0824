import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './pipeline';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('BoundedQueue', () => {
  it('consumes in order and lets the producer run at most `depth` items ahead', async () => {
    const consumed: number[] = [];
    const gates: (() => void)[] = [];
    const queue = new BoundedQueue<number>(async (n) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      consumed.push(n);
    }, 2);
    let pushed = 0;
    const producer = (async () => {
      for (let i = 0; i < 6; i++) {
        await queue.push(i);
        pushed = i + 1;
      }
    })();
    await tick();
    // One item is being consumed and two wait: the third push has not returned.
    expect(pushed).toBe(2);
    while (consumed.length < 6) {
      gates.shift()?.();
      await tick();
      expect(pushed - consumed.length).toBeLessThanOrEqual(3);
    }
    await producer;
    await queue.drain();
    expect(consumed).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects push and drain with the consumer error', async () => {
    const queue = new BoundedQueue<number>(async (n) => {
      if (n === 1) throw new Error('model failed');
    }, 1);
    await queue.push(0);
    await queue.push(1).catch(() => {});
    await tick();
    await expect(queue.push(2)).rejects.toThrow('model failed');
    await expect(queue.drain()).rejects.toThrow('model failed');
  });

  it('drops waiting items on clear', async () => {
    const consumed: number[] = [];
    let release!: () => void;
    const queue = new BoundedQueue<number>(async (n) => {
      if (n === 0) await new Promise<void>((r) => (release = r));
      consumed.push(n);
    }, 5);
    await queue.push(0);
    await queue.push(1);
    await queue.push(2);
    queue.clear();
    release();
    await queue.drain();
    expect(consumed).toEqual([0]);
  });
});
