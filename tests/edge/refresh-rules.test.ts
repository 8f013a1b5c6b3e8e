// The feed engine's refresh rules, in workerd with real D1 against the fixture origin.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { enqueueDueFeeds } from '../../worker-edge/jobs/enqueue-due-feeds.ts';
import { refreshFeeds } from '../../worker-edge/jobs/refresh-feeds.ts';
import { PLAN_BUDGETS } from '../../worker-edge/platform/plan-budget.ts';
import { addFeeds, getFeed, getFeedByUrl, resetFeed, takeDueFeeds } from '../../worker-edge/store/feeds-store.ts';
import { hits, scriptResponses } from '../support/origin-control.ts';
import { queueDriver } from '../support/queue-driver.ts';
import { firstDelivery, refreshFeed, refreshSettings } from '../support/refresh-one.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const origin = env.FIXTURE_ORIGIN;
let clock = Date.UTC(2026, 10, 21, 12);
const settings = () => refreshSettings(env);
/** The cron's path: the due feeds fanned out on the queue, then consumed, at the test's clock. */
async function refreshDue(now = clock) {
  const driver = queueDriver();
  await enqueueDueFeeds(driver.env, now);
  await driver.drain(100, { now });
}

async function subscribeRow(url: string): Promise<number> {
  await addFeeds(env.DB, [{ url }], clock);
  return (await getFeedByUrl(env.DB, url))!.id;
}

const itemCount = async (feedId: number) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM items WHERE feed_id = ?').bind(feedId).first<{ n: number }>())!.n;

// Each test gets its own paths on the origin, so scripted responses and hit counts never collide.
let unique = 0;
const fresh = (path: string) => `${origin}${path}${path.includes('?') ? '&' : '?'}t=${++unique}`;

beforeEach(() => {
  clock += 48 * HOUR;
});

describe('a first fetch', () => {
  it('stores the items and schedules by the posting rate: three items a week is once a day', async () => {
    const id = await subscribeRow(fresh('/local/refresh/three-items.rss'));
    const outcome = await refreshFeed(env.DB, id, clock, settings());
    expect(outcome).toMatchObject({ kind: 'refreshed', added: 3, updated: 0 });
    const feed = (await getFeed(env.DB, id))!;
    expect(feed).toMatchObject({
      status: 'ok',
      title: 'Three Items',
      site_url: 'https://three.example/',
      error_count: 0,
    });
    expect(feed.next_fetch_at - clock).toBe(24 * HOUR);
    expect(await itemCount(id)).toBe(3);
  });

  it('a busy feed comes back sooner, but never sooner than its ttl asks', async () => {
    const at = Date.UTC(2026, 10, 20, 12);
    const busy = fresh('/local/refresh/thirty-items.rss');
    const busyId = await subscribeRow(busy);
    await refreshFeed(env.DB, busyId, at, settings());
    // 30 items in the last week: a week / 30.
    expect((await getFeed(env.DB, busyId))!.next_fetch_at - at).toBe(Math.round((7 * 24 * HOUR) / 30));

    const withTtl = fresh('/local/refresh/thirty-items.rss');
    const original = await (await fetch(`${origin}/local/refresh/thirty-items.rss`)).text();
    await scriptResponses(withTtl, [
      {
        status: 200,
        body: original.replace('<description>d</description>', '<description>d</description><ttl>600</ttl>'),
      },
    ]);
    const ttlId = await subscribeRow(withTtl);
    await refreshFeed(env.DB, ttlId, at, settings());
    expect((await getFeed(env.DB, ttlId))!.next_fetch_at - at).toBe(600 * MIN);
  });
});

describe('conditional GET', () => {
  it('sends the validators back and treats 304 as success without touching items', async () => {
    const url = fresh('/local/refresh/three-items.rss?etag=1');
    const id = await subscribeRow(url);
    await refreshFeed(env.DB, id, clock, settings());
    expect((await getFeed(env.DB, id))!.etag).toBeTruthy();

    clock += HOUR;
    expect(await refreshFeed(env.DB, id, clock, settings())).toEqual({ kind: 'not-modified' });
    const seen = await hits(url);
    expect(seen.count).toBe(2);
    expect(seen.lastHeaders['if-none-match']).toBe((await getFeed(env.DB, id))!.etag);
    expect((await getFeed(env.DB, id))!).toMatchObject({ status: 'ok', last_fetched_at: clock });
    expect(await itemCount(id)).toBe(3);
  });
});

describe('errors', () => {
  it('back off exponentially, keep a readable error, and never give up', async () => {
    const id = await subscribeRow(fresh('/local/refresh/three-items.rss?status=500'));
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const outcome = await refreshFeed(env.DB, id, clock, settings());
      expect(outcome.kind).toBe('failed');
      const feed = (await getFeed(env.DB, id))!;
      delays.push(feed.next_fetch_at - clock);
      clock = feed.next_fetch_at;
    }
    expect(delays.slice(0, 4)).toEqual([15 * MIN, 30 * MIN, HOUR, 2 * HOUR]);
    expect(delays.at(-1)).toBe(24 * HOUR);
    const feed = (await getFeed(env.DB, id))!;
    expect(feed).toMatchObject({ status: 'error', error_count: 12 });
    expect(feed.last_error).toMatch(/500/);
    expect((await takeDueFeeds(env.DB, clock, 100, false)).map((f) => f.id)).toContain(id);
  });

  it('recovers on the next good fetch', async () => {
    const url = fresh('/local/refresh/three-items.rss');
    await scriptResponses(url, [{ status: 502 }]);
    const id = await subscribeRow(url);
    expect((await refreshFeed(env.DB, id, clock, settings())).kind).toBe('failed');
    clock += HOUR;
    expect((await refreshFeed(env.DB, id, clock, settings())).kind).toBe('refreshed');
    expect((await getFeed(env.DB, id))!).toMatchObject({ status: 'ok', error_count: 0, last_error: null });
  });

  it('410 mutes the feed until it is subscribed to again', async () => {
    const id = await subscribeRow(fresh('/local/refresh/three-items.rss?status=410'));
    const outcome = await refreshFeed(env.DB, id, clock, settings());
    expect(outcome).toMatchObject({ kind: 'failed', gone: true });
    expect((await getFeed(env.DB, id))!.status).toBe('gone');
    expect((await takeDueFeeds(env.DB, clock + 365 * 24 * HOUR, 100, true)).map((f) => f.id)).not.toContain(id);
    await resetFeed(env.DB, id, clock);
    expect((await takeDueFeeds(env.DB, clock, 100, false)).map((f) => f.id)).toContain(id);
  });

  it('a malformed feed, an HTML page and a missing file fail alone; the others refresh', async () => {
    const broken = [
      fresh('/local/refresh/malformed.xml'),
      fresh('/local/refresh/not-a-feed.html'),
      fresh('/local/refresh/does-not-exist.xml'),
    ];
    const good = [fresh('/local/refresh/three-items.rss'), fresh('/local/refresh/no-guids.atom')];
    await env.DB.prepare('UPDATE feeds SET next_fetch_at = ?')
      .bind(clock + 365 * 24 * HOUR)
      .run();
    for (const url of [...broken, ...good]) await subscribeRow(url);
    await refreshDue();
    for (const url of broken) {
      const feed = (await getFeedByUrl(env.DB, url))!;
      expect(feed.status).toBe('error');
      expect(feed.last_error!.length).toBeGreaterThan(10);
    }
    for (const url of good) expect((await getFeedByUrl(env.DB, url))!.status).toBe('ok');
  });
});

describe('Retry-After', () => {
  it('a 429 pauses every feed of that host: later in the same run, and in every run after, until the time it asked for', async () => {
    await env.DB.prepare('UPDATE feeds SET next_fetch_at = ?')
      .bind(clock + 365 * 24 * HOUR)
      .run();
    const asking = fresh('/local/refresh/three-items.rss?status=429&retryAfter=7200');
    const sibling = fresh('/local/refresh/no-guids.atom');
    const askingId = await subscribeRow(asking);
    const siblingId = await subscribeRow(sibling);
    // The asking feed goes first (due earlier); one at a time to the host, so the sibling meets the pause in this run.
    await env.DB.prepare('UPDATE feeds SET next_fetch_at = ? WHERE url = ?')
      .bind(clock - 1, asking)
      .run();
    const run = { ...settings(), now: clock, budget: PLAN_BUDGETS.paid, perHostConcurrency: 1 };
    const { outcomes } = await refreshFeeds(env.DB, firstDelivery([askingId, siblingId]), run);
    const askingFeed = (await getFeedByUrl(env.DB, asking))!;
    expect(askingFeed.status).toBe('error');
    expect(askingFeed.last_error).toMatch(/429/);
    expect(askingFeed.next_fetch_at).toBeGreaterThanOrEqual(clock + 2 * HOUR);
    expect(outcomes.get(siblingId)).toMatchObject({ kind: 'deferred' });
    expect((await hits(sibling)).count).toBe(0);
    expect((await getFeed(env.DB, siblingId))!.next_fetch_at).toBeGreaterThanOrEqual(clock + 2 * HOUR);

    // Another consumer invocation (another isolate, nothing shared but D1) leaves the host alone too.
    await refreshFeeds(env.DB, firstDelivery([siblingId]), { ...run, perHostConcurrency: 2 });
    expect((await hits(sibling)).count).toBe(0);

    clock += 2 * HOUR + MIN;
    await refreshDue();
    expect((await hits(sibling)).count).toBe(1);
  });
});

describe('dedup', () => {
  it('an item seen again is not duplicated; a changed item is updated', async () => {
    const url = fresh('/local/refresh/three-items.rss');
    const id = await subscribeRow(url);
    await refreshFeed(env.DB, id, clock, settings());
    const before = await env.DB.prepare('SELECT id FROM items WHERE feed_id = ? ORDER BY id')
      .bind(id)
      .all<{ id: string }>();
    clock += HOUR;
    // The same bytes again are a 304 in effect: nothing is read or parsed.
    expect(await refreshFeed(env.DB, id, clock, settings())).toEqual({ kind: 'not-modified' });

    const original = await (await fetch(`${origin}/local/refresh/three-items.rss`)).text();
    await scriptResponses(url, [{ status: 200, body: `${original}\n<!-- the same items, other bytes -->` }]);
    clock += HOUR;
    expect(await refreshFeed(env.DB, id, clock, settings())).toMatchObject({ kind: 'refreshed', added: 0, updated: 0 });

    await scriptResponses(url, [
      { status: 200, body: original.replace('<title>First</title>', '<title>First, corrected</title>') },
    ]);
    clock += HOUR;
    expect(await refreshFeed(env.DB, id, clock, settings())).toMatchObject({ added: 0, updated: 1 });
    const after = await env.DB.prepare('SELECT id, title FROM items WHERE feed_id = ? ORDER BY id')
      .bind(id)
      .all<{ id: string; title: string }>();
    expect(after.results.map((r) => r.id)).toEqual(before.results.map((r) => r.id));
    expect(after.results.map((r) => r.title)).toContain('First, corrected');
  });

  it('guids that change on every fetch do not duplicate items that keep their links', async () => {
    const url = fresh('/local/refresh/three-items.rss');
    const original = await (await fetch(`${origin}/local/refresh/three-items.rss`)).text();
    await scriptResponses(url, [
      { status: 200, body: original.replaceAll('three-', 'session-a-') },
      { status: 200, body: original.replaceAll('three-', 'session-b-') },
    ]);
    const id = await subscribeRow(url);
    await refreshFeed(env.DB, id, clock, settings());
    clock += HOUR;
    await refreshFeed(env.DB, id, clock, settings());
    expect(await itemCount(id)).toBe(3);
  });

  it('items without guids are recognised by their links', async () => {
    const url = fresh('/local/refresh/no-guids.atom');
    const original = await (await fetch(`${origin}/local/refresh/no-guids.atom`)).text();
    await scriptResponses(url, [
      { status: 200, body: original },
      { status: 200, body: `${original}\n<!-- again -->` },
    ]);
    const id = await subscribeRow(url);
    await refreshFeed(env.DB, id, clock, settings());
    clock += HOUR;
    expect(await refreshFeed(env.DB, id, clock, settings())).toMatchObject({ kind: 'refreshed', added: 0 });
    expect(await itemCount(id)).toBe(2);
  });
});

describe('redirects', () => {
  it('a permanent redirect moves the subscription; a temporary one does not', async () => {
    const target = '/local/refresh/three-items.rss';
    const moved = fresh(`${target}?redirectTo=${encodeURIComponent(`${target}?moved=${unique}`)}&redirectStatus=301`);
    const movedId = await subscribeRow(moved);
    await refreshFeed(env.DB, movedId, clock, settings());
    expect((await getFeed(env.DB, movedId))!.url).toBe(`${origin}${target}?moved=${unique - 1}`);

    const temporary = fresh(
      `${target}?redirectTo=${encodeURIComponent(`${target}?temp=${unique}`)}&redirectStatus=302`,
    );
    const tempId = await subscribeRow(temporary);
    await refreshFeed(env.DB, tempId, clock, settings());
    expect((await getFeed(env.DB, tempId))!.url).toBe(temporary);
    expect((await getFeed(env.DB, tempId))!.status).toBe('ok');
  });

  it('a permanent redirect to something that is not a feed keeps the subscription where it was', async () => {
    const target = `/local/refresh/three-items.rss?status=404&gone=${unique}`;
    const moved = fresh(`/local/refresh/three-items.rss?redirectTo=${encodeURIComponent(target)}&redirectStatus=301`);
    const id = await subscribeRow(moved);
    await refreshFeed(env.DB, id, clock, settings());
    expect(await getFeed(env.DB, id)).toMatchObject({ url: moved, status: 'error' });
  });
});

describe('overlapping runs', () => {
  it('a fan-out takes its due feeds, so a fan-out starting meanwhile does not enqueue them again', async () => {
    // Only this test's feeds are due (an earlier test's 429 feed would pause the host for the others).
    await env.DB.prepare('UPDATE feeds SET next_fetch_at = ?')
      .bind(clock + 365 * 24 * HOUR)
      .run();
    const urls = [fresh('/local/refresh/three-items.rss'), fresh('/local/refresh/three-items.rss')];
    for (const url of urls) await subscribeRow(url);
    const ids = await Promise.all(urls.map(async (url) => (await getFeedByUrl(env.DB, url))!.id));
    const first = (await takeDueFeeds(env.DB, clock, 1000, false)).map((f) => f.id);
    expect(first).toEqual(expect.arrayContaining(ids));
    expect((await takeDueFeeds(env.DB, clock, 1000, false)).map((f) => f.id)).not.toEqual(
      expect.arrayContaining([ids[0]]),
    );

    // Two fan-outs at once (the cron and a page view's lazy refresh): each feed is enqueued, and fetched, once.
    clock += 48 * HOUR;
    const [a, b] = [queueDriver(), queueDriver()];
    await Promise.all([enqueueDueFeeds(a.env, clock), enqueueDueFeeds(b.env, clock)]);
    const enqueued = [...a.sent, ...b.sent]
      .flatMap((m) => (m.body as { feedIds?: number[] }).feedIds ?? [])
      .filter((id) => ids.includes(id));
    expect(enqueued.sort()).toEqual([...ids].sort());
    await Promise.all([a.drain(100, { now: clock }), b.drain(100, { now: clock })]);
    for (const url of urls) expect((await hits(url)).count).toBe(1);
  });
});

describe('retention', () => {
  it('keeps the newest items of a feed, even when the document lists more', async () => {
    const id = await subscribeRow(fresh('/local/refresh/thirty-items.rss'));
    await refreshFeed(env.DB, id, clock, { ...settings(), retention: 10 });
    expect(await itemCount(id)).toBe(10);
    const newestInDocument = await env.DB.prepare('SELECT MIN(sort_at) AS oldest FROM items WHERE feed_id = ?')
      .bind(id)
      .first<{ oldest: number }>();
    await env.DB.prepare(
      `INSERT INTO items (id, feed_id, title, sort_at, published_at, content_hash, first_seen_at, updated_at)
       VALUES ('00000000000000aa', ?, 'Old one', 1, 1, 'x', 1, 1)`,
    )
      .bind(id)
      .run();
    const newer = fresh('/local/refresh/thirty-items.rss');
    await env.DB.prepare('UPDATE feeds SET url = ?, body_hash = NULL WHERE id = ?').bind(newer, id).run();
    clock += HOUR;
    await refreshFeed(env.DB, id, clock, { ...settings(), retention: 10 });
    expect(await itemCount(id)).toBe(10);
    expect(await env.DB.prepare("SELECT id FROM items WHERE id = '00000000000000aa'").first()).toBeNull();
    expect(
      (await env.DB.prepare('SELECT MIN(sort_at) AS oldest FROM items WHERE feed_id = ?')
        .bind(id)
        .first<{ oldest: number }>())!.oldest,
    ).toBe(newestInDocument!.oldest);
  });
});
