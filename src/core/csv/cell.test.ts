import { describe, expect, it } from 'vitest';
import { cutValue, readNumber, targetOfText } from './cell';

describe('readNumber', () => {
  it.each([
    ['1.5', 1.5],
    ['-4.9200', Math.fround(-4.92)],
    ['+.5', 0.5],
    ['.25', 0.25],
    ['7.', 7],
    ['1.5e3', 1500],
    ['1.5E-3', Math.fround(0.0015)],
    ['  2\t', 2],
    ['007', 7],
    ['0e999', 0],
    ['1e-400', 0],
    ['3.4028234e38', Math.fround(3.4028234e38)],
    ['0.12345678901234567890', Math.fround(0.12345678901234568)],
  ])('%j reads as %d', (text, value) => {
    expect(readNumber(text)).toBe(value);
  });

  it('keeps the sign of zero', () => {
    expect(Object.is(readNumber('-0'), -0)).toBe(true);
    expect(Object.is(readNumber('-0.000'), -0)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    [' \t ', 'empty'],
    ['NaN', 'missing'],
    ['NA', 'missing'],
    [' N/A ', 'missing'],
    ['null', 'missing'],
    ['NULL', 'missing'],
    ['None', 'missing'],
    ['#N/A', 'missing'],
    ['nan', 'missing'],
    ['-nan', 'missing'],
    ['NAN', 'non-finite'],
    ['+nan', 'non-finite'],
    ['none', 'non-numeric'],
    ['-inf', 'non-finite'],
    ['Infinity', 'non-finite'],
    ['1e400', 'non-finite'],
    ['1e39', 'non-finite'],
    ['-3.5e38', 'non-finite'],
    ['abc', 'non-numeric'],
    ['.', 'non-numeric'],
    ['-', 'non-numeric'],
    ['1e', 'non-numeric'],
    ['1e+', 'non-numeric'],
    ['0x10', 'non-numeric'],
    ['1_000', 'non-numeric'],
    ['1 000', 'non-numeric'],
    ['1,2,3', 'non-numeric'],
    ['1.234,5', 'non-numeric'],
    ['1,234.5', 'non-numeric'],
    ['١٢', 'non-numeric'],
    ['\u00a01', 'non-numeric'],
    ['1.5\r', 'non-numeric'],
  ])('%j is %s', (text, kind) => {
    expect(readNumber(text)).toBe(kind);
  });

  it('reads a decimal comma as a decimal point (a comma inside a field can be nothing else)', () => {
    expect(readNumber('1,5')).toBe(1.5);
    expect(readNumber(' -0,25e1 ')).toBe(-2.5);
    expect(readNumber(',5')).toBe(0.5);
    expect(readNumber('7,')).toBe(7);
    expect(readNumber('8,8063')).toBe(Math.fround(8.8063));
  });
});

describe('targetOfText', () => {
  it('takes any spelling of exactly 0 or 1', () => {
    for (const text of [
      '1',
      '1.0',
      '1.',
      '+1',
      ' 1 ',
      '1e0',
      '10e-1',
      '1,0',
      '\t1',
      '0.1e1',
      '001.000',
      '100E-2',
      '1e-0',
    ])
      expect(targetOfText(text), text).toBe(1);
    for (const text of ['0', '-0', '0.000', '0e5', '.0', '0,0', ' 0', '-0.0e-999', '0.'])
      expect(targetOfText(text), text).toBe(0);
  });

  it("takes a boolean column's words, as pandas, R and Excel write them, and no other word", () => {
    for (const text of ['True', 'TRUE', 'true', ' True\t']) expect(targetOfText(text), text).toBe(1);
    for (const text of ['False', 'FALSE', 'false', 'false ']) expect(targetOfText(text), text).toBe(0);
    for (const text of ['T', 'F', 'yes', 'no', 'Truth', 'falsey', 'tru', '"True"', 'True1'])
      expect(targetOfText(text), text).toBe(-1);
  });

  it('refuses numbers that are not 0 or 1, even when float32 or a double would round them to 0 or 1', () => {
    const deep = ['1e-400', '-1e-324', `0.${'0'.repeat(400)}1`, '0.99999999999999999', '1.0000000000000001'];
    const others = ['2', '0.5', '-1', '0.99999999', '1.00000001', '1e-46', '-1e-50', '10', '-1.0', '0.1e1x'];
    for (const text of [...others, ...deep, '', ' ', 'yes', 'NA', '1 1'])
      expect(targetOfText(text), text).toBe(-1);
    // What the rule must not do: these texts round to a label as float32, or even as a double.
    expect(Math.fround(Number('0.99999999'))).toBe(1);
    expect(Math.fround(Number('1e-46'))).toBe(0);
    for (const text of deep) expect([0, 1], text).toContain(Math.abs(Number(text)));
  });
});

describe('cutValue', () => {
  it('cuts long cells for reports', () => {
    expect(cutValue('x'.repeat(60))).toBe('x'.repeat(60));
    expect(cutValue('x'.repeat(1000))).toBe(`${'x'.repeat(60)}…`);
  });
});
