/** Test and benchmark helpers: one file's ids and probabilities from each engine, at full precision. */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModelCard } from '../../src/core/model-card';
import { blankFarValues, farBounds } from '../../src/core/scoring/far-values';
import { unpackIds } from '../../src/core/ids';
import { readCsvFile } from '../io/read-csv';
import { createScorer } from '../score/session';
import { openDuckdb, scoreRows } from '../score/duckdb';

/** Ids and P(target = 1) per row, in the file's order. */
export interface EngineOutput {
  ids: string[];
  probability: ArrayLike<number>;
}

/**
 * onnxruntime-web over the shared reader, as `npm run score` runs it (float32 probabilities): values too far
 * outside the training range of the card beside the model count as missing (far-values.ts).
 */
export async function onnxProbabilities(model: string, input: string): Promise<EngineOutput> {
  const scorer = await createScorer(await readFile(model), model);
  const card = JSON.parse(await readFile(join(dirname(model), 'model-card.json'), 'utf8')) as ModelCard;
  const bounds = farBounds(card.features);
  const ids: string[] = [];
  const parts: Float32Array[] = [];
  try {
    await readCsvFile(input, {
      batchRows: 8192,
      async onBatch(batch) {
        ids.push(...unpackIds(batch.ids));
        if (bounds) blankFarValues(batch.features, batch.count, bounds);
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
