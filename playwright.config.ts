import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './tests/chromium';

/** Pages project sites serve the app under /<repo>/: test under such a base, never at the root.
 * The Pages workflow sets BASE_PATH to the repository's own path; PW_PORT lets two runs share a machine. */
export const BASE_PATH = process.env.BASE_PATH ?? '/santander-scorer/';
const PORT = Number(process.env.PW_PORT ?? 4174);

export default defineConfig({
  testDir: 'tests/e2e',
  // Two shared cores: parallel browsers would only slow each other down and blur the figures.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Two retries in CI: trust-files.spec's long run of small files found BYOB reads that Chromium lost to the
  // collector (fixed in src/worker/file-access.ts); a retry shows up as "flaky" in the report, never as a pass that
  // hides a failure.
  retries: process.env.CI ? 2 : 0,
  use: {
    baseURL: `http://127.0.0.1:${PORT}${BASE_PATH}`,
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: {
    // Set PLAYWRIGHT_SKIP_BUILD=1 to test an existing dist/ (e.g. one CI built with another base).
    command: `${process.env.PLAYWRIGHT_SKIP_BUILD ? '' : `npx vite build --base ${BASE_PATH} && `}npx vite preview --base ${BASE_PATH} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}${BASE_PATH}`,
    // Never test a stray server that happens to hold the port: a busy port fails loudly (set PW_PORT).
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
