import { describe, expect, it } from 'vitest';
import {
  csvCell,
  csvField,
  formatProbability,
  predictionLine,
  safeSpreadsheetCell,
  writeProbability,
} from './output';
import { mulberry32 } from './random';

describe('safeSpreadsheetCell', () => {
  it('prefixes a quote to values that spreadsheets would read as formulas', () => {
    for (const v of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx'])
      expect(safeSpreadsheetCell(v)).toBe(`'${v}`);
  });
  it('leaves ordinary ids alone', () => {
    for (const v of ['train_0', 'a=b', '', 'x-1']) expect(safeSpreadsheetCell(v)).toBe(v);
  });
});

describe('prediction lines', () => {
  it('quotes fields with commas or quotes and formats 6 significant digits', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(formatProbability(0.123456789)).toBe('0.123457');
    expect(formatProbability(1)).toBe('1');
    expect(predictionLine('=cmd,x', 0.5)).toBe(`"'=cmd,x",0.5`);
  });
});

describe('formatProbability', () => {
  const byToPrecision = (p: number) => (Number.isFinite(p) ? String(Number(p.toPrecision(6))) : 'NaN');
  const f32 = new Float32Array(1);
  const bits = new Uint32Array(f32.buffer);
  /**
   * Every kind of float32 in [0, 1) to `check`: random ones with uniform bits (every decade down to the
   * subnormals) and with uniform values, then those around every power of ten down to 1e-7, where the number of
   * digits after the point changes.
   */
  const float32Probabilities = (u: () => number, check: (p: number) => void) => {
    for (let i = 0; i < 300_000; i++) {
      bits[0] = Math.floor(u() * 0x3f800000);
      check(f32[0]);
      check(Math.fround(u()));
    }
    for (let e = 0; e <= 7; e++) {
      f32[0] = 10 ** -e;
      const at = bits[0];
      for (let d = -3000; d <= 3000; d++) {
        bits[0] = at + d;
        check(f32[0]);
      }
    }
  };

  it('writes what String(Number(p.toPrecision(6))) writes, for every kind of float32 and double', () => {
    const u = mulberry32(7);
    const check = (p: number) => expect(formatProbability(p), String(p)).toBe(byToPrecision(p));
    float32Probabilities(u, check);
    // Exact halves: 65/128 = 0.5078125 rounds up to 0.507813; and values that round up to the next decade.
    for (const p of [65 / 128, 0.5078125, 0.9999995, 0.09999995, 1e-6, 0, -0, 1, 1.5, NaN, Infinity, -0.25])
      check(Math.fround(p));
    // Doubles that are not float32 take the general path.
    for (let i = 0; i < 20_000; i++) check(u() ** 3);
  });

  it("writeProbability writes formatProbability's text as bytes for float32 in [1e-6, 1), and nothing else", () => {
    const u = mulberry32(11);
    const out = new Uint8Array(20).fill(120);
    const decoder = new TextDecoder();
    let written = 0;
    const check = (p: number) => {
      const end = writeProbability(p, out, 3);
      if (p >= 1e-6 && p < 1 && Math.fround(p) === p) {
        expect(decoder.decode(out.subarray(3, end)), String(p)).toBe(formatProbability(p));
        expect(end - 3, String(p)).toBeLessThanOrEqual(14);
        written++;
      } else expect(end, String(p)).toBe(-1);
      expect(out[2]).toBe(120);
    };
    float32Probabilities(u, check);
    for (const p of [65 / 128, 0.9999995, 0.09999995, 1e-6, 0, -0, 1, 1.5, NaN, Infinity, -0.25, 0.1 + 0.2])
      check(Math.fround(p));
    for (let i = 0; i < 2_000; i++) check(u() ** 3);
    expect(written).toBeGreaterThan(300_000);
  });
});

describe('csvCell', () => {
  it('quotes delimiters and quotes, and prefixes formula starters', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    for (const c of ['=', '+', '-', '@', '\t']) expect(csvCell(`${c}1`)).toBe(`'${c}1`);
    expect(csvCell('\r1')).toBe(`"'\r1"`);
  });
});
