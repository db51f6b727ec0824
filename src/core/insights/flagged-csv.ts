/** predictions.csv with a `flagged` column (1 = above the chosen line), built in chunks for a Blob. */
import { idAt, type PackedIds } from '../ids';
import { PREDICTIONS_HEADER, predictionLine } from '../output';

/** Header line of the flagged predictions file, with its line break. */
const FLAGGED_HEADER = `${PREDICTIONS_HEADER},flagged\n`;

/**
 * The file as string chunks of `chunkRows` lines each (a Blob joins them without one giant string):
 * Kaggle's `ID_code,target` lines, same formatting as the plain download, plus 0/1 from `mask`.
 */
export function flaggedCsvChunks(
  ids: PackedIds,
  probabilities: Float32Array,
  mask: Uint8Array,
  chunkRows = 16384,
): string[] {
  if (ids.count !== probabilities.length || mask.length !== probabilities.length) {
    throw new RangeError('ids, probabilities and mask must have one value per row');
  }
  const chunks = [FLAGGED_HEADER];
  for (let start = 0; start < ids.count; start += chunkRows) {
    let out = '';
    const end = Math.min(ids.count, start + chunkRows);
    for (let i = start; i < end; i++) out += `${predictionLine(idAt(ids, i), probabilities[i])},${mask[i]}\n`;
    chunks.push(out);
  }
  return chunks;
}
