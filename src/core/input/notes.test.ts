import { describe, expect, it } from 'vitest';
import { sourceNotes } from './notes';
import type { TableSource } from './types';

const plain: TableSource = {
  format: 'csv',
  containers: [],
  member: null,
  inner: null,
  utf16: null,
  rows: null,
  bytes: null,
};

describe('sourceNotes', () => {
  it('says nothing about a plain text file', () => {
    expect(sourceNotes(plain)).toEqual([]);
  });

  it('names the zip member, then gzip, Parquet and UTF-16, each once', () => {
    const notes = sourceNotes({
      format: 'csv',
      containers: ['zip', 'gzip'],
      member: 'data/test.csv.gz',
      inner: null,
      utf16: 'le',
    });
    expect(notes.map((n) => n.key)).toEqual(['member', 'gzip', 'utf16']);
    expect(notes[0].text).toBe('Read data/test.csv.gz from the ZIP archive, unpacked on the fly.');
    expect(notes[1].text).toContain('gzip-compressed');
    expect(notes[2].text).toContain('UTF-16');
    expect(
      sourceNotes({ ...plain, containers: ['zip', 'zip'], member: 'inner.zip', inner: 'test.csv' }),
    ).toEqual([
      {
        key: 'member',
        text: 'Read test.csv from inner.zip, a ZIP archive inside the ZIP archive, unpacked on the fly.',
      },
    ]);
    expect(sourceNotes({ ...plain, format: 'parquet' }).map((n) => n.text)).toEqual([
      'The file is a Parquet table.',
    ]);
  });
});
