/**
 * A record of the rows a model was fitted on, kept with the model (fitted-rows.bin beside model.onnx): a Bloom
 * filter of the rows' content fingerprints. A model in use is compared with a new one only on rows neither was
 * fitted on; a model's figures on a labelled file can leave out the rows it was fitted on.
 *
 * The fingerprint is of the 200 float32 feature values only, not the ID_code: a renamed copy or a re-export with
 * new ids is still recognised, and two customers with the same 200 values to float32 precision do not occur in
 * practice. The one exception would be rows of missing values (all NaN alike), which training refuses: such a row
 * is never in a set (see FittedRows.has).
 *
 * A Bloom filter answers "maybe fitted" for about 1 in 10,000 rows that were not (FALSE_POSITIVE_RATE) and
 * never "not fitted" for a row that was: a false positive only drops a fresh row from a comparison, which is
 * conservative. 1 in 10,000 rather than 1 in 100: the page then says "left out: your model was fitted on them",
 * and at 1% about 5 of a 500-row holdout of fresh rows would be left out as fitted ones, under a model fitted on
 * none of them; at 1 in 10,000 that is one row in 20 such runs. 19.2 bits a row: 480 KB for 200,000 rows (the
 * size of model.onnx), against 6.4 MB for the rows' 32-byte hashes.
 */
import { FEATURE_COUNT } from '../schema';

/** The members' name in a model's files (the zip, models/, the CLI's output folder). */
export const FITTED_ROWS_FILE = 'fitted-rows.bin';
/** The share of rows never fitted that a set built for its row count reports as fitted. */
export const FALSE_POSITIVE_RATE = 1e-4;

/** "FITR": the first 4 bytes of every fitted-rows.bin. */
const MAGIC = [0x46, 0x49, 0x54, 0x52];
const FORMAT_VERSION = 1;
/** Magic (4), version (1), hashes (1), reserved (2), bits (uint32 LE), rows (uint32 LE). */
const HEADER_BYTES = 16;
/** Far more than a browser can train on (the app's memory check refuses millions of rows long before). */
const MAX_BITS = 2 ** 31;

/** A fitted-rows.bin that is not one: the message says why. */
export class FittedRowsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FittedRowsError';
  }
}

/** The float32 values' bit patterns, without a copy (a Float32Array's offset is a multiple of 4). */
function wordsOf(features: Float32Array): Uint32Array {
  return new Uint32Array(features.buffer, features.byteOffset, features.length);
}

/** A float32's bits with every NaN as the one quiet NaN and -0 as +0, so any reader gives the same bits. */
function canonical(w: number): number {
  if ((w & 0x7f800000) === 0x7f800000 && (w & 0x007fffff) !== 0) return 0x7fc00000;
  return w === 0x80000000 ? 0 : w;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function fingerprintWords(words: Uint32Array, row: number): [number, number] {
  let a = 0x9747b28c;
  let b = 0x165667b1;
  const base = row * FEATURE_COUNT;
  for (let j = 0; j < FEATURE_COUNT; j++) {
    const w = canonical(words[base + j]);
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul(rotl(k, 15), 0x1b873593);
    a = (Math.imul(rotl(a ^ k, 13), 5) + 0xe6546b64) | 0;
    b = Math.imul(rotl((b + Math.imul(w, 0x85ebca77)) | 0, 13), 0x9e3779b1);
  }
  return [fmix(a ^ (FEATURE_COUNT * 4)), fmix(b ^ 0x27d4eb2f)];
}

/**
 * The 64-bit fingerprint of row `row` of a row-major [n, 200] array, as two unsigned 32-bit halves: MurmurHash3
 * (x86, 32-bit) and an xxHash32-style round over the 200 canonical float32 bit patterns, two different mixes so
 * the halves act as independent hashes for the filter. Math.imul and >>> only: the same in Node and browsers.
 */
export function rowFingerprint(features: Float32Array, row: number): [number, number] {
  return fingerprintWords(wordsOf(features), row);
}

/** Whether every value of the row is finite (training refuses any other row). */
function finiteRow(words: Uint32Array, row: number): boolean {
  const base = row * FEATURE_COUNT;
  for (let j = 0; j < FEATURE_COUNT; j++) if ((words[base + j] & 0x7f800000) === 0x7f800000) return false;
  return true;
}

/** The filter's size for `rows` rows at FALSE_POSITIVE_RATE: bits (a multiple of 8, at least 64) and hashes. */
function sizeFor(rows: number): { bits: number; hashes: number } {
  const n = Math.max(rows, 1);
  const ideal = Math.ceil((-n * Math.log(FALSE_POSITIVE_RATE)) / Math.LN2 ** 2);
  const bits = Math.max(64, Math.ceil(ideal / 8) * 8);
  return { bits, hashes: Math.max(1, Math.round((bits / n) * Math.LN2)) };
}

/** A set of fitted rows (a Bloom filter of their fingerprints). */
export class FittedRows {
  private constructor(
    /** The filter's bits, bit i at byte i >> 3, mask 1 << (i & 7). */
    private readonly filter: Uint8Array,
    readonly bits: number,
    readonly hashes: number,
    /** How many rows were added (repeats counted). */
    readonly rows: number,
  ) {}

  /** The set of rows `rows` (indices) of a row-major [n, 200] array, sized for their count. */
  static of(features: Float32Array, rows: ArrayLike<number>): FittedRows {
    const { bits, hashes } = sizeFor(rows.length);
    const set = new FittedRows(new Uint8Array(bits / 8), bits, hashes, rows.length);
    const words = wordsOf(features);
    for (let i = 0; i < rows.length; i++) set.add(words, rows[i]);
    return set;
  }

  /** Reads fitted-rows.bin; throws FittedRowsError when the bytes are not one (wrong magic, version, length). */
  static parse(bytes: Uint8Array): FittedRows {
    if (bytes.byteLength < HEADER_BYTES || !MAGIC.every((m, i) => bytes[i] === m)) {
      throw new FittedRowsError(`not a ${FITTED_ROWS_FILE} (no FITR header)`);
    }
    if (bytes[4] !== FORMAT_VERSION) {
      throw new FittedRowsError(`${FITTED_ROWS_FILE} format version ${bytes[4]}; this app reads version 1`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const hashes = bytes[5];
    const bits = view.getUint32(8, true);
    const rows = view.getUint32(12, true);
    if (hashes < 1 || bits < 8 || bits % 8 !== 0 || bits > MAX_BITS) {
      throw new FittedRowsError(
        `${FITTED_ROWS_FILE} has an impossible header (${bits} bits, ${hashes} hashes)`,
      );
    }
    if (bytes.byteLength !== HEADER_BYTES + bits / 8) {
      throw new FittedRowsError(
        `${FITTED_ROWS_FILE} is ${bytes.byteLength} bytes; its header says ${HEADER_BYTES + bits / 8}`,
      );
    }
    return new FittedRows(bytes.slice(HEADER_BYTES), bits, hashes, rows);
  }

  /** fitted-rows.bin: the 16-byte header, then the filter's bits. */
  bytes(): Uint8Array {
    const out = new Uint8Array(HEADER_BYTES + this.filter.byteLength);
    out.set(MAGIC, 0);
    out[4] = FORMAT_VERSION;
    out[5] = this.hashes;
    const view = new DataView(out.buffer);
    view.setUint32(8, this.bits, true);
    view.setUint32(12, this.rows, true);
    out.set(this.filter, HEADER_BYTES);
    return out;
  }

  /** Calls `visit` with each of the row's `hashes` bit positions (double hashing: h1 + i h2, mod bits). */
  private positions(words: Uint32Array, row: number, visit: (bit: number) => boolean | void): boolean {
    const [h1, h2] = fingerprintWords(words, row);
    let bit = h1 % this.bits;
    // A step of 0 would visit one bit k times.
    const step = h2 % this.bits || 1;
    for (let i = 0; i < this.hashes; i++) {
      if (visit(bit) === false) return false;
      bit = (bit + step) % this.bits;
    }
    return true;
  }

  private add(words: Uint32Array, row: number): void {
    this.positions(words, row, (bit) => {
      this.filter[bit >> 3] |= 1 << (bit & 7);
    });
  }

  /**
   * Whether row `row` of a row-major [n, 200] array may be one the model was fitted on: always true for a
   * fitted row, true for about FALSE_POSITIVE_RATE of others. False for a row with a missing (non-finite) value:
   * training refuses those, and every all-missing row has the same fingerprint.
   */
  has(features: Float32Array, row: number): boolean {
    return this.hasWords(wordsOf(features), row);
  }

  private hasWords(words: Uint32Array, row: number): boolean {
    if (!finiteRow(words, row)) return false;
    return this.positions(words, row, (bit) => (this.filter[bit >> 3] & (1 << (bit & 7))) !== 0);
  }

  /** The rows of a row-major [n, 200] array this set may hold (see has): 1 per such row, else 0. */
  mark(features: Float32Array, rows: number): Uint8Array {
    const words = wordsOf(features);
    const marks = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) marks[r] = this.hasWords(words, r) ? 1 : 0;
    return marks;
  }
}
