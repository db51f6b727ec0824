import { describe, expect, it } from 'vitest';
import { BoundedQueue, InFlight } from './pipeline';

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

describe('InFlight', () => {
  it('keeps at most maxInFlight calls unanswered, in order, and settles them all', async () => {
    const started: number[] = [];
    const answers: (() => void)[] = [];
    const flight = new InFlight(3);
    let sent = 0;
    const producer = (async () => {
      for (let i = 0; i < 8; i++) {
        await flight.send(() => {
          started.push(i);
          return new Promise<void>((resolve) => answers.push(resolve));
        });
        sent = i + 1;
      }
      await flight.settle();
    })();
    await tick();
    // Three calls started without any answer; the third send waits for the first answer.
    expect(started).toEqual([0, 1, 2]);
    expect(sent).toBe(2);
    let answered = 0;
    while (answered < 8) {
      answers[answered++]();
      await tick();
      expect(started.length - answered).toBeLessThanOrEqual(3);
    }
    await producer;
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('passes a failed call on to a later send or to settle, never as an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const flight = new InFlight(2);
      await flight.send(() => Promise.reject(new Error('worker gone')));
      await tick();
      await expect(flight.send(() => Promise.resolve())).rejects.toThrow('worker gone');
      const again = new InFlight(5);
      await again.send(() => Promise.reject(new Error('late')));
      await tick();
      await expect(again.settle()).rejects.toThrow('late');
      await tick();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
