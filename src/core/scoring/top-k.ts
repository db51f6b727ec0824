/** The highest-scoring rows of a file, kept in a bounded heap so memory does not grow with the file. */

/** One kept row: its score, where it was in the file, and its feature values. */
export interface TopEntry {
  probability: number;
  /** 1-based data-row number in the file. */
  row: number;
  id: string;
  /** The row's feature values (a copy, `width` long). */
  features: Float32Array;
}

/**
 * Keeps the `capacity` rows with the highest scores seen so far. A min-heap on the score: a new row enters
 * only when it beats the weakest kept row, so the common case (most rows) costs one comparison.
 * Ties keep the earlier row, so the result does not depend on batch sizes.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly rows: Float64Array;
  private readonly ids: string[];
  private readonly slots: Int32Array;
  private readonly pool: Float32Array;
  private size = 0;

  constructor(
    readonly capacity: number,
    /** Values kept per row (the feature count). */
    readonly width: number,
  ) {
    this.scores = new Float64Array(capacity);
    this.rows = new Float64Array(capacity);
    this.ids = new Array<string>(capacity);
    // Heap positions point at fixed feature slots, so sifting moves integers, never feature vectors.
    this.slots = new Int32Array(capacity);
    this.pool = new Float32Array(capacity * width);
  }

  /** Number of rows kept. */
  get length(): number {
    return this.size;
  }

  /** Smallest kept score, or -Infinity while the heap is not full (anything enters then). */
  get threshold(): number {
    return this.size < this.capacity ? -Infinity : this.scores[0];
  }

  /** Offers a row whose features are `features[offset .. offset + width)`. */
  offer(probability: number, row: number, id: string, features: Float32Array, offset: number): void {
    if (this.capacity === 0 || Number.isNaN(probability)) return;
    if (this.size < this.capacity) {
      const at = this.size++;
      this.pool.set(features.subarray(offset, offset + this.width), at * this.width);
      this.place(at, probability, row, id, at);
      this.siftUp(at);
    } else if (this.beats(probability, row, 0)) {
      // Full: the new row replaces the weakest (the root) and reuses its feature slot.
      const slot = this.slots[0];
      this.pool.set(features.subarray(offset, offset + this.width), slot * this.width);
      this.place(0, probability, row, id, slot);
      this.siftDown(0);
    }
  }

  /** The kept rows, best first (ties: earlier row first). */
  sorted(): TopEntry[] {
    const out: TopEntry[] = [];
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i];
      out.push({
        probability: this.scores[i],
        row: this.rows[i],
        id: this.ids[i],
        features: this.pool.slice(slot * this.width, (slot + 1) * this.width),
      });
    }
    return out.sort((a, b) => b.probability - a.probability || a.row - b.row);
  }

  /** Whether (score, row) ranks above the entry at heap position i. */
  private beats(score: number, row: number, i: number): boolean {
    return score > this.scores[i] || (score === this.scores[i] && row < this.rows[i]);
  }

  private place(i: number, score: number, row: number, id: string, slot: number): void {
    this.scores[i] = score;
    this.rows[i] = row;
    this.ids[i] = id;
    this.slots[i] = slot;
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i];
    const r = this.rows[i];
    const id = this.ids[i];
    const slot = this.slots[i];
    this.place(i, this.scores[j], this.rows[j], this.ids[j], this.slots[j]);
    this.place(j, s, r, id, slot);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      // The root holds the weakest entry: move up while this one is weaker than its parent.
      if (!this.beats(this.scores[parent], this.rows[parent], i)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let weakest = i;
      if (left < this.size && this.beats(this.scores[weakest], this.rows[weakest], left)) weakest = left;
      if (right < this.size && this.beats(this.scores[weakest], this.rows[weakest], right)) weakest = right;
      if (weakest === i) return;
      this.swap(i, weakest);
      i = weakest;
    }
  }
}
