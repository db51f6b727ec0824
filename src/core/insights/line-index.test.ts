import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv';
import { KAGGLE_HEADER, findRow, findRowAt, textSource } from './rows';
import { blockRange, buildLineIndex, LineIndexBuilder, readIndexedRow } from './line-index';

const row = (i: number) =>
  [`id_${i}`, ...Array.from({ length: 200 }, (_, j) => (((i * 31 + j * 7) % 113) / 9 - 4).toFixed(4))].join(
    ',',
  );

function file(rows: number, { crlf = false, trailing = true, blankAt = -1 } = {}) {
  const eol = crlf ? '\r\n' : '\n';
  const lines = [KAGGLE_HEADER.join(',')];
  for (let i = 0; i < rows; i++) {
    if (i === blankAt) lines.push('');
    lines.push(row(i));
  }
  return new TextEncoder().encode(lines.join(eol) + (trailing ? eol : ''));
}

async function* chunks(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const reader = (bytes: Uint8Array) => async (start: number, end: number) => bytes.slice(start, end);

describe('buildLineIndex', () => {
  it('records every n-th line start whatever the chunking', async () => {
    const bytes = file(1000);
    const a = await buildLineIndex(chunks(bytes, 777), 64);
    const b = await buildLineIndex(chunks(bytes, 1 << 20), 64);
    expect(a).toEqual(b);
    expect(a.lines).toBe(1001);
    expect(a.offsets).toHaveLength(Math.floor(1001 / 64) + 1);
    for (let k = 1; k < a.offsets.length; k++) expect(bytes[a.offsets[k] - 1]).toBe(10);
    expect(a.headerEnd).toBe(new TextDecoder().decode(bytes).indexOf('\n') + 1);
  });

  it('counts a last line without a line break', async () => {
    expect((await buildLineIndex(chunks(file(10, { trailing: false }), 100), 4)).lines).toBe(11);
  });

  it('block ranges cover the asked lines', async () => {
    const index = await buildLineIndex(chunks(file(1000), 4096), 64);
    const [start, end] = blockRange(index, 130, 133);
    expect(start).toBe(index.offsets[2]);
    expect(end).toBe(index.offsets[3]);
    expect(blockRange(index, 990, 1003)[1]).toBe(index.size);
  });
});

describe('LineIndexBuilder', () => {
  it('merges the every-line indexes of consecutive ranges into the index of the whole file', async () => {
    for (const options of [{}, { trailing: false }, { blankAt: 40 }]) {
      const bytes = file(300, options);
      const whole = await buildLineIndex(chunks(bytes, 4096), 16);
      // Cut at line starts, as the parallel reader does, including a range of one line and the empty file end.
      const text = new TextDecoder().decode(bytes);
      const cuts = [
        0,
        text.indexOf('\n', 1000) + 1,
        text.indexOf('\n', 1000) + 1,
        text.indexOf('\n', 90_000) + 1,
      ];
      cuts.push(text.indexOf('\n', cuts[3]) + 1, bytes.length);
      const merged = new LineIndexBuilder(16);
      for (let k = 0; k + 1 < cuts.length; k++) {
        merged.addRange(await buildLineIndex(chunks(bytes.subarray(cuts[k], cuts[k + 1]), 777), 1));
      }
      expect(merged.finish()).toEqual(whole);
    }
  });
});

describe('readIndexedRow', () => {
  it('reads any row with the same values as streaming the file', async () => {
    for (const options of [{}, { crlf: true }, { trailing: false }]) {
      const bytes = file(700, options);
      const index = await buildLineIndex(chunks(bytes, 5000), 32);
      for (const i of [0, 31, 32, 33, 350, 699]) {
        const quick = await readIndexedRow(index, reader(bytes), i, `id_${i}`);
        const slow = await findRow(textSource(new TextDecoder().decode(bytes)), `id_${i}`);
        expect(quick?.row).toBe(i + 1);
        expect([...quick!.features]).toEqual([...slow!.features]);
      }
    }
  });

  it('reads the row asked for when its ID_code is on another row of the same slice too', async () => {
    const text = new TextDecoder().decode(file(300));
    // Rows 10 and 20 (0-based) both get id_10; the slice around row 20 holds both.
    const twice = text.replace(/^id_20,/m, 'id_10,');
    const bytes = new TextEncoder().encode(twice);
    const index = await buildLineIndex(chunks(bytes, 4096), 32);
    const second = await readIndexedRow(index, reader(bytes), 20, 'id_10');
    const want = await findRowAt((o) => parseCsv(textSource(twice), o), 20, 'id_10');
    expect(second?.row).toBe(21);
    expect([...second!.features]).toEqual([...want!.features]);
    const first = await readIndexedRow(index, reader(bytes), 10, 'id_10');
    expect([...first!.features]).not.toEqual([...second!.features]);
  });

  it('finds a row shifted by a blank line, and says null for an id not near its line', async () => {
    const bytes = file(300, { blankAt: 100 });
    const index = await buildLineIndex(chunks(bytes, 4096), 16);
    expect((await readIndexedRow(index, reader(bytes), 200, 'id_200'))?.id).toBe('id_200');
    expect(await readIndexedRow(index, reader(bytes), 200, 'id_5')).toBeNull();
    expect(await readIndexedRow(index, reader(bytes), 5000, 'id_5')).toBeNull();
  });
});
