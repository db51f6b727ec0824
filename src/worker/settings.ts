/** Rows per batch handed to the model: large enough to amortise each call, small enough that onnxruntime's
 * wasm heap (which never shrinks) stays small; measured with scripts/bench-browser.ts. */
export const BATCH_ROWS = 4096;

/** Dummy batches the model runs at start-up, so V8's optimising compile of its wasm happens before any file
 * (1 was not always enough: the compile then still overlapped a file dropped 300 ms after "ready"). */
export const WARM_UP_BATCHES = 4;
