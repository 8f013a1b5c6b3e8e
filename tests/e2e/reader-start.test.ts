// What a new user gets from `npm start` / `npm run demo`: sources seeded, fresh items within seconds, the cron working.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedsResponse, ItemsPage } from '../../contract/http.ts';
import { refreshAndWait } from '../../scripts/await-refresh.ts';
import { startReader, type RunningReader } from '../../scripts/reader-process.ts';
import { startFixtureOrigin, type FixtureOrigin } from '../fixture-origin/server.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../../scripts/free-port.ts';

const ADMIN = 'e2e-admin-token';
let origin: FixtureOrigin;
let reader: RunningReader;
let state: string;

beforeAll(async () => {
  origin = await startFixtureOrigin();
  state = mkdtempSync(join(tmpdir(), 'reader-e2e-'));
  reader = await startReader({
    port: await freePort(),
    persistTo: state,
    vars: { ALLOW_PRIVATE_NETWORK: '1', ADMIN_TOKEN: ADMIN, SEED_OPML_URL: `${origin.url}/site/demo.opml` },
  });
});

afterAll(async () => {
  await reader?.stop();
  await origin?.close();
  rmSync(state, { recursive: true, force: true });
});

const getJson = async <T>(path: string, init?: RequestInit) => {
  const res = await fetch(`${reader.url}${path}`, init);
  return { res, body: (await res.json()) as T };
};

describe('a fresh start', () => {
  it('seeds the sample sources and shows their items within seconds, without any manual step', async () => {
    const { body: first } = await getJson<FeedsResponse>('/api/feeds');
    expect(first.feeds.length).toBeGreaterThanOrEqual(5);

    // The refresh runs in the background: wait until every seeded source has delivered, within seconds.
    const page = await eventually(
      async () => {
        const { body } = await getJson<ItemsPage>('/api/items?limit=100');
        return new Set(body.items.map((i) => i.feedId)).size >= first.feeds.length ? body : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(page.items.length).toBeGreaterThanOrEqual(20);
    for (const item of page.items) {
      expect(item.url).toMatch(new RegExp(`^${origin.url}/`));
      expect(item.title.length).toBeGreaterThan(0);
    }

    const { body: after } = await getJson<FeedsResponse>('/api/feeds');
    expect(after.feeds.filter((f) => f.status === 'ok')).toHaveLength(after.feeds.length);
  });

  it('answers an unchanged item list with 304', async () => {
    const first = await fetch(`${reader.url}/api/items?limit=5`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${reader.url}/api/items?limit=5`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });

  it('runs the cron handler on demand and reports the run', async () => {
    const res = await fetch(`${reader.url}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
    expect(res.status).toBe(200);
    const { body } = await getJson<{ lastRefreshAt: string | null }>('/healthz');
    expect(body.lastRefreshAt).not.toBeNull();
  });

  it('refuses admin calls without the token; with it, the refresh goes through the local queue to the consumer', async () => {
    const refused = await fetch(`${reader.url}/api/refresh`, { method: 'POST' });
    expect(refused.status).toBe(401);
    const { queued, feeds } = await refreshAndWait(
      reader.url,
      { Authorization: `Bearer ${ADMIN}` },
      { force: true, timeoutMs: 30_000 },
    );
    expect(queued.queued).toBe(feeds.length);
    expect(queued.queued).toBeGreaterThanOrEqual(5);
    expect(feeds.every((f) => f.status === 'ok')).toBe(true);
  });
});
