import { describe, expect, it } from 'vitest';
import { packIds } from '../ids';
import { predictionLine } from '../output';
import { flaggedCsvChunks } from './flagged-csv';

describe('flaggedCsvChunks', () => {
  it('is the plain predictions file plus a flagged column, in chunks', () => {
    const ids = packIds(['a', '=b', 'c,d', 'e']);
    const p = Float32Array.from([0.1, 0.25, 0.9, 0.000001234]);
    const mask = Uint8Array.from([0, 1, 1, 0]);
    const chunks = flaggedCsvChunks(ids, p, mask, 3);
    expect(chunks).toHaveLength(3);
    const lines = chunks
      .map((c) => new TextDecoder().decode(c))
      .join('')
      .split('\n');
    expect(lines[0]).toBe('ID_code,target,flagged');
    const plain = ['a', '=b', 'c,d', 'e'].map((id, i) => predictionLine(id, p[i]));
    expect(lines.slice(1, 5)).toEqual(plain.slice(0, 4).map((l, i) => `${l},${mask[i]}`));
    expect(lines[5]).toBe('');
  });

  it('refuses arrays of different lengths', () => {
    expect(() => flaggedCsvChunks(packIds(['a']), new Float32Array(2), new Uint8Array(2))).toThrow(
      RangeError,
    );
  });
});
