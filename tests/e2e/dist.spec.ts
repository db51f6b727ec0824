import { expect, test } from '@playwright/test';
import { readFile, stat } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';

// The built output is tested like code: the service worker must precache what scoring offline needs.
const dist = new URL('../../dist/', import.meta.url);

async function precacheUrls(): Promise<string[]> {
  const sw = await readFile(new URL('sw.js', dist), 'utf8');
  return [...sw.matchAll(/"?url"?:\s*"([^"]+)"/g)].map((m) => m[1]);
}

test('the precache manifest lists the app shell, the ort .wasm, the model and the samples', async () => {
  const urls = await precacheUrls();
  expect(urls).toContain('index.html');
  expect(urls).toContain('manifest.webmanifest');
  expect(urls.filter((u) => /^assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(u))).toHaveLength(1);
  expect(urls.filter((u) => /^assets\/model-[\w-]+\.onnx$/.test(u))).toHaveLength(1);
  expect(urls.some((u) => /^assets\/sample-[\w-]+\.csv$/.test(u))).toBe(true);
  expect(urls.some((u) => /^assets\/score-worker-[\w-]+\.js$/.test(u))).toBe(true);
  expect(new Set(urls).size).toBe(urls.length);
  // Every listed file exists, and none is over the 15 MiB precache limit set in vite.config.ts.
  for (const url of urls) {
    const { size } = await stat(new URL(url, dist));
    expect(size, url).toBeLessThanOrEqual(15 * 1024 * 1024);
  }
});

test('the manifest icons are real PNGs of the stated sizes, one of them maskable', async () => {
  const manifest = JSON.parse(await readFile(new URL('manifest.webmanifest', dist), 'utf8')) as {
    icons: { src: string; sizes: string; purpose?: string }[];
  };
  expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
  for (const icon of manifest.icons) {
    const png = await readFile(new URL(icon.src, dist));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
    // The image data decompresses: the file is a whole PNG, not a stub with a valid header.
    const idat = png.indexOf('IDAT');
    expect(idat).toBeGreaterThan(0);
    expect(() => inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)))).not.toThrow();
  }
});
