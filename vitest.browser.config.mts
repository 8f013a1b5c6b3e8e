// Browser tests run in Node and drive Debian's Chromium (playwright-core) against the real reader and fixture origin.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // One browser and one wrangler dev at a time: these machines have 2 cores.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
