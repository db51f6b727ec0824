/** Rows per batch handed to the model: large enough to amortise each call, small enough that onnxruntime's
 * wasm heap (which never shrinks) and the feature buffers going round between the workers stay small. Measured
 * with scripts/bench-browser.ts against 4096: the renderer sits ~10 MB lower before a file (269 vs 279 MB) and
 * the time for 300 MB is the same within the machine's noise. */
export const BATCH_ROWS = 2048;

/** Dummy batches the model runs at start-up, so V8's optimising compile of its wasm happens before any file:
 * 16,384 rows in all (8 batches of BATCH_ROWS; measured when batches were 4096 rows, where 1 batch was not always
 * enough and the compile then still overlapped a file dropped 300 ms after "ready"). */
export const WARM_UP_BATCHES = 16_384 / BATCH_ROWS;
