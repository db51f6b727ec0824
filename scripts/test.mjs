#!/usr/bin/env node
// The whole test suite: unit/integration tests (vitest, Node) then browser tests (Playwright, headless
// Chromium). Ends with one plain `N passed, N failed` line, which CI reads; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = 'test-results';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const only = process.argv[2]; // optional: "unit" or "e2e"
let passed = 0;
let failed = 0;
let skipped = 0;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

if (only !== 'e2e') {
  const json = `${out}/vitest.json`;
  const code = run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${json}`,
  ]);
  if (existsSync(json)) {
    const r = JSON.parse(readFileSync(json, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numFailedTestSuites ?? 0);
    skipped += r.numPendingTests + r.numTodoTests;
  } else if (code !== 0) failed += 1; // vitest itself could not start: count it, never hide it
}

if (only !== 'unit') {
  const json = `${out}/playwright.json`;
  const browser = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(browser)) {
    console.error(`Browser tests need Chromium at ${browser} (Debian: apt-get install -y chromium).`);
    failed += 1;
  } else {
    const code = run('npx', ['playwright', 'test', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: json,
    });
    if (existsSync(json)) {
      const s = JSON.parse(readFileSync(json, 'utf8')).stats;
      passed += s.expected + (s.flaky ?? 0);
      failed += s.unexpected;
      skipped += s.skipped;
      if (code !== 0 && s.unexpected === 0) failed += 1; // e.g. the web server did not start
    } else if (code !== 0) failed += 1;
  }
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
