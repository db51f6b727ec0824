/** Deterministic stratified splits: a holdout and k folds, the same for the same labels and seed. */
import { mulberry32 } from '../random';

function shuffle(values: Uint32Array, rand: () => number): Uint32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const k = Math.floor(rand() * (i + 1));
    const t = values[i];
    values[i] = values[k];
    values[k] = t;
  }
  return values;
}

function byClass(targets: ArrayLike<number>, rows: Uint32Array): [Uint32Array, Uint32Array] {
  const neg: number[] = [];
  const pos: number[] = [];
  for (const r of rows) (targets[r] > 0.5 ? pos : neg).push(r);
  return [Uint32Array.from(neg), Uint32Array.from(pos)];
}

/** Splits rows 0..n-1 into train and holdout, each class split in the same proportion; both sorted. */
export function stratifiedHoldout(
  targets: ArrayLike<number>,
  holdoutShare: number,
  seed: number,
): { train: Uint32Array; holdout: Uint32Array } {
  const all = new Uint32Array(targets.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  const rand = mulberry32(seed);
  const train: number[] = [];
  const holdout: number[] = [];
  for (const group of byClass(targets, all)) {
    shuffle(group, rand);
    const cut = Math.round(group.length * holdoutShare);
    for (let k = 0; k < group.length; k++) (k < cut ? holdout : train).push(group[k]);
  }
  return { train: Uint32Array.from(train).sort(), holdout: Uint32Array.from(holdout).sort() };
}

/** Fold number (0..folds-1) for each entry of `rows`, balanced per class. */
export function stratifiedFolds(
  targets: ArrayLike<number>,
  rows: Uint32Array,
  folds: number,
  seed: number,
): Uint8Array {
  const position = new Map<number, number>();
  rows.forEach((r, k) => position.set(r, k));
  const fold = new Uint8Array(rows.length);
  const rand = mulberry32(seed ^ 0x5bd1e995);
  for (const group of byClass(targets, rows)) {
    shuffle(group, rand);
    group.forEach((r, k) => (fold[position.get(r)!] = k % folds));
  }
  return fold;
}
