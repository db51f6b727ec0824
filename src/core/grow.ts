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
