// Unit tests of the service worker's modules and the contract, in Node: no browser, a real IndexedDB implementation
// (fake-indexeddb), and the few worker globals the modules reach for (tests/unit/support/worker-globals.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['fake-indexeddb/auto', 'tests/unit/support/worker-globals.ts'],
    testTimeout: 5_000,
  },
});
