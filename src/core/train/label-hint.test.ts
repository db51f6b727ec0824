import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv';
import type { ParseOptions } from '../csv/types';
import { FEATURE_NAMES, SchemaError } from '../schema';
import { withLabelHint } from './label-hint';
import { TrainingRowsSink } from './training-rows';

/** A labelled file whose label column is named `name`, with the labels given (text, as in the file). */
function csv(name: string, labels: string[]): Uint8Array {
  const lines = [`ID_code,${name},${FEATURE_NAMES.join(',')}`];
  labels.forEach((label, i) =>
    lines.push(`c${i},${label},${FEATURE_NAMES.map((_, j) => (i + j) % 7).join(',')}`),
  );
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** Training's read of the file, then the hint on its refusal, as the CLI and the training worker do. */
async function refusal(bytes: Uint8Array): Promise<string> {
  const read = (options: ParseOptions) =>
    parseCsv(async function* () {
      yield bytes;
    }, options);
  const sink = new TrainingRowsSink();
  const error = await read(sink.parseOptions).then(
    () => null,
    (e: unknown) => withLabelHint(e, read),
  );
  expect(error).toBeInstanceOf(SchemaError);
  return (error as Error).message;
}

describe('withLabelHint', () => {
  for (const name of ['label', 'y', 'is_transaction', 'IsTransaction']) {
    it(`a column named ${name} holding only 0 and 1 is named, and the file is still refused`, async () => {
      expect(await refusal(csv(name, ['0', '1', '0', '0', '1']))).toBe(
        `No target column: training needs labelled rows. Its column "${name}" holds only 0 and 1 (5 rows, 2 of ` +
          'them 1): if those are the labels, rename it to target (lower case, as in the Kaggle files) and train again.',
      );
    });
  }

  it('a label-like column holding anything else gets no hint', async () => {
    expect(await refusal(csv('label', ['0', '1', '2', '0']))).toBe(
      'No target column: training needs labelled rows.',
    );
    expect(await refusal(csv('y', ['0', '', '1']))).toBe('No target column: training needs labelled rows.');
  });

  it('Target (another case) keeps its own hint, without a second one', async () => {
    expect(await refusal(csv('Target', ['0', '1']))).toBe(
      'No target column: training needs labelled rows. Rename "Target" to target (lower case, as in the Kaggle files).',
    );
  });

  it('a column of 0 and 1 under another name (var_x) is not taken for the labels', async () => {
    expect(await refusal(csv('segment', ['0', '1']))).toBe('No target column: training needs labelled rows.');
  });
});
