import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { FEATURE_COUNT } from '../schema';
import { FALSE_POSITIVE_RATE, FittedRows, FittedRowsError, rowFingerprint } from './fitted-rows';

/** `rows` rows of 4-decimal values, as a Kaggle-like file holds them (float32 of the decimal). */
function table(rows: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const out = new Float32Array(rows * FEATURE_COUNT);
  for (let i = 0; i < out.length; i++) out[i] = Number((random() * 40 - 20).toFixed(4));
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('rowFingerprint', () => {
  it('is a fixed function of the 200 values: pinned, so Node and browsers (and later versions) agree', () => {
    const x = new Float32Array(FEATURE_COUNT).map((_, j) => j * 0.25 - 7);
    expect(rowFingerprint(x, 0)).toEqual(rowFingerprint(Float32Array.from(x), 0));
    // Pinned: a change here makes every fitted-rows.bin written before it useless.
    expect(rowFingerprint(x, 0).map((h) => h.toString(16).padStart(8, '0'))).toEqual([
      '5d848596',
      'f8b7e06b',
    ]);
  });

  it('reads the row asked for, wherever it sits in the array (views included)', () => {
    const x = table(3, 1);
    const view = new Float32Array(x.buffer, FEATURE_COUNT * 4, FEATURE_COUNT * 2);
    expect(rowFingerprint(view, 0)).toEqual(rowFingerprint(x, 1));
    expect(rowFingerprint(x, 1)).not.toEqual(rowFingerprint(x, 2));
  });

  it('gives -0 the fingerprint of 0 and every NaN one fingerprint, as CSV, Parquet and zip readers may differ there', () => {
    const a = new Float32Array(FEATURE_COUNT).fill(1.5);
    const b = Float32Array.from(a);
    a[3] = 0;
    b[3] = -0;
    expect(rowFingerprint(a, 0)).toEqual(rowFingerprint(b, 0));
    const words = new Uint32Array(b.buffer);
    a[7] = NaN;
    words[7] = 0xffc00001; // a NaN with the sign and another payload
    expect(Number.isNaN(b[7])).toBe(true);
    expect(rowFingerprint(a, 0)).toEqual(rowFingerprint(b, 0));
  });

  it('changes with any one value, by one float32 step', () => {
    const x = table(1, 2);
    const seen = new Set([rowFingerprint(x, 0).join()]);
    for (const j of [0, 57, 199]) {
      const y = Float32Array.from(x);
      y[j] = Math.fround(y[j] * (1 + 2 ** -23));
      expect(y[j]).not.toBe(x[j]);
      seen.add(rowFingerprint(y, 0).join());
    }
    expect(seen.size).toBe(4);
  });
});

describe('FittedRows', () => {
  it('holds every row it was built from, and about 1 in 10,000 other rows', () => {
    const fitted = table(5000, 3);
    const fresh = table(50000, 4);
    const set = FittedRows.of(fitted, range(5000));
    expect(Array.from(set.mark(fitted, 5000)).every((m) => m === 1)).toBe(true);
    // 5 expected in 50,000 (Poisson: 14 or more once in 2,000 runs).
    const falsePositives = set.mark(fresh, 50000).reduce((a, b) => a + b, 0);
    expect(FALSE_POSITIVE_RATE).toBe(1e-4);
    expect(falsePositives).toBeLessThan(14);
  });

  it('holds only the rows given (a training part), matched by content: another order or copy of a row is found', () => {
    const x = table(400, 5);
    const set = FittedRows.of(x, range(200));
    const copy = new Float32Array(FEATURE_COUNT * 2);
    copy.set(x.subarray(150 * FEATURE_COUNT, 151 * FEATURE_COUNT), FEATURE_COUNT);
    expect(set.has(copy, 1)).toBe(true);
    const held = Array.from(set.mark(x, 400));
    expect(held.slice(0, 200).every((m) => m === 1)).toBe(true);
    expect(held.slice(200).reduce((a, b) => a + b, 0)).toBeLessThan(2);
  });

  it('never holds a row with a missing value (training refuses them; all-missing rows would all look alike)', () => {
    const x = table(2, 6);
    const set = FittedRows.of(x, [0, 1]);
    const y = Float32Array.from(x);
    y[5] = NaN;
    expect(set.has(x, 0)).toBe(true);
    expect(set.has(y, 0)).toBe(false);
  });

  it('is about 480 KB for 200,000 rows: 16-byte header, then 19.2 bits a row', () => {
    const x = table(1, 7);
    const set = FittedRows.of(x, new Uint32Array(200_000));
    expect(set.hashes).toBe(13);
    expect(set.bytes().byteLength).toBe(16 + 479_253);
    expect(set.rows).toBe(200_000);
  });

  it('reads back its bytes into the same set, and the same rows give the same bytes', () => {
    const x = table(300, 8);
    const bytes = FittedRows.of(x, range(250)).bytes();
    expect(FittedRows.of(x, range(250)).bytes()).toEqual(bytes);
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0x46, 0x49, 0x54, 0x52, 1, 13]);
    const back = FittedRows.parse(bytes);
    expect(back.rows).toBe(250);
    expect(back.bytes()).toEqual(bytes);
    expect(Array.from(back.mark(x, 300))).toEqual(Array.from(FittedRows.of(x, range(250)).mark(x, 300)));
  });

  it('refuses bytes that are not a fitted-rows.bin, saying why', () => {
    const bytes = FittedRows.of(table(10, 9), range(10)).bytes();
    expect(() => FittedRows.parse(bytes.subarray(0, 10))).toThrow(FittedRowsError);
    expect(() => FittedRows.parse(new TextEncoder().encode('ID_code,target,var_0\n'))).toThrow(
      /no FITR header/,
    );
    const future = bytes.slice();
    future[4] = 2;
    expect(() => FittedRows.parse(future)).toThrow(/format version 2; this app reads version 1/);
    expect(() => FittedRows.parse(bytes.subarray(0, bytes.length - 1))).toThrow(/its header says/);
  });
});
