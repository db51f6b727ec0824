/**
 * Will a training file fit in memory? The row count is estimated from the file's first rows before any of it is
 * kept, and the run's peak from the row count, so a file the device cannot hold is refused before it starts.
 */

/**
 * Peak bytes training holds per row of the file: the features (800 B), the fitter's column-major copy of the
 * training part (640 B) and its sorted columns for the quantiles (640 B), then the logistic regression
 * baseline's scaled copy (640 B) and the holdout's values and contributions (320 B), not all at once.
 * Measured: the renderer grew by about 400 MB (280 -> 680 MB) while training the 200,000-row file
 * (scripts/bench-train-browser.ts), 2,000 B per row; a quarter more for when the collector runs late.
 */
export const TRAINING_BYTES_PER_ROW = 2500;
/** The worker's own code and buffers, whatever the file. */
export const TRAINING_FIXED_BYTES = 64 * 2 ** 20;

/** Bytes training needs for `rows` rows. */
export function trainingBytes(rows: number): number {
  return TRAINING_FIXED_BYTES + rows * TRAINING_BYTES_PER_ROW;
}

/** Share of the device's memory a training run may take. */
const DEVICE_MEMORY_SHARE = 0.25;
/** Device memory assumed where the browser does not say (navigator.deviceMemory is Chromium-only). */
const UNKNOWN_DEVICE_GB = 4;
/** Never more than this, however large the device: browsers kill renderers that grow much past it. */
const MAX_TRAINING_BYTES = 4 * 2 ** 30;

/** What the device allows: a share of its memory, from navigator.deviceMemory in GB (null: not reported). */
export function memoryBudget(deviceMemoryGb: number | null | undefined): { bytes: number; deviceGb: number } {
  const deviceGb = deviceMemoryGb && deviceMemoryGb > 0 ? deviceMemoryGb : UNKNOWN_DEVICE_GB;
  return { bytes: Math.min(MAX_TRAINING_BYTES, deviceGb * 2 ** 30 * DEVICE_MEMORY_SHARE), deviceGb };
}

/** The first rows of a file and how many of the file's own (packed) bytes the reader had read for them. */
export interface FileSample {
  rows: number;
  fileBytes: number;
}

/**
 * Rows in the whole file, from its first rows' share of its bytes (packed bytes for gzip or zip, so the
 * compression ratio is taken into account). Slightly low: the reader has read up to one chunk ahead.
 */
export function estimateRows(sample: FileSample, fileSize: number): number {
  if (sample.rows === 0 || sample.fileBytes === 0) return 0;
  return Math.round((sample.rows * fileSize) / sample.fileBytes);
}

function gb(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GB`;
}

/**
 * Why a file of about `rows` rows cannot be trained here, or null when it fits: the estimate, the budget and
 * where the budget comes from.
 */
export function memoryRefusal(
  rows: number,
  budget: { bytes: number; deviceGb: number },
  reported: boolean,
): string | null {
  const needed = trainingBytes(rows);
  if (needed <= budget.bytes) return null;
  const device = reported
    ? `a quarter of this device's ${budget.deviceGb} GB`
    : `a quarter of ${budget.deviceGb} GB, assumed because this browser does not say how much memory the device has`;
  const fits = Math.floor((budget.bytes - TRAINING_FIXED_BYTES) / TRAINING_BYTES_PER_ROW);
  return (
    `Too large to train on this device: about ${rows.toLocaleString('en-US')} rows (estimated from the file's ` +
    `size and its first rows) need about ${gb(needed)} of memory while training ` +
    `(${TRAINING_BYTES_PER_ROW.toLocaleString('en-US')} bytes per row), and training may use ${gb(budget.bytes)} ` +
    `(${device}). Use a file of at most about ${fits.toLocaleString('en-US')} rows, or train it with ` +
    '`npm run train`.'
  );
}
