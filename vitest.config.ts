import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node; browser behaviour is tested by Playwright (tests/e2e).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'training/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/unit/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores here: the training integration test and the fuzz run should not fight four workers.
    maxWorkers: 2,
  },
});
