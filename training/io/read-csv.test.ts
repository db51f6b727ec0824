import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CsvError } from '../../src/core/csv/index';
import { unpackIds } from '../../src/core/ids';
import { FEATURE_NAMES, SchemaError } from '../../src/core/schema';
import { zipSync } from '../../tests/fixtures/zip-sync';
import { openFile, readCsvFile } from './read-csv';

const dir = mkdtempSync(join(tmpdir(), 'read-csv-'));
const header = ['ID_code', 'target', ...FEATURE_NAMES].join(',');
const rows = Array.from({ length: 3000 }, (_, i) =>
  [`train_${i}`, i % 10 === 0 ? 1 : 0, ...FEATURE_NAMES.map((_, j) => ((i * 7 + j) % 1000) / 100)].join(','),
);
const text = `${header}\n${rows.join('\n')}\n`;

function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function readAll(path: string) {
  const ids: string[] = [];
  let last = NaN;
  const summary = await readCsvFile(path, {
    onBatch: (batch) => {
      ids.push(...unpackIds(batch.ids));
      last = batch.features[batch.features.length - 1];
    },
  });
  return { summary, ids, last };
}

describe('readCsvFile', () => {
  it('reads a plain file across many chunks', async () => {
    const { summary, ids, last } = await readAll(write('train.csv', text));
    expect(summary).toMatchObject({
      rows: 3000,
      parser: 'fast',
      issueCount: 0,
      bytes: Buffer.byteLength(text),
    });
    expect(ids[2999]).toBe('train_2999');
    expect(last).toBe(Math.fround(((2999 * 7 + 199) % 1000) / 100));
  });

  it('gunzips a .gz file to the same rows', async () => {
    const { summary, ids } = await readAll(write('train.csv.gz', gzipSync(text)));
    expect(summary).toMatchObject({ rows: 3000, parser: 'fast', bytes: Buffer.byteLength(text) });
    expect(ids[0]).toBe('train_0');
  });

  it('names the path of a missing file', async () => {
    const path = join(dir, 'nope.csv');
    await expect(readAll(path)).rejects.toThrow(`${path}: no such file.`);
  });

  it('the content decides, not the name: plain text named .gz is read as text, .CSV.GZ is gunzipped', async () => {
    // Cases 12 and 21 of the shared real-world files: a browser kept .gz on a file it had unpacked; upper case.
    const plain = await readAll(write('unpacked.csv.gz', text));
    expect(plain.summary.rows).toBe(3000);
    const upper = await readAll(write('UPPER.CSV.GZ', gzipSync(text)));
    expect(upper.ids[2999]).toBe('train_2999');
    const gzNamedCsv = await readAll(write('packed.csv', gzipSync(text)));
    expect(gzNamedCsv.summary.rows).toBe(3000);
  });

  it('names the path of a damaged gzip file', async () => {
    const truncated = write('cut.csv.gz', gzipSync(text).subarray(0, 5000));
    await expect(readAll(truncated)).rejects.toThrow(
      new RegExp(`^${truncated}: It is not a valid gzip file \\(`),
    );
    const damaged = Buffer.from(gzipSync(text));
    for (let i = 20; i < 400; i++) damaged[i] ^= 0x5a;
    await expect(readAll(write('bad.csv.gz', damaged))).rejects.toThrow(/It is not a valid gzip file \(/);
  });

  it('inflates a zip member with zlib, stored or deflated, and checks its CRC-32 and size', async () => {
    for (const store of [false, true]) {
      const zip = zipSync([{ name: 'data/train.csv', data: text, store }]);
      const { summary, ids, last } = await readAll(write(`train-${store}.zip`, zip));
      expect(summary.rows).toBe(3000);
      expect(ids[2999]).toBe('train_2999');
      expect(last).toBe(Math.fround(((2999 * 7 + 199) % 1000) / 100));
      // The directory's CRC-32 (at +16 of its record) changed by one bit: the rows read, then the refusal.
      const at = Buffer.from(zip).lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      expect(at).toBeGreaterThan(0);
      const damaged = zip.slice();
      damaged[at + 16] ^= 1;
      const path = write(`crc-${store}.zip`, damaged);
      await expect(readAll(path)).rejects.toThrow(
        new RegExp(`^${path}: "data/train\\.csv" in the archive is damaged \\(Invalid CRC32\\)`),
      );
      const short = zip.slice();
      new DataView(short.buffer).setUint32(at + 24, text.length + 1, true);
      await expect(readAll(write(`short-${store}.zip`, short))).rejects.toThrow(/Invalid uncompressed size/);
    }
  });

  it('keeps the error class and puts the path first', async () => {
    const schema = await readAll(write('cols.csv', 'a,b\n1,2\n')).catch((e: unknown) => e);
    expect(schema).toBeInstanceOf(SchemaError);
    expect((schema as Error).message).toMatch(/cols\.csv: No ID_code column/);
    const empty = await readAll(write('empty.csv', '')).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(CsvError);
    expect((empty as Error).message).toMatch(/empty\.csv: The file is empty\./);
  });

  it('refuses a directory', async () => {
    await expect(readAll(dir)).rejects.toThrow(`${dir}: is a directory`);
  });

  it('openFile can be opened again (the papaparse restart needs it)', async () => {
    const open = openFile(write('twice.csv', text));
    for (let k = 0; k < 2; k++) {
      let n = 0;
      for await (const chunk of open()) n += chunk.length;
      expect(n).toBe(Buffer.byteLength(text));
    }
  });
});
