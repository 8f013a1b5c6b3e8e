// Edge tests run inside workerd with real D1 (migrations applied per test file), against a local fixture origin.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';

// wrangler bundles *.opml as text modules ([[rules]] in wrangler.toml); the test pool's module fallback resolves
// relative text-module imports against the project root instead of the importer, so Vite loads them here.
const opmlAsText: Plugin = {
  name: 'opml-as-text',
  enforce: 'pre',
  load(id) {
    const file = id.split('?')[0]!;
    return file.endsWith('.opml') ? `export default ${JSON.stringify(readFileSync(file, 'utf8'))};` : undefined;
  },
};

export default defineConfig({
  plugins: [
    opmlAsText,
    cloudflareTest(async ({ inject }) => ({
      // Without workerd's --verbose: at that level it logs every failed subrequest as an "uncaught exception", even
      // one our code catches (the fault tests make dozens). Real errors still show: vitest reports unhandled
      // rejections and failed tests itself, and test-entry.ts logs what the runtime's own queue() calls throw.
      verbose: false,
      wrangler: { configPath: './wrangler.toml' },
      main: './tests/support/test-entry.ts',
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations('./migrations'),
          FIXTURE_ORIGIN: inject<string>('fixtureOrigin'),
          // Seeding in tests subscribes to the sample site, never to the public default feeds.
          SEED_OPML_URL: `${inject<string>('fixtureOrigin')}/site/demo.opml`,
          ALLOW_PRIVATE_NETWORK: '1',
          ADMIN_TOKEN: 'test-admin-token',
        },
      },
    })),
  ],
  test: {
    include: ['tests/edge/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/apply-migrations.ts'],
    testTimeout: 20_000,
    // sanitize-html's postcss maps `source-map-js` away in its browser field, which workerd's module fallback cannot
    // resolve; pre-bundling it with esbuild (as wrangler does for the real Worker) loads it the same way production does.
    deps: { optimizer: { ssr: { enabled: true, include: ['sanitize-html'] } } },
  },
});
