/**
 * Scratch bytes handed out again and again: a bump allocator over a few large buffers, emptied as a whole.
 *
 * Why: in Chromium, a fresh ArrayBuffer costs its first touch. Measured in a worker on this project's 2-core VM
 * (Chromium 156, 300 MB copied in pieces): into fresh buffers 1.2-1.8 s whatever the piece size (4 KiB-13 MiB),
 * into one reused buffer 11-77 ms; Node 25-350 ms fresh. The Parquet reader's decompressed pages were such fresh
 * buffers, 300 MB of them per 300 MB file.
 */

/** Bytes of each buffer the arena allocates (a larger request gets a buffer of its own size). */
const BLOCK_BYTES = 16 << 20;

export class ScratchArena {
  private readonly blocks: Uint8Array<ArrayBuffer>[] = [];
  /** The block being filled, and the bytes of it handed out. */
  private block = 0;
  private used = 0;

  constructor(private readonly blockBytes = BLOCK_BYTES) {}

  /**
   * `bytes` bytes, 8-byte aligned (so typed arrays can view them in place), valid until the next `reset()`. Their
   * contents are whatever was there before: the caller writes all of them.
   */
  take(bytes: number): Uint8Array<ArrayBuffer> {
    const size = (bytes + 7) & ~7;
    for (; this.block < this.blocks.length; this.block++, this.used = 0) {
      const block = this.blocks[this.block];
      if (this.used + size <= block.length) {
        const view = block.subarray(this.used, this.used + bytes);
        this.used += size;
        return view;
      }
    }
    const block = new Uint8Array(Math.max(this.blockBytes, size));
    this.blocks.push(block);
    this.used = size;
    return block.subarray(0, bytes);
  }

  /** Takes every byte back: what `take` returned before may be handed out again. */
  reset(): void {
    this.block = 0;
    this.used = 0;
  }

  /** Bytes held by the arena's buffers. */
  get capacity(): number {
    return this.blocks.reduce((sum, b) => sum + b.length, 0);
  }
}
