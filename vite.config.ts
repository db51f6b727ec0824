import { execFileSync } from 'node:child_process';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** The commit being built: a model trained in the browser names it in its card, as the CLI names its own. */
function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

// The base path comes from the command line (`vite build --base /<repo>/` for GitHub Pages project sites);
// the manifest's scope/start_url and the service worker's scope follow it.
export default defineConfig({
  define: { __GIT_COMMIT__: JSON.stringify(gitCommit()) },
  plugins: [
    svelte(),
    {
      // The dev server injects CSS as <style> elements, which index.html's CSP forbids; the build links files.
      name: 'dev-inline-styles',
      apply: 'serve',
      transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
    },
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      // Registered from src/app/pwa.svelte.ts: no inline script, so a strict CSP can forbid them.
      injectRegister: false,
      // The glob below already takes the icons; listing them twice would only duplicate precache entries.
      includeManifestIcons: false,
      manifest: {
        name: 'Santander customer scorer',
        short_name: 'Scorer',
        description:
          'Scores a customer file for the chance of a transaction. The file never leaves your device.',
        theme_color: '#175c78',
        background_color: '#f6f7f9',
        display: 'standalone',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // Workbox takes js/css/html only by default: the scorer also needs the ort .wasm, the model and the samples
        // (the plugin adds manifest.webmanifest itself).
        globPatterns: ['**/*.{js,css,html,png,svg,wasm,onnx,csv,bin}'],
        // ort-wasm-simd-threaded.wasm is 14.2 MB (workbox refuses files over 2 MiB by default).
        maximumFileSizeToCacheInBytes: 15 * 1024 * 1024,
      },
    }),
  ],
  // onnxruntime-web locates its .wasm itself; pre-bundling breaks that (we pass the URL Vite emits instead).
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
