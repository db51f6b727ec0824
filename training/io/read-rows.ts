/** Reads whole CSV files into typed arrays for training and evaluation, refusing bad cells with their place. */
import type { RowIssue } from '../../src/core/csv/index';
import { unpackIds } from '../../src/core/ids';
import { FEATURE_COUNT } from '../../src/core/schema';
import { readCsvFile } from '../lib/read-csv';

/** A file's rows in memory. */
export interface LoadedRows {
  rows: number;
  ids: string[];
  /** Row-major [rows, 200], model order. */
  features: Float32Array;
  /** 0/1 per row; null when the file has no target column. */
  targets: Uint8Array | null;
}

/** A refused input: the message names the file, row, column and value. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const KIND_TEXT: Record<RowIssue['kind'], string> = {
  empty: 'empty cell',
  missing: 'missing value',
  'non-numeric': 'non-numeric value',
  'non-finite': 'non-finite value',
  'too-few-fields': 'too few fields',
  'too-many-fields': 'too many fields',
  'bad-target': 'target must be 0 or 1, got',
  'no-id': 'no ID_code',
};

/**
 * "row 12, column var_3: non-numeric value "abc"." (row = data row, 1 = first after the header). Thrown from a
 * readCsvFile callback, the message gets the file's path in front (readCsvFile prefixes every error).
 */
export function describeCellIssue(issue: RowIssue): string {
  if (issue.kind === 'no-id') return `row ${issue.row}: values but no ID_code.`;
  const column = issue.column ? `, column ${issue.column}` : '';
  return `row ${issue.row}${column}: ${KIND_TEXT[issue.kind]} "${issue.value}".`;
}

function concat(parts: Float32Array[], length: number): Float32Array {
  const out = new Float32Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Reads a labelled file for training: every cell must be a number and every target 0 or 1; the first problem
 * refuses the file (training on guessed values would hide a broken export).
 */
export async function readTrainingFile(path: string): Promise<LoadedRows> {
  const parts: Float32Array[] = [];
  const targetParts: Float32Array[] = [];
  let ids: string[] = [];
  let rows = 0;
  await readCsvFile(path, {
    requireTarget: true,
    batchRows: 16384,
    onRestart() {
      parts.length = 0;
      targetParts.length = 0;
      ids = [];
      rows = 0;
    },
    onIssue(issue) {
      throw new InputError(describeCellIssue(issue));
    },
    onBatch(batch) {
      parts.push(batch.features.subarray(0, batch.count * FEATURE_COUNT));
      targetParts.push(batch.targets!.subarray(0, batch.count));
      for (const id of unpackIds(batch.ids)) ids.push(id);
      rows += batch.count;
    },
  });
  const targetFloats = concat(targetParts, rows);
  const targets = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) targets[i] = targetFloats[i] > 0.5 ? 1 : 0;
  return { rows, ids, features: concat(parts, rows * FEATURE_COUNT), targets };
}
