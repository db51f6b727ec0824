/** Reads whole labelled files (CSV, gzip, zip member, Parquet) into typed arrays for training, refusing bad cells. */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { FileError } from '../../src/core/input/types';
import { trainingNotes } from '../../src/core/train/notes';
import { withLabelHint } from '../../src/core/train/label-hint';
import { trainingMember } from '../../src/core/train/policy';
import { TrainingRowsSink, type TrainingRows } from '../../src/core/train/training-rows';
import { readTableFile } from './read-csv';

/** A refused input: the message names the file, row, column and value. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A labelled file's rows, with how it was read (the app's training notes: trainingNotes). */
export interface TrainingFile extends TrainingRows {
  /** Sentences on the zip member, encoding, separator, skipped lines and repeated ids; empty for a plain CSV. */
  notes: string[];
}

/**
 * Reads a labelled file for training (the shared reader into one Float32Array, see TrainingRowsSink; any file
 * kind src/core/input opens, a zip's `member`): every cell must be a number and every target 0 or 1; the first
 * problem refuses the file with a TrainingRefusal whose message starts with the path. An archive of several
 * tables and no `member` is read at its one labelled table, as the app's training does (trainingMember).
 */
export async function readTrainingFile(path: string, member?: string): Promise<TrainingFile> {
  try {
    return await readTrainingTable(path, member);
  } catch (error) {
    if (member !== undefined || !(error instanceof FileError) || error.code !== 'choose-member') throw error;
    const how = 'choose one with --member.';
    return readTrainingTable(path, trainingMember(basename(path), error.members, how));
  }
}

async function readTrainingTable(path: string, member?: string): Promise<TrainingFile> {
  // A plain file's size and the bytes the first batch took give the row count, so the rows are allocated once
  // (a packed file's estimate comes out low: the rows then grow by half when they fill).
  const size = /\.gz$/i.test(path) ? 0 : ((await stat(path).catch(() => null))?.size ?? 0);
  let bytesRead = 0;
  const sink = new TrainingRowsSink((rows) =>
    size > 0 && bytesRead > 0 ? Math.ceil((rows * size) / bytesRead) : 0,
  );
  const { summary, source } = await readTableFile(path, {
    ...sink.parseOptions,
    member,
    onProgress: (bytes) => (bytesRead = bytes),
  }).catch(async (error: unknown) => {
    // No target column: a column named label, y, is_transaction … holding only 0 and 1 is named in the refusal.
    throw await withLabelHint(
      error,
      async (options) => (await readTableFile(path, { ...options, member })).summary,
    );
  });
  const data = sink.finish();
  return { ...data, notes: trainingNotes(source, summary, sink.repeatedIds()) };
}
