import { describe, expect, it } from 'vitest';
import { ambiguousAmount } from '../typed-number';
import {
  actualNetValue,
  bestContactCount,
  breakEvenScore,
  expectedNetValue,
  parseTerms,
} from './contact-value';
import { rankScores } from './cut-line';

const scores = Float32Array.of(0.05, 0.5, 0.2, 0.01, 0.1);
const ranking = rankScores(scores);

describe('contact value', () => {
  it('puts the break-even score at cost over value', () => {
    expect(breakEvenScore({ cost: 2, value: 20 })).toBeCloseTo(0.1, 12);
  });

  it('gives the expected net value of the top customers from their probabilities', () => {
    const terms = { cost: 2, value: 20 };
    // Top 2: 0.5 and 0.2 -> 20 × 0.7 − 2 × 2 = 10.
    expect(expectedNetValue(ranking, 2, terms)).toBeCloseTo(10, 5);
    expect(expectedNetValue(ranking, 0, terms)).toBe(0);
    // Clamped to the file.
    expect(expectedNetValue(ranking, 99, terms)).toBeCloseTo(expectedNetValue(ranking, 5, terms), 9);
  });

  it('contacts everyone at or above the break-even score, and that count has the highest net value', () => {
    const terms = { cost: 2, value: 20 };
    const best = bestContactCount(ranking, terms);
    expect(best).toBe(3); // 0.5, 0.2 and 0.1 (exactly at the break-even score, float32 compared)
    const nets = Array.from({ length: 6 }, (_, k) => expectedNetValue(ranking, k, terms));
    expect(Math.max(...nets)).toBeCloseTo(nets[best], 5);
  });

  it('contacts nobody when a contact costs more than a transaction is worth, and everyone when it is free', () => {
    expect(bestContactCount(ranking, { cost: 30, value: 20 })).toBe(0);
    expect(bestContactCount(ranking, { cost: 0, value: 20 })).toBe(5);
  });

  it('gives the net value on the labels from the transactions reached', () => {
    expect(actualNetValue(3, 10, { cost: 2, value: 20 })).toBe(40);
  });

  it('reads the two boxes, with a decimal comma, and says what is wrong', () => {
    expect(parseTerms('', ' ')).toBeNull();
    expect(parseTerms('2,5', '40')).toEqual({ cost: 2.5, value: 40 });
    expect(parseTerms('-1', '40')).toEqual({ field: 'cost', problem: expect.stringContaining('cost') });
    expect(parseTerms('1', '0')).toEqual({ field: 'value', problem: expect.stringContaining('value') });
    // Amounts group thousands with commas: 40,000 is forty thousand, not 40 (a decimal comma).
    expect(parseTerms('1', '1,000.5')).toEqual({ cost: 1, value: 1000.5 });
    expect(parseTerms('2', '40,000')).toEqual({ cost: 2, value: 40000 });
    expect(parseTerms('1', '1,00,000')).toEqual({
      field: 'value',
      problem: expect.stringContaining('value'),
    });
    expect(parseTerms('0x10', '5')).toEqual({ field: 'cost', problem: expect.stringContaining('cost') });
    // A leading 0 group is no thousands: 0,500 is a half.
    expect(parseTerms('0,500', '40')).toEqual({ cost: 0.5, value: 40 });
    expect(parseTerms('€40', '5')).toEqual({
      field: 'cost',
      problem: expect.stringContaining('"€40" is not one'),
    });
    expect(parseTerms('abc', '5')).toEqual({ field: 'cost', problem: expect.stringContaining('cost') });
  });
});

describe('ambiguousAmount', () => {
  it('says how an amount with one separator and three digits after it was read, and how to type the other reading', () => {
    expect(ambiguousAmount('2,500', 2500)).toBe('"2,500" was read as 2,500; for 2.5, type 2.5.');
    expect(ambiguousAmount(' 40.000 ', 40)).toBe('"40.000" was read as 40; for 40,000, type 40000.');
    for (const plain of ['40', '2.5', '12,5', '40,000.5', '1,234,567', '0,500'])
      expect(ambiguousAmount(plain, 0)).toBeNull();
  });
});
