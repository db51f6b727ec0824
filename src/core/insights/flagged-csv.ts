/**
 * predictions.csv with a `flagged` column (1 = above the chosen line), written as UTF-8 bytes in the worker like
 * predictions.csv itself: the page only receives the Blob.
 */
import type { PackedIds } from '../ids';
import { FLAGGED_HEADER_LINE, PredictionLinesWriter } from '../scoring/predictions-csv';

const encoder = new TextEncoder();

/**
 * The file as byte chunks of `chunkRows` lines each (a Blob joins them): Kaggle's `ID_code,target` lines, the same
 * bytes as the plain download, plus 0/1 from `mask` (file order). The header is the first chunk.
 */
export function flaggedCsvChunks(
  ids: PackedIds,
  probabilities: Float32Array,
  mask: Uint8Array,
  chunkRows = 16384,
): Uint8Array<ArrayBuffer>[] {
  if (ids.count !== probabilities.length || mask.length !== probabilities.length) {
    throw new RangeError('ids, probabilities and mask must have one value per row');
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [encoder.encode(FLAGGED_HEADER_LINE)];
  const writer = new PredictionLinesWriter();
  for (let start = 0; start < ids.count; start += chunkRows) {
    writer.write(ids, probabilities, start, Math.min(ids.count, start + chunkRows), mask);
    chunks.push(writer.take().slice());
  }
  return chunks;
}
