/** The CLIs' shared answer to a refused input: one line on stderr and exit code 1. */
import { CsvError } from '../../src/core/csv/index';
import { FileError } from '../../src/core/input/index';
import { SchemaError } from '../../src/core/schema';
import { TrainingRefusal } from '../../src/core/train/policy';
import { InputError } from '../io/read-rows';

/**
 * Prints `<command>: <message>` and returns exit code 1 for bad input (InputError, CsvError, SchemaError,
 * FileError, a TrainingRefusal) or a file system error (one with a `code`); anything else is a bug and is
 * rethrown. A zip of several tables gets the --member to add.
 */
export function exitForInputError(command: string, error: unknown): number {
  if (error instanceof FileError && error.code === 'choose-member') {
    const first = error.members[0].name;
    // Quoted for the shell when the name has spaces or quotes (zip members often do).
    const shown = /^[\w./-]+$/.test(first) ? first : `'${first.replaceAll("'", `'\\''`)}'`;
    error.message = `${error.message.replace(/ Choose one\.$/, '')} Choose one with --member, e.g. --member ${shown}`;
  }
  const isInput =
    error instanceof InputError ||
    error instanceof CsvError ||
    error instanceof SchemaError ||
    error instanceof FileError ||
    error instanceof TrainingRefusal;
  if (isInput || (error instanceof Error && (error as NodeJS.ErrnoException).code)) {
    console.error(`${command}: ${(error as Error).message}`);
    return 1;
  }
  throw error;
}
