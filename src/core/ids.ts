/**
 * Customer ids packed as UTF-8 bytes with end offsets. A file's ids cost about their length plus 4 bytes each,
 * in two buffers that move between threads without copying, instead of one JS string per row in each thread
 * (which kept every id alive through the young generation of the scoring worker: memory grew with the file).
 */

/** `count` ids: id i is the UTF-8 bytes [ends[i - 1] (0 for i = 0), ends[i]) of `bytes`. */
export interface PackedIds {
  readonly count: number;
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

import { withRoom } from './grow';

const encoder = new TextEncoder();
// Ids come from decoded text, so they are well-formed UTF-16 and their UTF-8 bytes decode back to the same string.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Decodes UTF-8 bytes [start, end) (U+FFFD for bytes that are not UTF-8: callers check first where that
 * matters); short ASCII runs skip TextDecoder's per-call cost.
 */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let text = '';
    for (let i = start; i < end; i++) {
      const b = buf[i];
      if (b >= 0x80) return decoder.decode(buf.subarray(start, end));
      text += String.fromCharCode(b);
    }
    return text;
  }
  return decoder.decode(buf.subarray(start, end));
}

/** Builds a PackedIds id by id; the buffers grow as needed. */
export class IdWriter {
  private bytes: Uint8Array;
  private ends: Uint32Array;
  private size = 0;
  count = 0;

  constructor(rows = 16, bytesPerRow = 16) {
    this.ends = new Uint32Array(Math.max(1, rows));
    this.bytes = new Uint8Array(Math.max(16, this.ends.length * bytesPerRow));
  }

  /** Appends one id. */
  push(id: string): void {
    this.room(id.length * 3);
    let at = this.size;
    const bytes = this.bytes;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c >= 0x80) {
        at = this.size + encoder.encodeInto(id, bytes.subarray(this.size)).written;
        break;
      }
      bytes[at++] = c;
    }
    this.end(at);
  }

  /**
   * Appends the bytes buf[start, end) as an id, unchecked; returns true when one of them is above 0x7F. Such an
   * id may not be UTF-8: the caller checks it (lastBytes) before the ids go anywhere.
   */
  pushBytes(buf: Uint8Array, start: number, end: number): boolean {
    this.room(end - start);
    const bytes = this.bytes;
    let at = this.size;
    let high = 0;
    for (let i = start; i < end; i++) {
      const b = buf[i];
      high |= b;
      bytes[at++] = b;
    }
    this.end(at);
    return high >= 0x80;
  }

  /** The bytes of the last id (a view, valid until the next write). */
  lastBytes(): Uint8Array {
    return this.bytes.subarray(this.count < 2 ? 0 : this.ends[this.count - 2], this.size);
  }

  /** Whether the last id is empty or only spaces and tabs. */
  lastIsBlank(): boolean {
    const from = this.count < 2 ? 0 : this.ends[this.count - 2];
    for (let k = from; k < this.size; k++) if (this.bytes[k] !== 32 && this.bytes[k] !== 9) return false;
    return true;
  }

  /** Whether the last id has a byte above 0x7F. */
  lastIsNonAscii(): boolean {
    const from = this.count < 2 ? 0 : this.ends[this.count - 2];
    for (let k = from; k < this.size; k++) if (this.bytes[k] >= 0x80) return true;
    return false;
  }

  /** Removes the last id. */
  pop(): void {
    if (this.count === 0) return;
    this.count--;
    this.size = this.count === 0 ? 0 : this.ends[this.count - 1];
  }

  /** Appends the id whose bytes buf[start, end) are already its UTF-8 (taken from another PackedIds). */
  pushEncoded(buf: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    this.bytes.set(buf.subarray(start, end), this.size);
    this.end(this.size + end - start);
  }

  /** Appends the first `count` ids of `ids`. */
  append(ids: PackedIds, count = ids.count): void {
    if (count === 0) return;
    const size = ids.ends[count - 1];
    this.room(size, count);
    this.bytes.set(ids.bytes.subarray(0, size), this.size);
    for (let i = 0; i < count; i++) this.ends[this.count + i] = this.size + ids.ends[i];
    this.count += count;
    this.size += size;
  }

  /** Starts again from no ids, keeping the buffers. */
  reset(): void {
    this.count = 0;
    this.size = 0;
  }

  /** Whether id `index` written here has the bytes buf[start, end). */
  equalsBytes(index: number, buf: Uint8Array, start: number, end: number): boolean {
    const from = index === 0 ? 0 : this.ends[index - 1];
    if (this.ends[index] - from !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (this.bytes[from + k] !== buf[start + k]) return false;
    return true;
  }

  /** The hash of id `index` written here (see hashBytes). */
  hashOf(index: number): number {
    return hashBytes(this.bytes, index === 0 ? 0 : this.ends[index - 1], this.ends[index]);
  }

  /** The ids written so far, in exact-length buffers of their own. */
  finish(): PackedIds {
    return {
      count: this.count,
      bytes: this.bytes.slice(0, this.size),
      ends: this.ends.slice(0, this.count),
    };
  }

  private room(bytes: number, ids = 1): void {
    this.bytes = withRoom(this.bytes, this.size, this.size + bytes);
    this.ends = withRoom(this.ends, this.count, this.count + ids);
  }

  private end(at: number): void {
    this.ends[this.count++] = at;
    this.size = at;
  }
}

/** Packs a list of ids. */
export function packIds(ids: readonly string[]): PackedIds {
  const writer = new IdWriter(ids.length);
  for (const id of ids) writer.push(id);
  return writer.finish();
}

/** Where id i starts in `bytes`. */
export function idStart(ids: PackedIds, i: number): number {
  return i === 0 ? 0 : ids.ends[i - 1];
}

/** Id i as a string. */
export function idAt(ids: PackedIds, i: number): string {
  if (!(i >= 0 && i < ids.count)) throw new RangeError(`id ${i} of ${ids.count}`);
  return decodeUtf8(ids.bytes, idStart(ids, i), ids.ends[i]);
}

/** All ids as strings (for tests and small files). */
export function unpackIds(ids: PackedIds): string[] {
  return Array.from({ length: ids.count }, (_, i) => idAt(ids, i));
}

/** Index of the first id equal to `id`, or -1; compares bytes, so no string is made per row. */
export function findId(ids: PackedIds, id: string, from = 0): number {
  const wanted = encoder.encode(id);
  const { bytes, ends } = ids;
  for (let i = Math.max(0, from); i < ids.count; i++) {
    const start = idStart(ids, i);
    if (ends[i] - start !== wanted.length) continue;
    let k = 0;
    while (k < wanted.length && bytes[start + k] === wanted[k]) k++;
    if (k === wanted.length) return i;
  }
  return -1;
}

/** The buffers to transfer along with `ids`. */
export function idBuffers(ids: PackedIds): ArrayBuffer[] {
  return [ids.bytes.buffer, ids.ends.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/** FNV-1a over bytes [start, end). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
  return h >>> 0;
}

/**
 * A set of ids, each with the row it was first seen on: an open-addressing hash table over packed bytes,
 * about 30 bytes per distinct id and no JS object per id.
 */
export class IdSet {
  private readonly seen = new IdWriter(1024);
  private firstRows = new Int32Array(1024);
  /** Slot -> index into `seen` plus 1; 0 = empty. */
  private table = new Int32Array(2048);

  /** Distinct ids held. */
  get size(): number {
    return this.seen.count;
  }

  /**
   * One look-up (one hash per id): the row id i of `ids` was first seen on; else -1 after adding it as first seen
   * on `row`, or -2 when the set already holds `limit` ids (then it is not added).
   */
  firstRowOrAdd(ids: PackedIds, i: number, row: number, limit: number): number {
    const slot = this.slotOf(ids, i);
    const entry = this.table[slot];
    if (entry !== 0) return this.firstRows[entry - 1];
    if (this.seen.count >= limit) return -2;
    this.put(ids, i, row, slot);
    return -1;
  }

  private put(ids: PackedIds, i: number, row: number, slot: number): void {
    const index = this.seen.count;
    this.seen.pushEncoded(ids.bytes, idStart(ids, i), ids.ends[i]);
    this.firstRows = withRoom(this.firstRows, index, index + 1);
    this.firstRows[index] = row;
    this.table[slot] = index + 1;
    // Kept at most half full, so probes stay short.
    if (this.seen.count * 2 > this.table.length) this.grow();
  }

  /** The slot holding id i of `ids`, or the empty slot where it would go. */
  private slotOf(ids: PackedIds, i: number): number {
    const start = idStart(ids, i);
    const end = ids.ends[i];
    const mask = this.table.length - 1;
    let slot = hashBytes(ids.bytes, start, end) & mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry === 0 || this.seen.equalsBytes(entry - 1, ids.bytes, start, end)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let index = 0; index < this.seen.count; index++) {
      let slot = this.seen.hashOf(index) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = index + 1;
    }
    this.table = table;
  }
}
