import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findId, idAt, IdSet, IdWriter, packIds, unpackIds } from './ids';

const encoder = new TextEncoder();
// Ids as the reader makes them: any well-formed text (no lone surrogates), empty included.
const anyId = fc.string({ unit: 'grapheme', maxLength: 40 });
const anyIds = fc.array(anyId, { maxLength: 60 });

describe('packed ids', () => {
  it('give back every id unchanged, whatever its characters', () => {
    fc.assert(
      fc.property(anyIds, (ids) => {
        const packed = packIds(ids);
        expect(packed.count).toBe(ids.length);
        expect(unpackIds(packed)).toEqual(ids);
        // The bytes are the ids' UTF-8, one after another.
        expect(packed.bytes).toEqual(encoder.encode(ids.join('')));
      }),
    );
  });

  it('take raw bytes as the reader sees them, invalid UTF-8 read as U+FFFD', () => {
    const w = new IdWriter(1, 1);
    const line = encoder.encode('test_1,caf\u00e9,\u{1F600}x');
    w.pushBytes(line, 0, 6);
    w.pushBytes(line, 7, 12);
    w.pushBytes(line, 13, line.length);
    w.pushBytes(Uint8Array.from([0x61, 0xff, 0x62]), 0, 3);
    w.push('');
    expect(unpackIds(w.finish())).toEqual(['test_1', 'caf\u00e9', '\u{1F600}x', 'a\uFFFDb', '']);
  });

  it('append the first rows of another batch', () => {
    fc.assert(
      fc.property(fc.array(anyIds, { maxLength: 6 }), fc.nat(), (batches, cut) => {
        const w = new IdWriter(1, 1);
        const expected: string[] = [];
        for (const ids of batches) {
          const take = ids.length === 0 ? 0 : cut % (ids.length + 1);
          w.append(packIds(ids), take);
          expected.push(...ids.slice(0, take));
        }
        expect(unpackIds(w.finish())).toEqual(expected);
      }),
    );
  });

  it('finish into buffers of their own, so a transfer takes nothing else', () => {
    const w = new IdWriter(100);
    w.push('a');
    w.push('bc');
    const packed = w.finish();
    expect(packed.bytes.buffer.byteLength).toBe(3);
    expect(packed.ends.buffer.byteLength).toBe(8);
    w.reset();
    w.push('zz');
    expect(unpackIds(packed)).toEqual(['a', 'bc']);
    expect(unpackIds(w.finish())).toEqual(['zz']);
  });

  it('find the first row with an id, as Array.indexOf does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<string>('a', 'b', 'ab', '', '\u00e9', 'b\u00e9'), { maxLength: 20 }),
        (ids) => {
          const packed = packIds(ids);
          for (const id of ['a', 'b', 'ab', '', '\u00e9', 'b\u00e9', 'zz']) {
            expect(findId(packed, id)).toBe(ids.indexOf(id));
          }
        },
      ),
    );
  });

  it('refuse an index out of range', () => {
    expect(() => idAt(packIds(['a']), 1)).toThrow(RangeError);
    expect(() => idAt(packIds(['a']), -1)).toThrow(RangeError);
  });
});

describe('IdSet', () => {
  it('remembers the first row of every id, as a Map does, through many regrowths', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 5000 }), (keys) => {
        const ids = packIds(keys.map((k) => (k % 7 === 0 ? `\u00e9${k}` : `id_${k}`)));
        const set = new IdSet();
        const map = new Map<string, number>();
        keys.forEach((_, i) => {
          const id = idAt(ids, i);
          expect(set.firstRowOrAdd(ids, i, i + 1, Infinity)).toBe(map.get(id) ?? -1);
          if (!map.has(id)) map.set(id, i + 1);
        });
        expect(set.size).toBe(map.size);
      }),
      { numRuns: 20 },
    );
  });

  it('firstRowOrAdd stops adding at the limit and still answers for the ids it holds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 2000 }),
        fc.integer({ min: 0, max: 400 }),
        (keys, limit) => {
          const ids = packIds(keys.map((k) => `id_${k}`));
          const set = new IdSet();
          const map = new Map<string, number>();
          keys.forEach((_, i) => {
            const id = idAt(ids, i);
            const expected = map.get(id) ?? (map.size >= limit ? -2 : -1);
            expect(set.firstRowOrAdd(ids, i, i + 1, limit)).toBe(expected);
            if (expected === -1) map.set(id, i + 1);
          });
          expect(set.size).toBe(map.size);
        },
      ),
      { numRuns: 30 },
    );
  });
});
