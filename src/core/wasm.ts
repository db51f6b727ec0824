/**
 * Loads the project's own small WebAssembly kernels (hand-written .wat, compiled by `npm run gen:wasm` into base64
 * constants). Synchronous: each module is a few hundred bytes, compiled once per thread in microseconds, in a
 * worker and in Node alike.
 */

/** The little of the WebAssembly API used here (src/core is also compiled for Node, without the DOM's types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

/** A kernel's memory, as its exports give it. */
export interface KernelMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Bytes in a WebAssembly memory page. */
const WASM_PAGE = 65536;

const compiled = new Map<string, object>();

/** A fresh instance of the module whose bytes are `base64` (its own memory); its exports, typed by the caller. */
export function instantiate<T>(base64: string): T {
  let module = compiled.get(base64);
  if (!module) {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    module = new wasm.Module(bytes);
    compiled.set(base64, module);
  }
  return new wasm.Instance(module, {}).exports as T;
}

/** Grows `memory` to at least `bytes` and returns its buffer (a new one after a growth: older views are stale). */
export function growTo(memory: KernelMemory, bytes: number): ArrayBuffer {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
  return memory.buffer;
}
