/** Helpers for tests and benchmarks: feed bytes in chosen pieces and gather everything parseCsv hands out. */
import { unpackIds } from '../ids';
import { FEATURE_COUNT } from '../schema';
import { parseCsv } from './parse-csv';
import type { ParseInfo, ParseOptions, ParseSummary, RowIssue } from './types';

/** Everything one parse produced, batches joined. */
export interface Collected {
  summary: ParseSummary;
  info: ParseInfo[];
  ids: string[];
  features: Float32Array;
  targets: number[] | null;
  issues: RowIssue[];
  batchSizes: number[];
  firstRows: number[];
  restarts: number;
}

/** An `open` that yields `bytes` cut at the given offsets (sorted or not; out-of-range ones ignored). */
export function openBytes(bytes: Uint8Array, cuts: number[] = []): () => AsyncIterable<Uint8Array> {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  return async function* () {
    let from = 0;
    for (const at of [...points, bytes.length]) {
      // A copy, as a real stream hands out fresh buffers.
      yield bytes.slice(from, at);
      from = at;
    }
  };
}

/** Parses and gathers; a restart clears what was gathered, as callers must. */
export async function collect(
  open: () => AsyncIterable<Uint8Array>,
  options: Omit<ParseOptions, 'onBatch'> = {},
): Promise<Collected> {
  let parts: Float32Array[] = [];
  const out = {
    info: [] as ParseInfo[],
    ids: [] as string[],
    targets: null as number[] | null,
    issues: [] as RowIssue[],
    batchSizes: [] as number[],
    firstRows: [] as number[],
    restarts: 0,
  };
  const summary = await parseCsv(open, {
    ...options,
    onInfo: (info) => out.info.push(info),
    onIssue: (issue) => out.issues.push(issue),
    onRestart: () => {
      out.restarts++;
      parts = [];
      Object.assign(out, { info: [], ids: [], targets: null, issues: [], batchSizes: [], firstRows: [] });
    },
    onBatch: (batch) => {
      parts.push(batch.features);
      out.ids.push(...unpackIds(batch.ids));
      if (batch.targets) (out.targets ??= []).push(...batch.targets);
      out.batchSizes.push(batch.count);
      out.firstRows.push(batch.firstRow);
      if (batch.features.length !== batch.count * FEATURE_COUNT) throw new Error('features length mismatch');
      if (batch.ids.count !== batch.count) throw new Error('ids length mismatch');
    },
  });
  const features = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    features.set(p, at);
    at += p.length;
  }
  return { summary, features, ...out };
}
