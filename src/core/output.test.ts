import { describe, expect, it } from 'vitest';
import { csvCell, csvField, formatProbability, predictionLine, safeSpreadsheetCell } from './output';

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
