/**
 * The shared real-world cases through the shared reader and the cell policy, as the worker reads them: each is
 * read exactly as its plain twin (same ids, features bit for bit) and says how it was read.
 */
import { describe, expect, it } from 'vitest';
import { CellPolicy } from '../../src/core/cell-policy';
import { collect, openBytes } from '../../src/core/csv/collect';
import { readingNotes } from '../../src/core/csv/notes';
import { caseFiles } from '../fixtures/cases';

async function read(bytes: Uint8Array) {
  // Cut into small chunks: the encoding restart and the header search must not depend on chunk sizes.
  const cuts = Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, i) => i * 1000 + 7);
  const result = await collect(openBytes(bytes, cuts), { batchRows: 3 });
  const policy = new CellPolicy();
  for (const issue of result.issues) policy.add(issue);
  expect(policy.verdict(result.summary)).toBeNull();
  return result;
}

describe('real-world cases read as their plain twins', () => {
  for (const c of caseFiles()) {
    it(`${c.name}: ${c.kind}`, async () => {
      const got = await read(c.bytes);
      const plain = await read(new TextEncoder().encode(c.plain));
      expect(got.summary.rows).toBe(c.rows);
      expect(plain.summary.rows).toBe(c.rows);
      expect(got.ids).toEqual(plain.ids);
      expect(new Set(got.ids).size).toBe(c.rows);
      expect(got.ids.join('')).not.toContain('\uFFFD');
      expect(Array.from(new Uint32Array(got.features.buffer))).toEqual(
        Array.from(new Uint32Array(plain.features.buffer)),
      );
      expect(got.issues).toEqual([]);
      const notes = readingNotes(got.summary).join(' ');
      for (const fragment of c.notes) expect(notes).toContain(fragment);
      expect(readingNotes(plain.summary)).toEqual([]);
    });
  }
});
