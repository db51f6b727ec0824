/**
 * The fast path's number kernel: a few hundred bytes of hand-written WebAssembly (number-kernel.wat) that read a
 * run of plain decimal cells of one line into float32, the same rule and the same bits as fast-path.ts's
 * plainNumber (a unit test holds them to it). It does the inner loop of the fast path, the digits of 40 million
 * cells in a full-size file, in about half the time the same loop takes in JS (docs/benchmarks.md).
 *
 * The kernel reads bytes from its own memory, so the fast path keeps its unparsed bytes there: `reserve` makes
 * room and hands out the memory as a Uint8Array, positions in it are the kernel's addresses. One instance per
 * parse run: its memory grows to the largest chunk the run sees and goes with the run.
 */
import { FEATURE_COUNT } from '../schema';
import { growTo, instantiate, type KernelMemory } from '../wasm';
import { NUMBER_KERNEL_WASM } from './number-kernel-wasm';

/** 10^0..10^22 as f64, where the kernel reads them. */
const POW10_AT = 0;
/** The kernel's output: one f32 per cell of a run (a run is at most FEATURE_COUNT cells). */
const OUT_AT = 256;
/** Where the caller's bytes start. */
export const KERNEL_INPUT_AT = OUT_AT + FEATURE_COUNT * 4;
/** Readable bytes kept after the caller's bytes. */
const PAD = 64;

interface Exports {
  memory: KernelMemory;
  /** Where the last cell read ends. */
  pos: { value: number };
  cells(p: number, end: number, n: number, out: number): number;
}

/** One parse run's kernel and memory. */
export class NumberKernel {
  private readonly exports: Exports;
  /** The kernel's whole memory (a new view after every growth). */
  bytes!: Uint8Array;
  /** Views of the output of 0..FEATURE_COUNT cells, made on first use (stale after a growth). */
  private outViews: (Float32Array | undefined)[] = [];

  constructor() {
    this.exports = instantiate<Exports>(NUMBER_KERNEL_WASM);
    this.refresh();
    new Float64Array(this.exports.memory.buffer, POW10_AT, 23).set(
      Array.from({ length: 23 }, (_, k) => Number(`1e${k}`)),
    );
  }

  private refresh(): void {
    this.bytes = new Uint8Array(this.exports.memory.buffer);
    this.outViews = [];
  }

  /**
   * Makes room for `length` bytes at KERNEL_INPUT_AT and returns the memory (the old `bytes` view is stale after a
   * growth; the bytes in it are kept).
   */
  reserve(length: number): Uint8Array {
    if (growTo(this.exports.memory, KERNEL_INPUT_AT + length + PAD) !== this.bytes.buffer) this.refresh();
    return this.bytes;
  }

  /**
   * Reads up to `n` (at most FEATURE_COUNT) plain cells of the line ending at `end` (whose byte is its CR or LF),
   * the first starting at `p`. Returns how many it read; `end()` tells where it stopped, `copy` moves the values.
   */
  cells(p: number, end: number, n: number): number {
    return this.exports.cells(p, end, n, OUT_AT);
  }

  /**
   * After cells() read at least one cell: where the last one ends (a ',' or the line's end). When fewer than asked
   * were read and this is not the line's end, the next cell (at stop + 1) is one the kernel does not take.
   */
  get stop(): number {
    return this.exports.pos.value;
  }

  /** Copies the first `count` values of the last cells() into target[at, at + count). */
  copy(target: Float32Array, at: number, count: number): void {
    let view = this.outViews[count];
    if (!view) view = this.outViews[count] = new Float32Array(this.exports.memory.buffer, OUT_AT, count);
    target.set(view, at);
  }
}
