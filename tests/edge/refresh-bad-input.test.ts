// Bad input, all in one refresh run: each broken feed is marked erroring with a readable reason, in bounded time
// and memory, and every good feed in the same run refreshes normally.
import { env } from 'cloudflare:test';
import { beforeEach, expect, it } from 'vitest';
import { feedRefreshSettings } from '../../worker-edge/config.ts';
import { refreshFeeds } from '../../worker-edge/jobs/refresh-feeds.ts';
import { PLAN_BUDGETS } from '../../worker-edge/platform/plan-budget.ts';
import { addFeeds, getFeedByUrl } from '../../worker-edge/store/feeds-store.ts';
import { scriptResponses } from '../support/origin-control.ts';
import { firstDelivery } from '../support/refresh-one.ts';
import { resetDatabase } from '../support/reset-database.ts';

const origin = env.FIXTURE_ORIGIN;
const unusedPort = async () => ((await (await fetch(`${origin}/__unused-port`)).json()) as { port: number }).port;

beforeEach(resetDatabase);

it('marks only the broken feeds, each with a reason a person can read, and refreshes the rest', async () => {
  const emptyBody = `${origin}/local/refresh/three-items.rss?case=empty`;
  await scriptResponses(emptyBody, [
    { status: 200, body: '' },
    { status: 200, body: '' },
  ]);
  const port = new URL(origin).port;
  const broken: Record<string, RegExp> = {
    [`${origin}/local/refresh/malformed.xml`]: /malformed|xml|line/i,
    [`${origin}/local/refresh/not-a-feed.html`]: /html|not a feed/i,
    [emptyBody]: /empty/i,
    [`${origin}/local/refresh/three-items.rss?size=${50 * 1024 * 1024}`]: /feed is larger than 4 MB/i,
    [`${origin}/local/refresh/three-items.rss?dripMs=200&dripBytes=1`]: /within|time/i,
    [`${origin}/local/refresh/three-items.rss?loop=1`]: /redirect/i,
    'http://no-such-host.invalid/feed.xml': /dns|look/i,
    [`https://127.0.0.1:${port}/local/refresh/three-items.rss`]: /tls|secure|certificate|https/i,
    [`http://127.0.0.1:${await unusedPort()}/feed.xml`]: /connect/i,
    [`${origin}/shared/hostile-xml/xmlbomb.xml`]: /.{10,}/,
    [`${origin}/shared/hostile-xml/quadratic.xml`]: /.{10,}/,
    [`${origin}/shared/hostile-xml/external.xml`]: /.{10,}/,
    [`${origin}/local/refresh/three-items.rss?status=500`]: /500/,
    [`${origin}/local/refresh/three-items.rss?reset=1`]: /connect|connection/i,
    [`${origin}/local/refresh/three-items.rss?truncate=100`]: /cut|truncat|incomplete|connection/i,
  };
  const good = [
    `${origin}/local/refresh/three-items.rss?case=good`,
    `${origin}/local/refresh/no-guids.atom`,
    `${origin}/site/feeds/cafe-europa.rss`,
    `${origin}/site/feeds/slow-kitchen.json`,
    `${origin}/site/feeds/workshop.rdf`,
  ];
  const now = Date.now();
  await addFeeds(
    env.DB,
    [...Object.keys(broken), ...good].map((url) => ({ url })),
    now,
  );

  const started = Date.now();
  const ids = (await env.DB.prepare('SELECT id FROM feeds').all<{ id: number }>()).results.map((r) => r.id);
  // One consumer invocation, as the queue delivers a batch.
  const { outcomes } = await refreshFeeds(env.DB, firstDelivery(ids), {
    ...feedRefreshSettings(env),
    timeoutMs: 2_000,
    now,
    budget: PLAN_BUDGETS.paid,
  });
  // Slow bodies and dead hosts are cut off by the per-feed deadline, six at a time.
  expect(Date.now() - started).toBeLessThan(15_000);
  const kinds = [...outcomes.values()].map((o) => o.kind);
  expect(kinds.filter((k) => k === 'refreshed')).toHaveLength(good.length);
  expect(kinds.filter((k) => k === 'failed')).toHaveLength(Object.keys(broken).length);

  for (const [url, reason] of Object.entries(broken)) {
    const feed = (await getFeedByUrl(env.DB, url))!;
    expect(feed.status, url).toBe('error');
    expect(feed.last_error, url).toMatch(reason);
    expect(feed.last_error, url).not.toMatch(/undefined|\[object|at \w+ \(/);
  }
  for (const url of good) {
    const feed = (await getFeedByUrl(env.DB, url))!;
    expect(feed.status, url).toBe('ok');
  }
  const stored = await env.DB.prepare('SELECT COUNT(*) AS n, MAX(LENGTH(content_html)) AS longest FROM items').first<{
    n: number;
    longest: number;
  }>();
  expect(stored!.n).toBeGreaterThan(10);
  // Nothing from an entity bomb was expanded into storage.
  expect(stored!.longest).toBeLessThan(200_000);
});
