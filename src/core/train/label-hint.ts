/**
 * Training's hint for a labelled file whose labels are not in a column named `target`: a column named `label`,
 * `y`, `is_transaction` or the like (SchemaError.labelCandidates) is read once more as the labels, and when it
 * holds only 0 and 1 the refusal says so and asks for the rename. Nothing is renamed: the file is still refused.
 * One policy for the training CLI and the app's training worker.
 */
import type { ParseOptions, ParseSummary } from '../csv/types';
import { SchemaError, TARGET_COLUMN } from '../schema';

/** Thrown inside a read to stop it at the first value that is not 0 or 1. */
class NotLabels {}

/**
 * The refusal for a file without a target column, with the hint when one of its label-like columns holds only 0
 * and 1: `read` reads the same file again with the options given (the reader's `targetColumn`). Any other error
 * comes back as it is.
 */
export async function withLabelHint(
  error: unknown,
  read: (options: ParseOptions) => Promise<ParseSummary>,
  signal?: AbortSignal,
): Promise<unknown> {
  if (!(error instanceof SchemaError) || error.labelCandidates.length === 0) return error;
  for (const name of error.labelCandidates) {
    let ones = 0;
    try {
      const summary = await read({
        targetColumn: name,
        requireTarget: true,
        batchRows: 16384,
        signal,
        onBatch: (batch) => {
          for (let i = 0; i < batch.count; i++) ones += batch.targets?.[i] === 1 ? 1 : 0;
        },
        onIssue: (issue) => {
          // An empty cell or another value in the column: not labels. Other cells are not this check's business.
          if (issue.kind === 'bad-target') throw new NotLabels();
        },
        onRestart: () => (ones = 0),
      });
      const rows = summary.rows.toLocaleString('en-US');
      return new SchemaError(
        `${error.message} Its column ${JSON.stringify(name)} holds only 0 and 1 (${rows} rows, ` +
          `${ones.toLocaleString('en-US')} of them 1): if those are the labels, rename it to ${TARGET_COLUMN} ` +
          '(lower case, as in the Kaggle files) and train again.',
        error.columns,
      );
    } catch (reading) {
      if (signal?.aborted) throw reading;
      if (!(reading instanceof NotLabels)) return error;
    }
  }
  return error;
}
