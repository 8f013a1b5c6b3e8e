// End-to-end tests run in Node: they start the real reader (`wrangler dev`, local D1) and the fixture origin,
// and talk to them over HTTP on loopback, as a reader's browser or an operator's curl would.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file starts its own wrangler dev; two at once is what these 2-core machines take.
    maxWorkers: 2,
  },
});
