import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packIds } from '../ids';
import { predictionLine } from '../output';
import { PREDICTIONS_HEADER_LINE, PredictionLinesWriter } from './predictions-csv';

const decoder = new TextDecoder();

describe('PredictionLinesWriter', () => {
  it('writes one safe, quoted-as-needed line per row in the range', () => {
    const ids = packIds(['a', '=cmd()', 'x,y', 'plain']);
    const p = new Float32Array([0.5, 0.123456789, 1e-7, 0.25]);
    const writer = new PredictionLinesWriter();
    const lines = (start?: number, end?: number) => {
      writer.write(ids, p, start, end);
      return decoder.decode(writer.take());
    };
    expect(PREDICTIONS_HEADER_LINE).toBe('ID_code,target\n');
    expect(lines()).toBe(`a,0.5\n'=cmd(),0.123457\n"x,y",1e-7\nplain,0.25\n`);
    expect(lines(1, 2)).toBe(`'=cmd(),0.123457\n`);
    expect(lines(2, 2)).toBe('');
    // Writes add up until taken.
    writer.write(ids, p, 0, 1);
    writer.write(ids, p, 3, 4);
    expect(writer.size).toBe(17);
    expect(decoder.decode(writer.take())).toBe('a,0.5\nplain,0.25\n');
    expect(writer.size).toBe(0);
  });

  it("gives predictionLine's text for any ids and scores, as UTF-8", () => {
    // Ids mixing plain text with every character the writer treats specially.
    const id = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc
        .array(
          fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ',', '"', 'a', '7', '\u00e9', '\u{1F600}'),
          {
            maxLength: 8,
          },
        )
        .map((cs) => cs.join('')),
    );
    const score = fc.oneof(fc.float(), fc.float({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN));
    fc.assert(
      fc.property(fc.array(fc.tuple(id, score), { maxLength: 300 }), fc.nat(), (rows, cut) => {
        const ids = packIds(rows.map(([i]) => i));
        const p = Float32Array.from(rows.map(([, s]) => s));
        const start = rows.length === 0 ? 0 : cut % rows.length;
        const expected = rows
          .slice(start)
          .map((_, k) => `${predictionLine(rows[start + k][0], p[start + k])}\n`)
          .join('');
        // A small first buffer is outgrown on the way: the writer must keep what it wrote.
        const writer = new PredictionLinesWriter();
        writer.write(ids, p, start);
        expect(decoder.decode(writer.take())).toBe(expected);
      }),
    );
  });
});
