import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/csv-fixture';

const CORE = new URL('../../src/core/onnx/', import.meta.url);

describe('src/core/onnx/onnx-proto.js', () => {
  it('is what protobufjs-cli generates from onnx.proto today (run npm run gen:onnx-proto after editing it)', () => {
    const dir = tempDir('onnx-proto');
    try {
      const script = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts[
        'gen:onnx-proto'
      ] as string;
      const args = script
        .split(' ')
        .slice(1)
        .map((a) => (a === 'src/core/onnx/onnx-proto.js' ? join(dir, 'onnx-proto.js') : a));
      execFileSync(join('node_modules', '.bin', 'pbjs'), args, { stdio: 'pipe' });
      for (const name of ['onnx-proto.js', 'onnx-proto.d.ts']) {
        const committed = readFileSync(new URL(name, CORE), 'utf8');
        expect(readFileSync(join(dir, name), 'utf8'), name).toBe(committed);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
