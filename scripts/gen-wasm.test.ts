import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, no types
import { compileWat, KERNELS, moduleSource } from './gen-wasm.mjs';

const root = join(import.meta.dirname, '..');

describe('npm run gen:wasm', () => {
  for (const kernel of KERNELS as { wat: string; out: string }[]) {
    it(`${kernel.out} is what ${kernel.wat} compiles to`, async () => {
      const bytes: Uint8Array = await compileWat(readFileSync(join(root, kernel.wat), 'utf8'));
      expect(readFileSync(join(root, kernel.out), 'utf8')).toBe(moduleSource(kernel, bytes));
    });
  }

  it('refuses text that is not valid WebAssembly, with wabt’s message', async () => {
    await expect(compileWat('(module (func (result i32)))')).rejects.toThrow(/type mismatch|error/i);
  });
});
