/**
 * How a table was reached, in sentences: the same words on the results page and on the scoring CLI's stderr,
 * before the CSV reader's own notes (`readingNotes` in ../csv/notes.ts). Empty for a plain text file.
 */
import { readingNotes, type ReadingFacts } from '../csv/notes';
import type { TableSource } from './types';

/** One sentence; `key` names it for the page (`data-testid="source-<key>"`). */
export interface SourceNote {
  key: 'member' | 'gzip' | 'parquet' | 'utf16';
  text: string;
}

/** The notes for a table's source, in a fixed order: the zip member, gzip, Parquet, UTF-16. */
export function sourceNotes(
  source: Pick<TableSource, 'format' | 'containers' | 'member' | 'inner' | 'utf16'>,
): SourceNote[] {
  const notes: SourceNote[] = [];
  if (source.inner !== null) {
    notes.push({
      key: 'member',
      text: `Read ${source.inner} from ${source.member}, a ZIP archive inside the ZIP archive, unpacked on the fly.`,
    });
  } else if (source.member !== null) {
    notes.push({ key: 'member', text: `Read ${source.member} from the ZIP archive, unpacked on the fly.` });
  }
  if (source.containers.includes('gzip')) {
    notes.push({ key: 'gzip', text: 'The file was gzip-compressed and was decompressed on the fly.' });
  }
  if (source.format === 'parquet') notes.push({ key: 'parquet', text: 'The file is a Parquet table.' });
  if (source.utf16 !== null) {
    notes.push({
      key: 'utf16',
      text: 'The text was UTF-16 (as Excel\'s "Unicode text" saves it) and was converted to UTF-8.',
    });
  }
  return notes;
}

/** How a table was read, in sentences: its source's notes, then the CSV reader's (the CLIs' stderr lines). */
export function fileNotes(
  source: Pick<TableSource, 'format' | 'containers' | 'member' | 'inner' | 'utf16'>,
  facts: ReadingFacts,
): string[] {
  return [...sourceNotes(source).map((n) => n.text), ...readingNotes(facts)];
}
