// The whole system for a browser test: the fixture origin (sample site, faults) and the real reader (wrangler dev,
// local D1) subscribed to the sample feeds, with the newest items' articles already fetched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeedsResponse } from '../../../contract/http.ts';
import { startReader, type RunningReader } from '../../../scripts/reader-process.ts';
import { startFixtureOrigin, type FixtureOrigin } from '../../fixture-origin/server.ts';
import { eventually } from '../../support/eventually.ts';
import { freePort } from '../../../scripts/free-port.ts';

export const ADMIN_TOKEN = 'browser-admin-token';

export interface Stack {
  origin: FixtureOrigin;
  reader: RunningReader;
  /** The reader's own URL as the browser should use it: http://localhost is a secure context. */
  site: string;
  admin: Record<string, string>;
  /** wrangler's --persist-to folder: local D1 lives under it (the abuse proof measures it). */
  state: string;
  stop(): Promise<void>;
}

export async function startStack(options: { latencyMs?: number; vars?: Record<string, string> } = {}): Promise<Stack> {
  const origin = await startFixtureOrigin({ latencyMs: options.latencyMs });
  const state = mkdtempSync(join(tmpdir(), 'reader-browser-'));
  const port = await freePort();
  const reader = await startReader({
    port,
    persistTo: state,
    vars: { ALLOW_PRIVATE_NETWORK: '1', ADMIN_TOKEN, SEED_OPML_URL: `${origin.url}/site/demo.opml`, ...options.vars },
  });
  const site = `http://localhost:${port}`;
  // Seed and refresh now, so tests start from a reader with items.
  // Every feed must have been fetched once: with origin latency, counting items alone can stop half-way. The refresh
  // goes through the local queue (a fan-out message, then the feeds, spread by host): allow for a loaded machine.
  await eventually(
    async () => {
      const { feeds } = (await (await fetch(`${site}/api/feeds`)).json()) as FeedsResponse;
      return feeds.length > 0 && feeds.every((feed) => feed.lastFetchedAt !== null) ? true : undefined;
    },
    { timeoutMs: 60_000, everyMs: 200 },
  );
  return {
    origin,
    reader,
    site,
    admin: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    state,
    async stop() {
      await reader.stop();
      await origin.close();
      rmSync(state, { recursive: true, force: true });
    },
  };
}
