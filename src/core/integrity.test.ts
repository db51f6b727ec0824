import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MODEL_MISMATCH, sha256Chunks, sha256Hex, verifyModel } from './integrity';

const known = new TextEncoder().encode('abc');
// FIPS 180-2 test vector for "abc".
const abcHash = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function sampleModel(size = 4096): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

describe('sha256Hex', () => {
  it('matches the standard test vectors', async () => {
    expect(await sha256Hex(known.buffer)).toBe(abcHash);
    expect(await sha256Hex(new ArrayBuffer(0))).toBe(emptyHash);
  });

  it('hashes only the window of a view, not its whole buffer', async () => {
    const big = new Uint8Array(10);
    big.set(known, 4);
    expect(await sha256Hex(big.subarray(4, 7))).toBe(abcHash);
  });
});

describe('verifyModel', () => {
  it('accepts the exact bytes, whatever the case of the expected hex', async () => {
    const model = sampleModel();
    const hex = await sha256Hex(model);
    expect(await verifyModel(model.buffer, hex)).toEqual({ ok: true, sha256: hex });
    expect((await verifyModel(model, ` ${hex.toUpperCase()} `)).ok).toBe(true);
  });

  it('refuses a model with one flipped byte, naming both hashes', async () => {
    const model = sampleModel();
    const hex = await sha256Hex(model);
    const tampered = model.slice();
    tampered[1234] ^= 0x01;
    const check = await verifyModel(tampered.buffer, hex);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.message).toContain(MODEL_MISMATCH);
    expect(check.message).toContain(hex);
    expect(check.message).toContain(check.sha256);
    expect(check.sha256).not.toBe(hex);
  });

  it('refuses a truncated model and an empty one', async () => {
    const model = sampleModel();
    const hex = await sha256Hex(model);
    expect((await verifyModel(model.slice(0, 4095), hex)).ok).toBe(false);
    expect((await verifyModel(new ArrayBuffer(0), hex)).ok).toBe(false);
  });

  it('refuses when the card holds no valid hash instead of accepting anything', async () => {
    for (const bad of ['', 'abc', 'z'.repeat(64), undefined as unknown as string]) {
      const check = await verifyModel(sampleModel(), bad);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.message).toMatch(/no valid SHA-256/);
    }
  });
});

describe('sha256Chunks', () => {
  it('equals Node’s SHA-256 of the same bytes however they are cut', async () => {
    const bytes = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 2654435761) >>> 24);
    const expected = createHash('sha256').update(bytes).digest('hex');
    for (const size of [1, 63, 64, 65, 4096, 1 << 20]) {
      async function* chunks() {
        // One reused buffer, as the file reader hands them out.
        const buffer = new Uint8Array(size);
        for (let at = 0; at < bytes.length; at += size) {
          const n = Math.min(size, bytes.length - at);
          buffer.set(bytes.subarray(at, at + n));
          yield buffer.subarray(0, n);
        }
      }
      expect(await sha256Chunks(chunks())).toBe(expected);
    }
    expect(await sha256Chunks((async function* () {})())).toBe(createHash('sha256').digest('hex'));
  });
});
