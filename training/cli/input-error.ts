/** The CLIs' shared answer to a refused input: one line on stderr and exit code 1. */
import { CsvError } from '../../src/core/csv/index';
import { SchemaError } from '../../src/core/schema';
import { TrainingRefusal } from '../../src/core/train/policy';
import { InputError } from '../io/read-rows';

/**
 * Prints `<command>: <message>` and returns exit code 1 for bad input (InputError, CsvError, SchemaError, a
 * TrainingRefusal) or a
 * file system error (one with a `code`); anything else is a bug and is rethrown.
 */
export function exitForInputError(command: string, error: unknown): number {
  const isInput =
    error instanceof InputError ||
    error instanceof CsvError ||
    error instanceof SchemaError ||
    error instanceof TrainingRefusal;
  if (isInput || (error instanceof Error && (error as NodeJS.ErrnoException).code)) {
    console.error(`${command}: ${(error as Error).message}`);
    return 1;
  }
  throw error;
}
