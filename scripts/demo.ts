// `npm run demo`: the reader against the bundled sample site (the fixture origin the tests use), with no internet.
// The demo keeps its own local database, so it never mixes with the feeds of `npm start`.
import { startFixtureOrigin } from '../tests/fixture-origin/server.ts';
import { runReader } from './start.ts';

const originPort = Number(process.env.DEMO_ORIGIN_PORT ?? 8790);
const origin = await startFixtureOrigin({ port: originPort });
console.log(`Sample site at ${origin.url}/site/`);
await runReader({
  banner: 'Offline Reader (demo)',
  persistTo: '.wrangler/demo-state',
  vars: { ALLOW_PRIVATE_NETWORK: '1', SEED_OPML_URL: `${origin.url}/site/demo.opml` },
});
await origin.close();
