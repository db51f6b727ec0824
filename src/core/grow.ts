/** Growing typed arrays by doubling, for the builders that append batch by batch. */

type Growable = Uint8Array | Uint32Array | Int32Array | Float32Array;

/**
 * `array` itself when it holds `needed` values; else a new array of the same type, at least twice as long, with
 * the first `used` values copied over.
 */
export function withRoom<T extends Growable>(array: T, used: number, needed: number): T {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(array.length * 2, needed));
  next.set(array.subarray(0, used));
  return next;
}

/** Uint32 list that grows by doubling, kept sorted by its callers. */
export class GrowableU32 {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    this.data = withRoom(this.data, this.length, this.length + 1);
    this.data[this.length++] = v;
  }
  insertAt(at: number, v: number): void {
    this.data = withRoom(this.data, this.length, this.length + 1);
    this.data.copyWithin(at + 1, at, this.length);
    this.data[at] = v;
    this.length++;
  }
  /** First index whose value is >= v. */
  lowerBound(v: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
