import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FeedStatus } from '../../contract/http.ts';
import { app } from '../../worker-edge/app.ts';
import { addFeeds } from '../../worker-edge/store/feeds-store.ts';
import { callApp } from '../support/call-app.ts';
import { resetDatabase } from '../support/reset-database.ts';

interface Health {
  ok: boolean;
  status: string;
  summary: string;
  feeds: Record<FeedStatus, number>;
  newestItemAgeSeconds: number | null;
  lastRefreshAt: string | null;
}

describe('health', () => {
  it('answers', async () => {
    const res = await app.request('/healthz', {}, env);
    expect(res.status).toBe(200);
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'feeds'").all();
    expect(tables.results).toHaveLength(1);
    expect(env.FIXTURE_ORIGIN).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

/** Subscribes one feed per status given, in order, as if each had been fetched one second after the previous one. */
async function feedsIn(statuses: FeedStatus[]): Promise<void> {
  if (statuses.length === 0) return;
  const now = Date.now();
  await addFeeds(
    env.DB,
    statuses.map((_, i) => ({ url: `https://feed-${i}.example/rss` })),
    now,
  );
  await env.DB.batch(
    statuses.map((status, i) =>
      env.DB.prepare('UPDATE feeds SET status = ?, last_error = ?, last_fetched_at = ? WHERE url = ?').bind(
        status,
        status === 'error' || status === 'gone' ? `DNS lookup failed for feed-${i}.example` : null,
        status === 'pending' ? null : now + i * 1000,
        `https://feed-${i}.example/rss`,
      ),
    ),
  );
}

const repeat = (status: FeedStatus, n: number): FeedStatus[] => Array.from({ length: n }, () => status);

describe('/healthz verdict', () => {
  beforeEach(resetDatabase);

  it.each([
    { name: 'no feeds', feeds: [], status: 'ok', summary: 'No sources subscribed yet.' },
    {
      name: 'only pending feeds',
      feeds: repeat('pending', 3),
      status: 'starting',
      summary: 'Starting: 3 sources waiting for their first refresh.',
    },
    {
      name: 'every feed failing (no internet)',
      feeds: repeat('error', 12),
      status: 'degraded',
      summary: 'Degraded: 0 of 12 sources ok, 12 failing (latest: DNS lookup failed for feed-11.example).',
    },
    {
      name: 'more failing than delivering',
      feeds: [...repeat('ok', 2), ...repeat('error', 3)],
      status: 'degraded',
      summary: 'Degraded: 2 of 5 sources ok, 3 failing (latest: DNS lookup failed for feed-4.example).',
    },
    {
      name: 'failing on the first tries, the rest still pending',
      feeds: [...repeat('error', 2), ...repeat('pending', 10)],
      status: 'degraded',
      summary: 'Degraded: 0 of 12 sources ok, 2 failing (latest: DNS lookup failed for feed-1.example), 10 waiting.',
    },
    {
      name: 'half failing',
      feeds: [...repeat('ok', 2), ...repeat('error', 2)],
      status: 'ok',
      summary: '2 of 4 sources ok, 2 failing (latest: DNS lookup failed for feed-3.example).',
    },
    {
      name: 'all delivering, one pending',
      feeds: [...repeat('ok', 3), 'pending'],
      status: 'ok',
      summary: '3 of 4 sources ok, 1 waiting.',
    },
    {
      name: 'gone feeds beside one that delivers',
      feeds: ['ok', ...repeat('gone', 5)],
      status: 'ok',
      summary: '1 of 6 sources ok, 5 gone.',
    },
    {
      name: 'only gone feeds',
      feeds: repeat('gone', 3),
      status: 'degraded',
      summary: 'Degraded: 0 of 3 sources ok, 3 gone.',
    },
  ] satisfies { name: string; feeds: FeedStatus[]; status: string; summary: string }[])(
    '$name: $status',
    async ({ feeds, status, summary }) => {
      await feedsIn(feeds);
      const res = await callApp('/healthz');
      // Degraded is still 200: the instance serves what it has; the body says feeds are not flowing.
      expect(res.status).toBe(200);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      const body = (await res.json()) as Health;
      expect(body).toMatchObject({ ok: status === 'ok', status, summary });
      for (const s of ['ok', 'pending', 'error', 'gone'] as const) {
        expect(body.feeds[s]).toBe(feeds.filter((f) => f === s).length);
      }
      expect(body).toHaveProperty('newestItemAgeSeconds', null);
      expect(body).toHaveProperty('lastRefreshAt', null);
    },
  );

  it('reports how old the newest item is', async () => {
    await feedsIn(['ok']);
    const feed = await env.DB.prepare('SELECT id FROM feeds').first<{ id: number }>();
    await env.DB.prepare(
      `INSERT INTO items (id, feed_id, url, title, sort_at, content_hash, first_seen_at, updated_at)
       VALUES ('item-1', ?1, 'https://feed-0.example/1', 'One', ?2, 'hash', ?2, ?2)`,
    )
      .bind(feed!.id, Date.now() - 90_000)
      .run();
    const body = (await (await callApp('/healthz')).json()) as Health;
    expect(body.newestItemAgeSeconds).toBeGreaterThanOrEqual(89);
    expect(body.newestItemAgeSeconds).toBeLessThan(120);
  });

  it('answers 503 when the database does not answer', async () => {
    const brokenDb = {
      prepare: () => {
        throw new Error('D1_ERROR: database unavailable');
      },
    } as unknown as D1Database;
    const res = await callApp('/healthz', {}, { ...env, DB: brokenDb });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, status: 'down' });
  });
});
