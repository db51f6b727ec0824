import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { gzipOf, pageKinds, parquetOfCsv, utf16Of, zipOf } from '../../../tests/fixtures/containers';
import { zipSync } from '../../../tests/fixtures/zip-sync';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parseCsv } from '../csv';
import { CsvError, type ParseInfo, type ParseSummary, type RowIssue } from '../csv/types';
import { unpackIds } from '../ids';
import { FEATURE_COUNT, FEATURE_NAMES } from '../schema';
import { bytesAccess } from './bytes';
import { openTable, type Table } from './open';
import { openParquet } from './parquet';
import { inflateRaw, webPlatform } from './platform';
import { FileError, type Platform } from './types';
import { openArchive } from './zip';

/** A CSV of `rows` rows with 4-decimal values; `target` adds labels; `holes` leaves some cells empty. */
function csvText(rows: number, options: { target?: boolean; holes?: boolean; prefix?: string } = {}): string {
  const header = ['ID_code', ...(options.target ? ['target'] : []), ...FEATURE_NAMES];
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const cells = [
      `${options.prefix ?? 'test'}_${r}`,
      ...(options.target ? [String(r % 3 === 0 ? 1 : 0)] : []),
    ];
    for (let j = 0; j < FEATURE_COUNT; j++) {
      const hole = options.holes && (r * 31 + j * 7) % 97 === 0;
      cells.push(hole ? '' : (((r * 7919 + j * 104729) % 400000) / 10000 - 20).toFixed(4));
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

interface Read {
  info?: ParseInfo;
  summary?: ParseSummary;
  ids: string[];
  features: number[];
  targets: number[];
  issues: RowIssue[];
  rows: number;
}

async function readBytes(
  bytes: Uint8Array,
  member?: string,
  batchRows = 100,
): Promise<Read & { source: unknown }> {
  const table = await openTable(bytesAccess(bytes, 4096), { name: 'f', platform: webPlatform, member });
  return { ...(await readAll(table, batchRows)), source: table.source };
}

/** Every row, issue and the summary of a table read in batches of `batchRows`. */
async function readAll(table: Pick<Table, 'read'>, batchRows: number): Promise<Read> {
  const out: Read = { ids: [], features: [], targets: [], issues: [], rows: 0 };
  const summary = await table.read({
    batchRows,
    onInfo: (info) => (out.info = info),
    onIssue: (issue) => out.issues.push(issue),
    onBatch: (batch) => {
      out.ids.push(...unpackIds(batch.ids));
      out.features.push(...batch.features);
      if (batch.targets) out.targets.push(...batch.targets);
    },
    onRestart: () => Object.assign(out, { ids: [], features: [], targets: [], issues: [] }),
  });
  out.rows = summary.rows;
  out.summary = summary;
  return out;
}

async function readCsv(text: string, parser: 'auto' | 'papaparse' = 'auto'): Promise<Read> {
  const out: Read = { ids: [], features: [], targets: [], issues: [], rows: 0 };
  const bytes = new TextEncoder().encode(text);
  const summary = await parseCsv(
    async function* () {
      yield bytes;
    },
    {
      batchRows: 100,
      parser,
      onInfo: (info) => (out.info = info),
      onIssue: (issue) => out.issues.push(issue),
      onBatch: (batch) => {
        out.ids.push(...unpackIds(batch.ids));
        out.features.push(...batch.features);
        if (batch.targets) out.targets.push(...batch.targets);
      },
    },
  );
  out.rows = summary.rows;
  out.summary = summary;
  return out;
}

/** The same rows, ids, values (bit for bit, NaN in the same places), labels and issues. */
function expectSame(got: Read, want: Read): void {
  expect(got.rows).toBe(want.rows);
  expect(got.ids).toEqual(want.ids);
  expect(got.targets).toEqual(want.targets);
  expect(got.issues).toEqual(want.issues);
  expect(got.info?.columns).toEqual(want.info?.columns);
  expect(Float32Array.from(got.features)).toEqual(Float32Array.from(want.features));
}

async function refusal(promise: Promise<unknown>): Promise<FileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileError);
  return error as FileError;
}

const text = csvText(250, { target: true });
const utf8 = new TextEncoder().encode(text);

describe('openTable: the content decides, not the name', () => {
  it('reads plain text as the CSV reader does', async () => {
    const got = await readBytes(utf8);
    expectSame(got, await readCsv(text));
    expect(got.source).toEqual({
      format: 'csv',
      containers: [],
      member: null,
      inner: null,
      utf16: null,
      rows: null,
      bytes: utf8.length,
    });
  });

  it('unpacks gzip by its bytes, and reads the same rows', async () => {
    const got = await readBytes(await gzipOf(text));
    expectSame(got, await readCsv(text));
    expect(got.source).toMatchObject({ format: 'csv', containers: ['gzip'] });
  });

  it('a gzip stream that is cut short is refused as a damaged gzip file', async () => {
    const gz = await gzipOf(text);
    const error = await refusal(readBytes(gz.subarray(0, gz.length >> 1)));
    expect(error.message).toMatch(/^It is not a valid gzip file \(/);
  });

  for (const endian of ['le', 'be'] as const) {
    it(`converts UTF-16 ${endian.toUpperCase()} with a byte order mark, tab-separated as Excel saves it`, async () => {
      const tabbed = text.replaceAll(',', '\t').replace('test_7', 'Zoë_客户_😀');
      const got = await readBytes(utf16Of(tabbed, endian), undefined, 7);
      const want = await readCsv(tabbed);
      expectSame(got, want);
      expect(got.ids[7]).toBe('Zoë_客户_😀');
      expect(got.info?.delimiter).toBe('\t');
      expect(got.source).toMatchObject({ utf16: endian, containers: [] });
    });
  }

  for (const endian of ['le', 'be'] as const) {
    it(`converts UTF-16 ${endian.toUpperCase()} without a byte order mark, as pandas writes utf-16-${endian}`, async () => {
      const got = await readBytes(utf16Of(text, endian, false), undefined, 7);
      expectSame(got, await readCsv(text));
      expect(got.source).toMatchObject({ utf16: endian, containers: [] });
    });
  }

  it('refuses UTF-16 with a lone surrogate, saying where', async () => {
    const bytes = utf16Of(text.slice(0, 5000) + '\ud800' + text.slice(5000));
    const error = await refusal(readBytes(bytes));
    expect(error.message).toMatch(/not valid UTF-16/);
  });

  it('names binary files instead of reading them', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect((await refusal(readBytes(png))).message).toBe('This is not a CSV text file. It is a PNG image.');
    const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect((await refusal(readBytes(xls))).message).toMatch(
      /Excel 97-2003 workbook .*export the sheet as CSV/,
    );
  });
});

/**
 * The web platform with unzipMember done as the browser's unzip worker does it, here in this thread: the archive
 * opened again without the look, the member streamed. `asked` records each member stream started.
 */
function unzipHere(zip: Uint8Array, asked: string[]): Platform {
  return {
    ...webPlatform,
    unzipMember(name) {
      asked.push(name);
      let packed = 0;
      const chunks = (async function* () {
        const archive = await openArchive(bytesAccess(zip), 'x', undefined, false);
        for await (const chunk of archive.open(name)) {
          packed = archive.bytesRead();
          yield chunk;
        }
      })();
      return { chunks, packed: () => packed };
    },
  };
}

describe('openTable: zip archives', () => {
  const kaggle = async () =>
    zipOf([
      { name: 'sample_submission.csv', data: 'ID_code,target\ntest_0,0\n' },
      { name: 'train.csv', data: csvText(40, { target: true, prefix: 'train' }) },
      { name: 'test.csv', data: csvText(30) },
    ]);

  it('reads the only member directly, even in a folder', async () => {
    const zip = await zipOf([{ name: 'kaggle/data/test.csv', data: text }]);
    const got = await readBytes(zip);
    expectSame(got, await readCsv(text));
    expect(got.source).toMatchObject({
      containers: ['zip'],
      member: 'kaggle/data/test.csv',
      bytes: utf8.length,
    });
  });

  it('reads a stored (uncompressed) member and ignores macOS metadata', async () => {
    const zip = await zipOf([
      { name: '__MACOSX/._test.csv', data: 'junk' },
      { name: '.DS_Store', data: 'junk' },
      { name: 'test.csv', data: text, level: 0 },
    ]);
    expectSame(await readBytes(zip), await readCsv(text));
  });

  it("asks which member of Kaggle's archive to read: test.csv first, train.csv can be evaluated", async () => {
    const error = await refusal(readBytes(await kaggle()));
    expect(error.code).toBe('choose-member');
    expect(error.members.map((m) => [m.name, m.use])).toEqual([
      ['test.csv', 'score'],
      ['train.csv', 'evaluate'],
      ['sample_submission.csv', 'none'],
    ]);
    expect(error.members[2].note).toBe(
      'not a customer file (columns: ID_code, target; none of the 200 features)',
    );
    expect(error.message).toMatch(/holds 3 tables: test\.csv \(\d+ kB\), train\.csv/);
  });

  it('reads a member whose name says nothing by its bytes (`zip - -` names what it read from a pipe "-")', async () => {
    const piped = await zipOf([{ name: '-', data: text }]);
    const got = await readBytes(piped);
    expectSame(got, await readCsv(text));
    expect(got.source).toMatchObject({ containers: ['zip'], member: '-' });
    // Among other unnamed files, the one whose header names ID_code.
    const mixed = await zipOf([
      { name: 'README', data: 'Exported from the warehouse on 2024-05-01.\n' },
      { name: 'data', data: text },
    ]);
    expect((await readBytes(mixed)).source).toMatchObject({ member: 'data' });
    // A readme.txt is named like a table but holds none: the unnamed member is still looked at.
    const withReadme = await zipOf([
      { name: 'readme.txt', data: 'This archive holds the customer file.\n' },
      { name: '-', data: text },
    ]);
    expect((await readBytes(withReadme)).source).toMatchObject({ member: '-' });
    // Nothing that reads as a customer table: refused, with what it holds.
    const none = await zipOf([{ name: 'README', data: 'no table here\n' }]);
    const error = await refusal(readBytes(none));
    expect(error.code).toBe('no-member');
    expect(error.message).toMatch(/holds no CSV or Parquet file \(it holds: README \(1 kB\)\)/);
  });

  it('reads the member named: by path, in any case, or by a unique file name', async () => {
    const zip = await kaggle();
    const test = await readBytes(zip, 'test.csv');
    expect(test.rows).toBe(30);
    expect(test.targets).toEqual([]);
    const train = await readBytes(zip, 'TRAIN.CSV');
    expect(train.rows).toBe(40);
    expect(train.targets.length).toBe(40);
    const nested = await zipOf([
      { name: 'a/test.csv', data: csvText(3) },
      { name: 'b/other.csv', data: csvText(4) },
    ]);
    expect((await readBytes(nested, 'test.csv')).rows).toBe(3);
    const missing = await refusal(readBytes(zip, 'nope.csv'));
    expect(missing.code).toBe('no-member');
    expect(missing.message).toMatch(/has no member "nope\.csv"; it holds: test\.csv/);
  });

  it("names the member in the reader's own errors", async () => {
    const zip = await zipOf([{ name: 'test.csv', data: 'ID_code,var_0\na,1\n' }]);
    await expect(readBytes(zip)).rejects.toThrow(/^test\.csv: Missing 199 feature column/);
  });

  it("streams the member through the platform's unzipMember when the file is the archive, not a nested one", async () => {
    const asked: string[] = [];
    const zip = await zipOf([{ name: 'data/test.csv', data: text }]);
    const platform = unzipHere(zip, asked);
    const table = await openTable(bytesAccess(zip, 4096), { name: 'f', platform });
    expectSame(await readAll(table, 100), await readCsv(text));
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['data/test.csv']));
    expect(table.bytesRead()).toBeGreaterThan(zip.length / 2);
    // A zip inside a gzip stream is unpacked in memory and read here: the platform is not asked.
    asked.length = 0;
    const nested = await openTable(bytesAccess(await gzipOf(zip), 4096), { name: 'f', platform });
    expectSame(await readAll(nested, 100), await readCsv(text));
    expect(asked).toEqual([]);
  });

  it('refuses an encrypted member', async () => {
    const zip = await zipOf([{ name: 'test.csv', data: text, password: 'secret' }]);
    const error = await refusal(readBytes(zip));
    expect(error.code).toBe('encrypted');
    expect(error.message).toMatch(/"test\.csv" in the archive is encrypted \(password-protected\)/);
  });

  it('opens a member without streaming it just to see what it is: the one stream started is the read', async () => {
    // In a browser each member stream is an unzip worker started: one only to sniff 8 bytes, which the listing's
    // look has unpacked already, cost ~0.3 s of a 300 MB archive's drop.
    const asked: string[] = [];
    const zip = await zipOf([{ name: 'test.csv', data: text }]);
    const platform = unzipHere(zip, asked);
    const table = await openTable(bytesAccess(zip), { name: 'f', platform });
    expect(asked).toEqual([]);
    expectSame(await readAll(table, 100), await readCsv(text));
    expect(asked).toEqual(['test.csv']);
  });

  it("keeps what the look saw of each table's start, and unpacks only a little of a big member for it", async () => {
    // Random digits, so that the member packs to megabytes (csvText's repeat and pack ~50x).
    let seed = 1;
    const cell = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 40 - 20;
    const rows = Array.from({ length: 3000 }, (_, r) =>
      [`test_${r}`, ...FEATURE_NAMES.map(() => cell().toFixed(4))].join(','),
    );
    const big = `${['ID_code', ...FEATURE_NAMES].join(',')}\n${rows.join('\n')}\n`;
    const zip = await zipOf([
      { name: 'test.csv', data: big },
      { name: 'tiny.csv', data: 'ID_c' },
    ]);
    // zlib streams its output as its input comes (as Chromium's inflater does; Node's DecompressionStream takes
    // all of its input before its first output), reading ahead Readable.from's 16 chunks.
    const inflate = (chunks: AsyncIterable<Uint8Array>) => Readable.from(chunks).pipe(createInflateRaw());
    const archive = await openArchive(bytesAccess(zip), 'x', inflate);
    const bytes = new TextEncoder().encode(big);
    expect(archive.head('test.csv')).toEqual(bytes.subarray(0, 8));
    expect(new TextDecoder().decode(archive.head('tiny.csv')!)).toBe('ID_c');
    expect(archive.members.find((m) => m.name === 'test.csv')!.use).toBe('score');
    // The big member packs to ~2 MB, read in 1 MiB chunks: the look read a small part of it.
    expect(zip.length).toBeGreaterThan(1.5e6);
    expect(archive.bytesRead()).toBeLessThan(zip.length / 4);

    const unlooked = await openArchive(bytesAccess(zip), 'x', inflate, false);
    expect(unlooked.head('test.csv')).toBeNull();
    expect(unlooked.members.map((m) => m.use)).toEqual([null, null]);
    expect(unlooked.bytesRead()).toBeLessThan(archive.bytesRead());
  });

  it("applies a member's name to the outermost archive: a zip inside gives up its only table", async () => {
    const inner = await zipOf([{ name: 'test.csv', data: text }]);
    const outer = await zipOf([
      { name: 'inner.csv', data: inner },
      { name: 'other.csv', data: csvText(3, { prefix: 'other' }) },
    ]);
    const table = await openTable(bytesAccess(outer), {
      name: 'f',
      platform: webPlatform,
      member: 'inner.csv',
    });
    expect(table.source).toMatchObject({
      containers: ['zip', 'zip'],
      member: 'inner.csv',
      inner: 'test.csv',
      // The table's size, not the inner archive's (the page says "N unpacked" from it).
      bytes: new TextEncoder().encode(text).length,
    });
    expectSame(await readAll(table, 100), await readCsv(text));
  });

  it('looks at every table to choose one, and at the one asked for alone', async () => {
    let inflated = 0;
    const platform: Platform = {
      ...webPlatform,
      inflateRaw(chunks) {
        inflated++;
        return inflateRaw(chunks);
      },
    };
    const zip = await zipOf(
      ['a', 'b', 'c', 'test'].map((name) => ({ name: `${name}.csv`, data: csvText(3, { prefix: name }) })),
    );
    await expect(openTable(bytesAccess(zip), { name: 'f', platform })).rejects.toMatchObject({
      code: 'choose-member',
    });
    expect(inflated).toBe(4);
    inflated = 0;
    const table = await openTable(bytesAccess(zip), { name: 'f', platform, member: 'TEST.CSV' });
    expect(inflated).toBe(1);
    expect((await readAll(table, 100)).ids).toEqual(['test_0', 'test_1', 'test_2']);
  });

  it('refuses a member whose name the archive lists twice, in place of reading one of them', async () => {
    const zip = zipSync([
      { name: 'test.csv', data: csvText(15) },
      { name: 'test.csv', data: csvText(10) },
      { name: 'notes.txt', data: 'hello' },
    ]);
    const error = await openTable(bytesAccess(zip), { name: 'f', platform: webPlatform }).then(
      async (table) => readAll(table, 100),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toBe(
      'This file holds 2 files named "test.csv", so which one is meant cannot be told: unpack it and pick the file itself.',
    );
  });

  it('refuses a truncated archive: its directory at the end is missing', async () => {
    const zip = await zipOf([{ name: 'test.csv', data: text }]);
    const error = await refusal(readBytes(zip.subarray(0, zip.length - 40)));
    expect(error.code).toBe('damaged');
    expect(error.message).toMatch(/incomplete or damaged.*Download it again/);
  });

  it('refuses an Excel workbook with "export it as CSV"', async () => {
    const xlsx = await zipOf([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'xl/worksheets/sheet1.xml', data: '<worksheet/>' },
    ]);
    const error = await refusal(readBytes(xlsx));
    expect(error.message).toMatch(/It is an Excel workbook \(\.xlsx\): export the sheet as CSV/);
  });

  it('refuses a zip bomb by its declared sizes, before unpacking anything', async () => {
    // 80 MiB of one repeated row packs about 1000 times.
    const row = `b,${'0.0000,'.repeat(199)}0.0000\n`;
    const big = `ID_code,${FEATURE_NAMES.join(',')}\n${row.repeat(Math.ceil((80 * 2 ** 20) / row.length))}`;
    const zip = await zipOf([{ name: 'test.csv', data: big }]);
    expect(zip.length).toBeLessThan(2 ** 20);
    const error = await refusal(readBytes(zip));
    expect(error.code).toBe('zip-bomb');
    expect(error.message).toMatch(/"test\.csv" in the archive unpacks to 80 MiB from \d+ KiB \(\d+ times/);
  });

  it('refuses a member that unpacks to more than the archive declares', async () => {
    const zip = await zipOf([{ name: 'test.csv', data: text, level: 9 }]);
    // Central directory record: uncompressed size at +24. Declare 1,000 bytes.
    const at = lastIndexOf(zip, [0x50, 0x4b, 0x01, 0x02]);
    new DataView(zip.buffer, zip.byteOffset).setUint32(at + 24, 1000, true);
    const error = await refusal(readBytes(zip));
    expect(error.code).toBe('damaged');
  });

  it('refuses a stored member whose bytes do not match its CRC-32, after reading it to the end', async () => {
    const zip = await zipOf([{ name: 'test.csv', data: text, level: 0 }]);
    // A digit changed for another in the stored data: the rows still parse, only the checksum can tell.
    const at = indexOf(zip, [...new TextEncoder().encode('test_1,')]) + 'test_1,'.length;
    expect(String.fromCharCode(zip[at])).toMatch(/[0-9-]/);
    const damaged = zip.slice();
    damaged[at + 1] = damaged[at + 1] === 0x31 ? 0x32 : 0x31;
    expect(String.fromCharCode(damaged[at + 1])).toMatch(/[0-9]/);
    expectSame(await readBytes(zip), await readCsv(text));
    const error = await refusal(readBytes(damaged));
    expect(error.code).toBe('damaged');
    expect(error.message).toMatch(
      /^"test\.csv" in the archive is damaged \(Invalid CRC32\)\. Download it again/,
    );
  });

  it('reports a small member as damaged, not its garbled header, when its bytes fail the CRC-32', async () => {
    const zip = await zipOf([{ name: 'test.csv', data: text, level: 0 }]);
    // "var_71" becomes a second "var_70": the header alone would be refused for a duplicated column.
    const at = indexOf(zip, [...new TextEncoder().encode(',var_71,')]) + ',var_7'.length;
    const damaged = zip.slice();
    damaged[at] = 0x30;
    const error = await refusal(readBytes(damaged));
    expect(error.code).toBe('damaged');
    expect(error.message).toMatch(/^"test\.csv" in the archive is damaged \(Invalid CRC32\)/);
    // The same header in a sound archive is the table's own problem, and says so.
    const garbled = text.replace(',var_71,', ',var_70,');
    const sound = await zipOf([{ name: 'test.csv', data: garbled, level: 0 }]);
    const own = await readBytes(sound).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(own?.name).toBe('SchemaError');
    expect(own?.message).toMatch(/^test\.csv: .*var_70/);
  });

  it('refuses a deflated member whose directory declares another CRC-32', async () => {
    const zip = await zipOf([{ name: 'test.csv', data: text, level: 6 }]);
    const record = lastIndexOf(zip, [0x50, 0x4b, 0x01, 0x02]);
    const view = new DataView(zip.buffer, zip.byteOffset);
    view.setUint32(record + 16, view.getUint32(record + 16, true) ^ 1, true);
    const error = await refusal(readBytes(zip));
    expect(error.code).toBe('damaged');
    expect(error.message).toMatch(/"test\.csv" in the archive is damaged \(Invalid CRC32\)/);
  });

  it('refuses a member that unpacks to fewer bytes than the archive declares', async () => {
    for (const level of [0, 6]) {
      const zip = await zipOf([{ name: 'test.csv', data: text, level }]);
      const record = lastIndexOf(zip, [0x50, 0x4b, 0x01, 0x02]);
      const view = new DataView(zip.buffer, zip.byteOffset);
      view.setUint32(record + 24, view.getUint32(record + 24, true) + 10, true);
      const error = await refusal(readBytes(zip));
      expect(error.code).toBe('damaged');
      expect(error.message).toMatch(/"test\.csv" in the archive is damaged \(Invalid uncompressed size\)/);
    }
  });

  it('refuses a member whose local header is not where the directory points', async () => {
    const zip = await zipOf([{ name: 'test.csv', data: text }]);
    const record = lastIndexOf(zip, [0x50, 0x4b, 0x01, 0x02]);
    new DataView(zip.buffer, zip.byteOffset).setUint32(record + 42, 7, true);
    const error = await refusal(readBytes(zip));
    expect(error.code).toBe('damaged');
    expect(error.message).toMatch(/"test\.csv" in the archive is damaged \(Local file header not found\)/);
  });

  it('refuses a member packed with a method other than deflate or none, naming it', async () => {
    const zip = await zipOf([{ name: 'test.csv', data: text }]);
    const record = lastIndexOf(zip, [0x50, 0x4b, 0x01, 0x02]);
    new DataView(zip.buffer, zip.byteOffset).setUint16(record + 10, 12, true);
    const error = await refusal(readBytes(zip));
    expect(error.code).toBe('unsupported');
    expect(error.message).toMatch(
      /"test\.csv" in the archive uses a compression method this app cannot unpack \(.*bzip2.*\): repack it as a standard \.zip\./,
    );
  });

  it('stops reading a stored member when the reader stops early', async () => {
    // Stored only: Node's DecompressionStream takes all of its input before its first output, so a deflated member
    // is read to its end here whatever the reader does (Chromium's takes one chunk at a time).
    const zip = await zipOf([{ name: 'test.csv', data: csvText(3000), level: 0 }]);
    const archive = await openArchive(bytesAccess(zip, 1024), 'x');
    const before = archive.bytesRead();
    for await (const chunk of archive.open('test.csv')) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    expect(archive.bytesRead() - before).toBeLessThan(zip.length / 4);
  });
});

function indexOf(bytes: Uint8Array, pattern: number[]): number {
  for (let i = 0; i + pattern.length <= bytes.length; i++)
    if (pattern.every((b, k) => bytes[i + k] === b)) return i;
  return -1;
}

function lastIndexOf(bytes: Uint8Array, pattern: number[]): number {
  for (let i = bytes.length - pattern.length; i >= 0; i--)
    if (pattern.every((b, k) => bytes[i + k] === b)) return i;
  return -1;
}

describe('openParquet: row groups read whole or in slices', () => {
  const holes = csvText(250, { holes: true });
  for (const offsetIndex of [true, false]) {
    for (const groupRows of [1000, 40]) {
      it(`gives the CSV's rows and issues (offset index: ${offsetIndex}, whole groups up to ${groupRows} rows)`, async () => {
        // Pages of about 30 values: an offset index is written only for column chunks of more than one page.
        const bytes = parquetOfCsv(holes, { rowGroupSize: 100, offsetIndex, pageSize: 256 });
        const groups = parquetMetadata(bytes.slice().buffer).row_groups;
        expect(groups.map((g) => g.columns.every((c) => c.offset_index_offset !== undefined))).toEqual([
          offsetIndex,
          offsetIndex,
          offsetIndex,
        ]);
        const table = await openParquet(bytesAccess(bytes, 4096), 'f', { sliceRows: 16, groupRows });
        const got = await readAll(table, 37);
        const want = await readCsv(holes);
        expect(want.issues.length).toBeGreaterThan(100);
        expectSame(got, want);
      });
    }
  }
});

describe('openParquet: nullable columns, as pandas (pyarrow) and DuckDB write every column', () => {
  // Pages of about 30 values, a null in about 1 of 97 cells: some pages of a column hold a null, most do not.
  const holes = csvText(250, { holes: true });
  const bytes = parquetOfCsv(holes, { optional: true, rowGroupSize: 100, pageSize: 256 });

  it('are OPTIONAL columns', () => {
    const schema = parquetMetadata(bytes.slice().buffer).schema;
    expect(schema.find((e) => e.name === 'var_0')?.repetition_type).toBe('OPTIONAL');
    expect(schema.find((e) => e.name === 'var_1')?.repetition_type).toBe('OPTIONAL');
  });

  it('reach the reader as typed arrays where a page has no null (hyparquet as patched in patches/)', async () => {
    const kinds = await pageKinds(bytes, ['var_0', 'var_1', 'var_2']);
    // Unpatched, every page of a nullable column is assembled into one array of numbers and nulls.
    expect(kinds.get('typed')).toBeGreaterThan(0);
    expect(kinds.get('array')).toBeGreaterThan(0);
    expect(kinds.get('other')).toBeUndefined();
  });

  it("give the CSV's rows and issues, pages with and without nulls alike", async () => {
    const want = await readCsv(holes);
    expect(want.issues.length).toBeGreaterThan(100);
    expectSame(await readAll(await openParquet(bytesAccess(bytes, 4096), 'f', { sliceRows: 16 }), 37), want);
    expectSame(await readBytes(bytes, undefined, 37), want);
  });
});

describe('openTable: Parquet', () => {
  for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
    it(`reads a ${codec} file like the CSV of the same table, across row groups and batches`, async () => {
      const got = await readBytes(parquetOfCsv(text, { codec, rowGroupSize: 64 }), undefined, 37);
      expectSame(got, await readCsv(text));
      expect(got.info?.parser).toBe('parquet');
      expect(got.source).toMatchObject({ format: 'parquet', rows: 250 });
    });
  }

  for (const offsetIndex of [false, true]) {
    it(`reads column chunks and snappy pages in place, not into a fresh copy each (patches/; ${offsetIndex ? 'groups in slices' : 'whole groups'})`, async () => {
      // In Chromium a fresh ArrayBuffer costs more than the copy into it (scratch.ts): hyparquet copied every column
      // chunk out of the bytes read, and hysnappy every decompressed page out of its memory.
      const bytes = parquetOfCsv(text, { rowGroupSize: 64, offsetIndex, pageSize: 256 });
      // Not bytesAccess: its reads are Uint8Array slices, which the spies below would count.
      const source = {
        size: bytes.length,
        read: async (start: number, end: number) => {
          randomBytes += Math.min(end, bytes.length) - start;
          return new Uint8Array(bytes.subarray(start, end));
        },
        stream: async function* (start = 0, end = bytes.length) {
          streams.opened++;
          try {
            // Small chunks: a load spans several, and a chunk holds the end of one load and the start of the next.
            for (let at = start; at < end; at += 1000)
              yield new Uint8Array(bytes.subarray(at, Math.min(end, at + 1000)));
          } finally {
            streams.closed++;
          }
        },
      };
      let randomBytes = 0;
      const streams = { opened: 0, closed: 0 };
      const table = await openParquet(source, 'f', { sliceRows: 16 });
      randomBytes = 0; // the footer's reads
      const copies = [
        vi.spyOn(ArrayBuffer.prototype, 'slice'),
        vi.spyOn(Object.getPrototypeOf(Uint8Array.prototype) as Uint8Array, 'slice'),
      ];
      let got: Read;
      let calls: number[];
      try {
        got = await readAll(table, 37);
      } finally {
        // ArrayBuffer copies (hyparquet's column chunks), and copies out of a buffer of 64 KiB or more (hysnappy's
        // memory; the batches' small id and feature buffers are copied too, by design); mockRestore clears them.
        calls = [
          copies[0].mock.calls.length,
          copies[1].mock.contexts.filter((c) => c instanceof Uint8Array && c.length >= 65536).length,
        ];
        for (const spy of copies) spy.mockRestore();
      }
      expect(calls).toEqual([0, 0]);
      // Whole groups' column chunks come from one stream read forward through the file (closed at the end), not
      // from random reads.
      if (offsetIndex) expect(randomBytes).toBeGreaterThan(0);
      else expect([randomBytes, streams.opened, streams.closed]).toEqual([0, 1, 1]);
      expectSame(got, await readCsv(text));
    });
  }

  it('reads float32 columns exactly', async () => {
    expectSame(await readBytes(parquetOfCsv(text, { float32: true })), await readCsv(text));
  });

  it('turns nulls into missing cells, reported as the CSV reports empty cells', async () => {
    const holes = csvText(120, { holes: true });
    const got = await readBytes(parquetOfCsv(holes, { rowGroupSize: 50 }));
    const want = await readCsv(holes);
    expect(want.issues.length).toBeGreaterThan(100);
    expectSame(got, want);
  });

  it('refuses a label that only float32 would round to 0 or 1, in a DOUBLE column as in the CSV', async () => {
    const labels = ['0.99999999', '1.00000001', '1e-46', '1', '0', '2'];
    const lines = csvText(labels.length, { target: true }).trimEnd().split('\n');
    const edited = `${[lines[0], ...labels.map((t, r) => lines[r + 1].replace(/^([^,]*),[^,]*,/, `$1,${t},`))].join('\n')}\n`;
    for (const parser of ['auto', 'papaparse'] as const) {
      const csv = await readCsv(edited, parser);
      expect(csv.targets).toEqual([NaN, NaN, NaN, 1, 0, NaN]);
      expect(csv.issues.map((i) => [i.row, i.value, i.kind])).toEqual([
        [1, '0.99999999', 'bad-target'],
        [2, '1.00000001', 'bad-target'],
        [3, '1e-46', 'bad-target'],
        [6, '2', 'bad-target'],
      ]);
    }
    expectSame(await readBytes(parquetOfCsv(edited)), await readCsv(edited));
  });

  it('reads text columns by the cell rules and names bad cells', async () => {
    const edit = (t: string, id: string, field: number, value: string) =>
      t.replace(new RegExp(`\\n${id},[^\\n]*`), (line) => {
        const cells = line.slice(1).split(',');
        cells[field] = value;
        return `\n${cells.join(',')}`;
      });
    const bad = edit(edit(text, 'test_3', 2, 'abc'), 'test_5', 3, 'nan');
    const got = await readBytes(parquetOfCsv(bad));
    expectSame(got, await readCsv(bad));
    expect(got.issues.map((i) => [i.row, i.column, i.value, i.kind])).toEqual([
      [4, 'var_0', 'abc', 'non-numeric'],
      [6, 'var_1', 'nan', 'missing'],
    ]);
  });

  it('follows the CSV row rules: a row without an ID_code, a line of empty fields, missing-value words', async () => {
    const lines = csvText(40).trimEnd().split('\n');
    const cells = (k: number) => lines[k].split(',');
    const set = (k: number, field: number, value: string) => {
      const c = cells(k);
      c[field] = value;
      lines[k] = c.join(',');
    };
    set(3, 0, ''); // row 3: values, no id
    set(8, 3, 'NA');
    set(9, 3, 'null');
    set(9, 150, 'None');
    lines.splice(6, 0, ','.repeat(FEATURE_COUNT)); // an empty line after row 5
    const edited = `${lines.join('\n')}\n`;
    const got = await readBytes(parquetOfCsv(edited, { rowGroupSize: 16 }), undefined, 7);
    const want = await readCsv(edited);
    expectSame(got, want);
    expect(got.ids).not.toContain('');
    expect(got.rows).toBe(39);
    expect(got.issues.map((i) => [i.row, i.column, i.kind])).toEqual([
      [3, 'ID_code', 'no-id'],
      [8, 'var_2', 'missing'],
      [9, 'var_2', 'missing'],
      [9, 'var_149', 'missing'],
    ]);
    for (const field of ['emptyLines', 'firstEmptyAfterRow', 'rowsWithoutId'] as const)
      expect(got.summary?.[field], field).toBe(want.summary?.[field]);
    expect(got.summary).toMatchObject({ emptyLines: 1, firstEmptyAfterRow: 5, rowsWithoutId: 1 });
  });

  it('reads a float NaN as a missing value and text with a decimal comma as a decimal', async () => {
    const columnData = [
      { name: 'ID_code', data: ['a', 'b', 'c'], type: 'STRING' as const },
      ...FEATURE_NAMES.map((name, j) =>
        j === 4
          ? { name, data: ['1,5', '-0,25', '2.5'], type: 'STRING' as const }
          : {
              name,
              data: Float64Array.of(j === 7 ? NaN : 1, 2, j === 9 ? Infinity : 3),
              type: 'DOUBLE' as const,
            },
      ),
    ];
    const got = await readBytes(new Uint8Array(parquetWriteBuffer({ columnData })));
    expect(got.issues.map((i) => [i.row, i.column, i.value, i.kind])).toEqual([
      [1, 'var_7', 'NaN', 'missing'],
      [3, 'var_9', 'Infinity', 'non-finite'],
    ]);
    expect([got.features[4], got.features[FEATURE_COUNT + 4], got.features[2 * FEATURE_COUNT + 4]]).toEqual([
      1.5, -0.25, 2.5,
    ]);
    expect(got.summary?.decimalCommas).toBe(2);
  });

  it('reads a text target with a decimal comma as a label, without counting it among the decimal-comma cells', async () => {
    const columnData = [
      { name: 'ID_code', data: ['a', 'b', 'c'], type: 'STRING' as const },
      { name: 'target', data: ['1,0', '0', '0,5'], type: 'STRING' as const },
      ...FEATURE_NAMES.map((name) => ({ name, data: Float64Array.of(1, 2, 3), type: 'DOUBLE' as const })),
    ];
    const got = await readBytes(new Uint8Array(parquetWriteBuffer({ columnData })));
    expect(got.targets).toEqual([1, 0, NaN]);
    expect(got.issues.map((i) => [i.row, i.column, i.value, i.kind])).toEqual([
      [3, 'target', '0,5', 'bad-target'],
    ]);
    expect(got.summary?.decimalCommas).toBe(0);
  });

  it('reads ASCII, other UTF-8 and long ids exactly as written', async () => {
    const ids = [
      'test_0',
      'cliente_ñ',
      '客户_7',
      'x'.repeat(300),
      `${'y'.repeat(299)}é`,
      ''.padEnd(256, 'z'),
    ];
    const columnData = [
      { name: 'ID_code', data: ids, type: 'STRING' as const },
      ...FEATURE_NAMES.map((name) => ({
        name,
        data: Float64Array.from(ids, (_, i) => i),
        type: 'DOUBLE' as const,
      })),
    ];
    const got = await readBytes(new Uint8Array(parquetWriteBuffer({ columnData })));
    expect(got.ids).toEqual(ids);
  });

  it('refuses an ID_code whose bytes are not UTF-8, naming the row: never a replacement character', async () => {
    const columnData = [
      {
        name: 'ID_code',
        data: [Uint8Array.of(0x61), Uint8Array.of(0x5a, 0x6f, 0xeb), Uint8Array.of(0x63)],
        type: 'BYTE_ARRAY' as const,
      },
      ...FEATURE_NAMES.map((name) => ({ name, data: Float64Array.of(1, 2, 3), type: 'DOUBLE' as const })),
    ];
    const error = await readBytes(new Uint8Array(parquetWriteBuffer({ columnData }))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CsvError);
    expect(error).toMatchObject({ code: 'not-text', row: 2 });
    expect((error as Error).message).toContain("Row 2's ID_code is not UTF-8 text");
  });

  it('refuses an ID_code holding U+FFFD as the CSV reader does, naming the row', async () => {
    const columnData = [
      { name: 'ID_code', data: ['a', 'caf\ufffd_2', 'c'], type: 'STRING' as const },
      ...FEATURE_NAMES.map((name) => ({ name, data: Float64Array.of(1, 2, 3), type: 'DOUBLE' as const })),
    ];
    const error = await readBytes(new Uint8Array(parquetWriteBuffer({ columnData }))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CsvError);
    expect(error).toMatchObject({ code: 'not-text', row: 2 });
    expect((error as Error).message).toContain(
      'Row 2\'s ID_code "caf\ufffd_2" holds the replacement character U+FFFD',
    );
  });

  it('refuses missing columns with the same message as a CSV', async () => {
    const cut = text
      .split('\n')
      .map((l) => l.split(',').slice(0, 150).join(','))
      .join('\n');
    await expect(readBytes(parquetOfCsv(cut))).rejects.toThrow('Missing 52 feature column(s): var_148');
  });

  it('refuses a truncated file as damaged', async () => {
    const file = parquetOfCsv(text);
    for (const length of [file.length - 10, file.length >> 1]) {
      const error = await refusal(readBytes(file.subarray(0, length)));
      expect(error.message).toMatch(/not a readable Parquet file/);
    }
  });

  it('reads a Parquet file inside a zip', async () => {
    const zip = await zipOf([{ name: 'data/test.parquet', data: parquetOfCsv(text) }]);
    const got = await readBytes(zip);
    expectSame(got, await readCsv(text));
    expect(got.source).toMatchObject({ format: 'parquet', containers: ['zip'], member: 'data/test.parquet' });
  });
});
