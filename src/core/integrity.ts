/** Model integrity: the app scores only with the exact model bytes its card describes. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Lower-case hex SHA-256 of some bytes, via Web Crypto (browsers, workers and Node 20 alike). */
export async function sha256Hex(bytes: ArrayBuffer | ArrayBufferView): Promise<string> {
  // Web Crypto takes ArrayBuffer or a view; a view is hashed over its own window, not its whole buffer.
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    bytes as Parameters<typeof globalThis.crypto.subtle.digest>[1],
  );
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Outcome of checking model bytes against the card: `message` is what the user reads when it fails. */
export type ModelCheck = { ok: true; sha256: string } | { ok: false; sha256: string; message: string };

/** The sentence the app shows (and tests look for) when the model cannot be trusted. */
export const MODEL_MISMATCH = 'the model file does not match its card: cannot score';

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Hashes the model bytes and compares them with the card's `model.sha256` (case-insensitive hex).
 * Never throws for a mismatch or a malformed expected hash: it returns `ok: false` with a message
 * that names both hashes, so a swapped or truncated file is refused before any session is created.
 */
export async function verifyModel(
  bytes: ArrayBuffer | ArrayBufferView,
  expectedHex: string,
): Promise<ModelCheck> {
  const sha256 = await sha256Hex(bytes);
  const expected = String(expectedHex ?? '')
    .trim()
    .toLowerCase();
  if (!HEX64.test(expected)) {
    return {
      ok: false,
      sha256,
      message: `${MODEL_MISMATCH} (the card holds no valid SHA-256: "${String(expectedHex).slice(0, 80)}").`,
    };
  }
  if (expected !== sha256) {
    return {
      ok: false,
      sha256,
      message: `${MODEL_MISMATCH} (expected SHA-256 ${expected}, the file has ${sha256}, ${bytes.byteLength} bytes).`,
    };
  }
  return { ok: true, sha256 };
}

/**
 * Lower-case hex SHA-256 of a stream of chunks, hashed as they come (@noble/hashes): Web Crypto has no
 * incremental digest, and a training file of hundreds of MB must not be held whole to be hashed. Each chunk is
 * hashed before the next is asked for, so a reader may reuse its buffer.
 */
export async function sha256Chunks(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = sha256.create();
  for await (const chunk of chunks) hash.update(chunk);
  return bytesToHex(hash.digest());
}
