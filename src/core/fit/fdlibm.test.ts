import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { exp, log, log1p } from './fdlibm';

/**
 * Node 20's V8 computes Math.exp, Math.log and Math.log1p with fdlibm's algorithms: these ports must give the
 * same bits, so that the CLI's models (trained with Math.* before) are unchanged and the browser, whose V8
 * rounds differently, gives the same model as the CLI.
 */
const nodeV8 = Number(process.versions.v8.split('.')[0]);

function inputs(n: number, draw: (u: number, v: number) => number): Float64Array {
  const rand = mulberry32(n ^ 0x9e3779b9);
  return Float64Array.from({ length: n }, () => draw(rand(), rand()));
}

const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 2, 1e-300, 5e-324, -5e-324, 1e300, Infinity, -Infinity, NaN];

describe.runIf(nodeV8 <= 11)('fdlibm ports equal Node 20 V8 Math.* bit for bit', () => {
  const same = (f: (x: number) => number, g: (x: number) => number, xs: ArrayLike<number>) => {
    const bad: number[] = [];
    for (let i = 0; i < xs.length; i++) if (!Object.is(f(xs[i]), g(xs[i]))) bad.push(xs[i]);
    return bad.slice(0, 5);
  };

  it('exp, over the fitter range and every branch', () => {
    expect(
      same(
        exp,
        Math.exp,
        inputs(1_000_000, (u) => (u - 0.5) * 80),
      ),
    ).toEqual([]);
    expect(
      same(
        exp,
        Math.exp,
        inputs(300_000, (u) => (u - 0.5) * 1500),
      ),
    ).toEqual([]);
    expect(
      same(
        exp,
        Math.exp,
        inputs(300_000, (u, v) => (u - 0.5) * 10 ** (-v * 12)),
      ),
    ).toEqual([]);
    expect(
      same(exp, Math.exp, [...SPECIAL, 709.78, 709.79, -745.13, -745.14, -708.5, 0.3466, 1.0397]),
    ).toEqual([]);
  });

  it('log, over many magnitudes, subnormals and near 1', () => {
    expect(
      same(
        log,
        Math.log,
        inputs(1_000_000, (u, v) => u * 10 ** ((v - 0.5) * 40)),
      ),
    ).toEqual([]);
    expect(
      same(
        log,
        Math.log,
        inputs(300_000, (u) => 1 + (u - 0.5) * 1e-5),
      ),
    ).toEqual([]);
    expect(
      same(
        log,
        Math.log,
        inputs(100_000, (u) => u * 1e-310),
      ),
    ).toEqual([]);
    expect(same(log, Math.log, SPECIAL)).toEqual([]);
  });

  it('log1p, for the softplus arguments (0, 1] and everywhere else', () => {
    expect(
      same(
        log1p,
        Math.log1p,
        inputs(1_000_000, (u) => Math.exp(-u * 40)),
      ),
    ).toEqual([]);
    expect(
      same(
        log1p,
        Math.log1p,
        inputs(300_000, (u, v) => (u - 0.3) * 10 ** ((v - 0.5) * 30)),
      ),
    ).toEqual([]);
    expect(
      same(
        log1p,
        Math.log1p,
        inputs(300_000, (u) => -0.2929 + (u - 0.5) * 1e-4),
      ),
    ).toEqual([]);
    expect(
      same(
        log1p,
        Math.log1p,
        inputs(100_000, (u) => (u - 0.5) * 1e-8),
      ),
    ).toEqual([]);
    expect(same(log1p, Math.log1p, [...SPECIAL, -1, -1.5, 0.41422, -0.29289])).toEqual([]);
  });
});

describe('fdlibm ports', () => {
  it('are accurate to an ulp or so on any engine', () => {
    for (const x of inputs(10_000, (u) => (u - 0.5) * 60)) {
      expect(Math.abs(exp(x) - Math.exp(x))).toBeLessThanOrEqual(2 * Number.EPSILON * Math.exp(x));
      const y = Math.abs(x) + 1e-3;
      expect(Math.abs(log(y) - Math.log(y))).toBeLessThanOrEqual(
        2 * Number.EPSILON * Math.abs(Math.log(y)) + 1e-300,
      );
      expect(Math.abs(log1p(y) - Math.log1p(y))).toBeLessThanOrEqual(2 * Number.EPSILON * Math.log1p(y));
    }
    expect(exp(0)).toBe(1);
    expect(log(1)).toBe(0);
    expect(log1p(0)).toBe(0);
    expect(exp(1)).toBe(Math.E);
  });
});
