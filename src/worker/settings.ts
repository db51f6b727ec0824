/** Rows per batch handed to the model: large enough to amortise each call, small enough that onnxruntime's
 * wasm heap (which never shrinks) stays small; measured with scripts/bench-browser.ts. */
export const BATCH_ROWS = 4096;
