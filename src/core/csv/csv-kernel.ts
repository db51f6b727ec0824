/**
 * The fast path's kernel: a few hundred bytes of hand-written WebAssembly (csv-kernel.wat) for the two loops that
 * see every byte of a file:
 * - `find` looks for a byte (line breaks, quotes) 16 bytes at a time with SIMD; Chromium's and Node's
 *   TypedArray indexOf take one byte at a time, and three such scans were half the reading worker's CPU;
 * - `cells` reads a run of plain decimal cells of one line into float32, the same rule and the same bits as
 *   JS reference in csv-kernel.test.ts (the test holds them to it): the digits of 40 million cells in a full-size file.
 * Figures in docs/benchmarks.md.
 *
 * The kernel reads bytes from its own memory, so its callers keep the bytes they scan there: `reserve` makes room
 * and hands out the memory as a Uint8Array; positions in it are the kernel's addresses. One instance per parse
 * run (or line index): its memory grows to the largest slice it is given and goes with its owner.
 */
import { FEATURE_COUNT } from '../schema';
import { growTo, instantiate, type KernelMemory } from '../wasm';
import { CSV_KERNEL_WASM } from './csv-kernel-wasm';

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
  find(p: number, end: number, byte: number): number;
}

/** One kernel instance and its memory. */
export class CsvKernel {
  private readonly exports: Exports;
  /** The kernel's whole memory (a new view after every growth). */
  bytes!: Uint8Array;
  /** Views of the output of 0..FEATURE_COUNT cells, made on first use (stale after a growth). */
  private outViews: (Float32Array | undefined)[] = [];

  constructor() {
    this.exports = instantiate<Exports>(CSV_KERNEL_WASM);
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

  /** The position of the first `byte` in bytes[from, to), or -1 (16 bytes at a time). */
  find(from: number, to: number, byte: number): number {
    return this.exports.find(from, to, byte);
  }

  /**
   * Reads up to `n` (at most FEATURE_COUNT) plain cells of the line ending at `end` (whose byte is its CR or LF),
   * the first starting at `p`. Returns how many it read; `stop` tells where it stopped, `copy` moves the values.
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
