/**
 * How a training file was read, in sentences: the scoring notes' words (the zip member, gzip, Parquet, UTF-16,
 * then the CSV reader's notes) and the repeated ids, the same on the app's page and the training CLI's stderr.
 */
import type { ReadingFacts } from '../csv/notes';
import { fileNotes } from '../input/notes';
import type { TableSource } from '../input/types';
import { repeatedIdsNote, type RepeatedIds } from './training-rows';

/** The notes for a labelled file read for training, in the scoring notes' order; empty for a plain CSV. */
export function trainingNotes(
  source: Pick<TableSource, 'format' | 'containers' | 'member' | 'inner' | 'utf16'>,
  facts: ReadingFacts,
  repeated: RepeatedIds | null,
): string[] {
  return [...fileNotes(source, facts), ...(repeated ? [repeatedIdsNote(repeated)] : [])];
}
