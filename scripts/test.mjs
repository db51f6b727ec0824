#!/usr/bin/env node
// The whole test suite: unit/integration tests (vitest, Node) then browser tests (Playwright, headless
// Chromium). Ends with one plain `N passed, N failed` line, which CI reads; exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = 'test-results';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const only = process.argv[2]; // optional: "unit" or "e2e"
let passed = 0;
let failed = 0;
let skipped = 0;

// A phase that has not ended after this many minutes is stopped and counted as a failure: a test stuck in an endless
// synchronous loop blocks the runner's own timeouts, and CI would otherwise wait until its job is cancelled.
const BUDGET_MINUTES = Number(process.env.TEST_PHASE_MINUTES ?? 35);

let current; // the running phase's process group, stopped with this script
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current) process.kill(-current.pid, 'SIGKILL');
    process.exit(130);
  });
}

/** Runs a command in its own process group; kills the whole group after the budget. Resolves to its exit code. */
function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env }, detached: true });
    current = child;
    const timer = setTimeout(() => {
      console.error(
        `\n${cmd} ${args[0]} did not end within ${BUDGET_MINUTES} minutes (TEST_PHASE_MINUTES): stopped. ` +
          "A test that never yields (an endless loop) blocks the runner's own timeouts; the last file it " +
          'reported is the one before it.',
      );
      process.kill(-child.pid, 'SIGKILL');
    }, BUDGET_MINUTES * 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      current = undefined;
      resolve(code ?? 1);
    });
  });
}

if (only !== 'e2e') {
  const json = `${out}/vitest.json`;
  const code = await run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${json}`,
  ]);
  if (existsSync(json)) {
    const r = JSON.parse(readFileSync(json, 'utf8'));
    passed += r.numPassedTests;
    // A failed test counts once; a test file that failed with no failed test in it (it did not load) counts once.
    // (numFailedTestSuites also counts every describe block around a failed test: one failure read as three.)
    const brokenFiles = (r.testResults ?? []).filter(
      (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
    ).length;
    const counted = r.numFailedTests + brokenFiles;
    failed += counted;
    skipped += r.numPendingTests + r.numTodoTests;
    // An error outside any test (a test worker that died, an unhandled rejection) fails vitest's run but is in no
    // count of its report: a crashed file's tests were simply missing, and the line said "0 failed".
    if (code !== 0 && counted === 0) failed += 1;
  } else if (code !== 0) failed += 1; // vitest itself could not start: count it, never hide it
}

if (only !== 'unit') {
  const json = `${out}/playwright.json`;
  const browser = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(browser)) {
    console.error(`Browser tests need Chromium at ${browser} (Debian: apt-get install -y chromium).`);
    failed += 1;
  } else {
    const code = await run('npx', ['playwright', 'test', '--reporter=list,json'], {
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
