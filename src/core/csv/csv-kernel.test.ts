import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KERNEL_INPUT_AT, CsvKernel } from './csv-kernel';

const encoder = new TextEncoder();
const COMMA = 44;

// 10^0..10^22 are exact doubles: m * 10^k or m / 10^k with m < 2^53 is then one correctly rounded operation,
// which is what Number(text) gives (Clinger's fast path).
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MAX_EXACT_DIGITS = 15;

/**
 * The CSV kernel's rule for a plain decimal cell in JS, the reference its `cells` is held to bit for bit: written into `out[at]` (a Float32Array: rounded to float32 as `Math.fround` would): an
 * optional sign, digits, an optional fraction, 1 to 15 digits in all, then a comma or the line's end. Returns the
 * field's end, or -1 for anything else (exponents, spaces, bad cells: the fast path's slow() decides), leaving `out[at]`
 * unwritten. No bounds checks: the byte at `end` is the line's CR or LF, which no loop accepts.
 */
function plainNumber(buf: Uint8Array, p: number, end: number, out: Float32Array, at: number): number {
  let i = p;
  let b = buf[i];
  let negative = false;
  if (b === 45 || b === 43) {
    negative = b === 45;
    b = buf[++i];
  }
  let mantissa = 0;
  const first = i;
  while (b >= 48 && b <= 57) {
    mantissa = mantissa * 10 + (b - 48);
    b = buf[++i];
  }
  let digits = i - first;
  let fraction = 0;
  if (b === 46) {
    const dot = ++i;
    b = buf[i];
    while (b >= 48 && b <= 57) {
      mantissa = mantissa * 10 + (b - 48);
      b = buf[++i];
    }
    fraction = i - dot;
    digits += fraction;
  }
  // Digits, not significant digits: leading zeros count too, which only sends a few more cells to slow().
  if ((b !== COMMA && i !== end) || i > end || digits === 0 || digits > MAX_EXACT_DIGITS) return -1;
  // mantissa < 10^15 and 10^fraction <= 10^15 are exact doubles: one correctly rounded division, as Number(text).
  const value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
  out[at] = negative ? -value : value;
  return i;
}

/** Puts `line` + '\n' into the kernel's memory; returns the line's start and end (the LF's position). */
function place(kernel: CsvKernel, line: string): { start: number; end: number } {
  const bytes = encoder.encode(`${line}\n`);
  kernel.reserve(bytes.length).set(bytes, KERNEL_INPUT_AT);
  return { start: KERNEL_INPUT_AT, end: KERNEL_INPUT_AT + bytes.length - 1 };
}

/** What the JS rule gives for one cell at the start of `line`: its float32 bits and end, or null. */
function byPlainNumber(line: string): { bits: number; end: number } | null {
  const bytes = encoder.encode(`${line}\n`);
  const out = new Float32Array(1);
  const end = plainNumber(bytes, 0, bytes.length - 1, out, 0);
  return end < 0 ? null : { bits: new Uint32Array(out.buffer)[0], end };
}

/** What the kernel gives for one cell at the start of `line`, in the same terms. */
function byKernel(kernel: CsvKernel, line: string): { bits: number; end: number } | null {
  const { start, end } = place(kernel, line);
  if (kernel.cells(start, end, 1) === 0) return null;
  const out = new Float32Array(1);
  kernel.copy(out, 0, 1);
  return { bits: new Uint32Array(out.buffer)[0], end: kernel.stop - start };
}

const cellText = fc.oneof(
  fc.integer({ min: -4_000_000, max: 4_000_000 }).map((n) => (n / 1e4).toFixed(4)),
  fc.double({ noNaN: true }).map(String),
  fc.stringMatching(/^[+-]?[0-9]{0,18}(\.[0-9]{0,18})?$/),
  fc.stringMatching(/^[ +\-.,0-9eE\r]{0,12}$/),
  fc.constantFrom('', '-', '+', '.', '-.', '0', '-0', '+0', '.5', '5.', '1.2.3', '1e5', ' 1', '1 ', '١'),
);

describe('the CSV kernel', () => {
  it('finds the first byte of a kind in a range, as indexOf does', () => {
    const kernel = new CsvKernel();
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }).map((b) => b.map((x) => x % 4)), // few distinct bytes: many hits
        fc.nat(100),
        fc.nat(100),
        fc.integer({ min: 0, max: 4 }),
        (bytes, a, b, byte) => {
          const memory = kernel.reserve(bytes.length);
          memory.set(bytes, KERNEL_INPUT_AT);
          const from = Math.min(a, b, bytes.length);
          const to = Math.min(Math.max(a, b), bytes.length);
          const found = kernel.find(KERNEL_INPUT_AT + from, KERNEL_INPUT_AT + to, byte);
          const expected = bytes.subarray(from, to).indexOf(byte);
          expect(found).toBe(expected < 0 ? -1 : KERNEL_INPUT_AT + from + expected);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('takes exactly the cells plainNumber takes, with the same float32 bits and end', () => {
    const kernel = new CsvKernel();
    for (const edge of ['123456789012345', '1234567890123456', '0.00000000000001', '-999999999999999']) {
      expect(byKernel(kernel, edge), edge).toEqual(byPlainNumber(edge));
    }
    fc.assert(
      fc.property(cellText, fc.constantFrom('', ',7', ',', ',x'), (cell, rest) => {
        const line = cell + rest;
        expect(byKernel(kernel, line)).toEqual(byPlainNumber(line));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads a run up to the first cell it does not take, and says where the last one read ends', () => {
    const kernel = new CsvKernel();
    const out = new Float32Array(4);
    let { start, end } = place(kernel, '1.5,-2,3e1,4');
    expect(kernel.cells(start, end, 4)).toBe(2);
    expect(kernel.stop - start).toBe(6); // the ',' before '3e1', which is left to the shared cell rules
    kernel.copy(out, 0, 2);
    expect([...out.subarray(0, 2)]).toEqual([1.5, -2]);

    // A line that ends inside the run: the last cell read ends at the line's end.
    ({ start, end } = place(kernel, '7,8'));
    expect(kernel.cells(start, end, 4)).toBe(2);
    expect(kernel.stop).toBe(end);

    // A trailing separator: the empty last cell is not taken, and the stop is not the line's end.
    ({ start, end } = place(kernel, '7,8,'));
    expect(kernel.cells(start, end, 4)).toBe(2);
    expect(kernel.stop).toBe(end - 1);

    // At most n cells.
    ({ start, end } = place(kernel, '1,2,3'));
    expect(kernel.cells(start, end, 2)).toBe(2);
    expect(kernel.stop - start).toBe(3);
  });

  it('keeps its bytes and results right when its memory grows', () => {
    const kernel = new CsvKernel();
    const { start, end } = place(kernel, '4.25,9');
    kernel.reserve(64 << 20); // several pages more: a new buffer behind `bytes`
    expect(kernel.bytes.byteLength).toBeGreaterThan(64 << 20);
    expect(kernel.cells(start, end, 2)).toBe(2);
    const out = new Float32Array(2);
    kernel.copy(out, 0, 2);
    expect([...out]).toEqual([4.25, 9]);
  });
});
