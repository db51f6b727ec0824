import { describe, expect, it } from 'vitest';
import { ScratchArena } from './scratch';

describe('ScratchArena', () => {
  it('hands out 8-byte aligned pieces that do not overlap until reset', () => {
    const arena = new ScratchArena(64);
    const sizes = [3, 8, 13, 1, 40, 64, 5, 100, 7];
    const pieces = sizes.map((n) => arena.take(n));
    pieces.forEach((piece, i) => {
      expect(piece.length).toBe(sizes[i]);
      expect(piece.byteOffset % 8).toBe(0);
      piece.fill(i + 1);
    });
    // Every piece still holds what was written into it: none was handed out twice.
    pieces.forEach((piece, i) => expect([...piece].every((b) => b === i + 1)).toBe(true));
  });

  it('reuses its buffers after reset instead of allocating', () => {
    const arena = new ScratchArena(64);
    const first = [arena.take(30), arena.take(30), arena.take(100)];
    const capacity = arena.capacity;
    arena.reset();
    const again = [arena.take(30), arena.take(30), arena.take(100)];
    expect(arena.capacity).toBe(capacity);
    again.forEach((piece, i) => {
      expect(piece.buffer).toBe(first[i].buffer);
      expect(piece.byteOffset).toBe(first[i].byteOffset);
    });
  });

  it('gives a request larger than its blocks a buffer of its own', () => {
    const arena = new ScratchArena(16);
    const big = arena.take(1000);
    expect(big.length).toBe(1000);
    expect(big.buffer.byteLength).toBe(1000);
    const small = arena.take(8);
    expect(small.buffer).not.toBe(big.buffer);
  });
});
