/** Test helpers: Kaggle-format CSV text from rows in memory, and temporary directories. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/core/schema';

/** CSV text with ID_code[,target],var_0..var_199; values with 4 decimals like the Kaggle file. */
export function rowsToCsv(
  features: Float32Array,
  targets: ArrayLike<number> | null,
  prefix = 'train',
): string {
  const rows = features.length / FEATURE_COUNT;
  const header = ['ID_code', ...(targets ? ['target'] : []), ...FEATURE_NAMES];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const cells = [`${prefix}_${i}`, ...(targets ? [String(targets[i])] : [])];
    for (let j = 0; j < FEATURE_COUNT; j++) cells.push(features[i * FEATURE_COUNT + j].toFixed(4));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** A fresh directory under the system temp dir. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `${label}-`));
}
