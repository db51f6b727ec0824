/** Test and benchmark helpers: one file's ids and probabilities from each engine, at full precision. */
import { readFile } from 'node:fs/promises';
import { unpackIds } from '../../src/core/ids';
import { readCsvFile } from '../io/read-csv';
import { createScorer } from '../score/session';
import { openDuckdb, scoreRows } from '../score/duckdb';

/** Ids and P(target = 1) per row, in the file's order. */
export interface EngineOutput {
  ids: string[];
  probability: ArrayLike<number>;
}

/** onnxruntime-web over the shared reader, as `npm run score` runs it (float32 probabilities). */
export async function onnxProbabilities(model: string, input: string): Promise<EngineOutput> {
  const scorer = await createScorer(await readFile(model), model);
  const ids: string[] = [];
  const parts: Float32Array[] = [];
  try {
    await readCsvFile(input, {
      batchRows: 8192,
      async onBatch(batch) {
        ids.push(...unpackIds(batch.ids));
        parts.push((await scorer.probabilities(batch.features, batch.count)).slice());
      },
    });
  } finally {
    await scorer.release();
  }
  const probability = new Float32Array(ids.length);
  let at = 0;
  for (const p of parts) probability.set(p, (at += p.length) - p.length);
  return { ids, probability };
}

/** The DuckDB engine's query (double probabilities). */
export async function duckdbProbabilities(model: string, input: string): Promise<EngineOutput> {
  const session = await openDuckdb({ model, input });
  const ids: string[] = [];
  const probability: number[] = [];
  try {
    await scoreRows(session, input, (chunkIds, p) => {
      for (let i = 0; i < chunkIds.length; i++) {
        ids.push(chunkIds[i] ?? '');
        probability.push(p[i]);
      }
    });
  } finally {
    await session.close();
  }
  return { ids, probability };
}
