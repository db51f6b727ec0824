/**
 * The shared real-world cases through the shared way into a file (src/core/input: the content decides, not the
 * name), the reader and the cell policy, as the worker reads them: each is read exactly as its plain twin (same
 * ids, features bit for bit) and says how it was read.
 */
import { describe, expect, it } from 'vitest';
import { CellPolicy } from '../../src/core/cell-policy';
import { readingNotes } from '../../src/core/csv/notes';
import type { ParseSummary, RowIssue } from '../../src/core/csv/types';
import { unpackIds } from '../../src/core/ids';
import { bytesAccess, openTable } from '../../src/core/input';
import { webPlatform } from '../../src/core/input/platform';
import { caseFiles } from '../fixtures/cases';

async function read(bytes: Uint8Array, name: string) {
  // Small chunks: the encoding restart and the header search must not depend on chunk sizes.
  const table = await openTable(bytesAccess(bytes, 1000), { name, platform: webPlatform });
  let ids: string[] = [];
  let features: number[] = [];
  let issues: RowIssue[] = [];
  const summary: ParseSummary = await table.read({
    batchRows: 3,
    onBatch: (batch) => {
      ids.push(...unpackIds(batch.ids));
      features.push(...batch.features);
    },
    onIssue: (issue) => issues.push(issue),
    onRestart: () => ([ids, features, issues] = [[], [], []]),
  });
  const policy = new CellPolicy();
  for (const issue of issues) policy.add(issue);
  expect(policy.verdict(summary)).toBeNull();
  return { summary, ids, features: Float32Array.from(features), issues };
}

describe('real-world cases read as their plain twins', () => {
  for (const c of caseFiles()) {
    it(`${c.name}: ${c.kind}`, async () => {
      const got = await read(c.bytes, c.name);
      const plain = await read(new TextEncoder().encode(c.plain), 'plain.csv');
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
