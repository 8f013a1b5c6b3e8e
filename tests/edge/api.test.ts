// The HTTP contract of the API (DESIGN.md), through the Hono app in workerd with real D1.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type {
  ApiError,
  FeedCreated,
  FeedsResponse,
  ItemDetail,
  ItemsPage,
  OpmlImportResult,
} from '../../contract/http.ts';
import { SEEDED_KEY } from '../../worker-edge/jobs/seed-default-feeds.ts';
import { setMeta } from '../../worker-edge/store/meta-store.ts';
import { adminHeaders as admin, callApp as call } from '../support/call-app.ts';
import { resetDatabase } from '../support/reset-database.ts';
import { queueDriver } from '../support/queue-driver.ts';
import { resetKeepFreshClock } from '../../worker-edge/middleware/keep-fresh.ts';

const origin = env.FIXTURE_ORIGIN;
const subscribe = (url: string) =>
  call('/api/feeds', { method: 'POST', headers: admin, body: JSON.stringify({ url }) });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ApiError;
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
}

beforeEach(async () => {
  await resetDatabase();
  // These tests manage their own subscriptions: no default seeding, no background refresh.
  await setMeta(env.DB, SEEDED_KEY, '1');
  await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
});

describe('admin auth', () => {
  it('refuses a missing or wrong token with 401', async () => {
    await expectError(await call('/api/refresh', { method: 'POST' }), 401, 'unauthorized');
    await expectError(
      await call('/api/refresh', { method: 'POST', headers: { Authorization: 'Bearer nope' } }),
      401,
      'unauthorized',
    );
    await expectError(
      await call('/api/feeds/1', { method: 'DELETE', headers: { Authorization: 'Basic abc' } }),
      401,
      'unauthorized',
    );
  });

  it('refuses admin calls when no token is configured, rather than leaving them open', async () => {
    const noToken = { ...env, ADMIN_TOKEN: undefined } as Env;
    await expectError(await call('/api/refresh', { method: 'POST', headers: admin }, noToken), 403, 'forbidden');
    await expectError(
      await call('/api/feeds', { method: 'POST', headers: admin, body: '{}' }, noToken),
      403,
      'forbidden',
    );
  });

  it('lets reads through without a token', async () => {
    expect((await call('/api/feeds')).status).toBe(200);
    expect((await call('/api/items')).status).toBe(200);
  });
});

describe('POST /api/feeds', () => {
  it('subscribes to a feed URL, fetching its items at once, and is idempotent', async () => {
    const url = `${origin}/local/refresh/three-items.rss`;
    const res = await subscribe(url);
    expect(res.status).toBe(201);
    const { feed } = (await res.json()) as FeedCreated;
    expect(feed).toMatchObject({ url, title: 'Three Items', status: 'ok', itemCount: 3, lastError: null });
    const again = await subscribe(url);
    expect(again.status).toBe(200);
    expect(((await again.json()) as FeedCreated).feed.id).toBe(feed.id);
  });

  it('follows a site page to its feed (autodiscovery)', async () => {
    const res = await subscribe(`${origin}/local/refresh/site-with-feed.html`);
    expect(res.status).toBe(201);
    expect(((await res.json()) as FeedCreated).feed.url).toBe(`${origin}/local/refresh/three-items.rss`);
  });

  it.each([
    ['not JSON', '{url:', 400, 'bad_request'],
    ['not an object', '["x"]', 400, 'bad_request'],
    ['no url', '{}', 400, 'invalid_url'],
    ['not a URL', '{"url":"not a url"}', 400, 'invalid_url'],
    ['not http', '{"url":"ftp://example.com/feed"}', 400, 'invalid_url'],
    ['javascript', '{"url":"javascript:alert(1)"}', 400, 'invalid_url'],
  ])('answers %s with a 4xx', async (_name, body, status, code) => {
    await expectError(await call('/api/feeds', { method: 'POST', headers: admin, body }), status, code);
  });

  it('refuses private addresses unless ALLOW_PRIVATE_NETWORK is set', async () => {
    const closed = { ...env, ALLOW_PRIVATE_NETWORK: '' } as Env;
    for (const url of [
      `${origin}/local/refresh/three-items.rss`,
      'http://169.254.169.254/latest/meta-data',
      'http://localhost/feed',
      'http://[::1]/',
    ]) {
      await expectError(
        await call('/api/feeds', { method: 'POST', headers: admin, body: JSON.stringify({ url }) }, closed),
        400,
        'blocked_address',
      );
    }
    expect(((await (await call('/api/feeds')).json()) as FeedsResponse).feeds).toHaveLength(0);
  });

  it('explains pages without feeds, broken feeds and failing origins, and subscribes to none of them', async () => {
    await expectError(await subscribe(`${origin}/local/refresh/not-a-feed.html`), 422, 'not_a_feed');
    await expectError(await subscribe(`${origin}/local/refresh/malformed.xml`), 422, 'not_a_feed');
    await expectError(await subscribe(`${origin}/local/refresh/missing.xml`), 502, 'upstream');
    expect(((await (await call('/api/feeds')).json()) as FeedsResponse).feeds).toHaveLength(0);
  });

  it('refuses a body that is too large', async () => {
    const body = JSON.stringify({ url: `${origin}/x`, pad: 'x'.repeat(100_000) });
    await expectError(await call('/api/feeds', { method: 'POST', headers: admin, body }), 413, 'payload_too_large');
  });
});

describe('DELETE /api/feeds/:id', () => {
  it('unsubscribes and removes the items; unknown ids are 404', async () => {
    const { feed } = (await (await subscribe(`${origin}/local/refresh/no-guids.atom`)).json()) as FeedCreated;
    expect((await call(`/api/feeds/${feed.id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expect(((await (await call(`/api/items?feed=${feed.id}`)).json()) as ItemsPage).items).toHaveLength(0);
    await expectError(await call(`/api/feeds/${feed.id}`, { method: 'DELETE', headers: admin }), 404, 'not_found');
    await expectError(await call('/api/feeds/abc', { method: 'DELETE', headers: admin }), 404, 'not_found');
  });
});

describe('OPML', () => {
  it('starts refreshing what it imported at once (one fan-out message), and sends nothing when nothing was new', async () => {
    const queue = queueDriver();
    const opml = `<opml version="2.0"><body><outline type="rss" text="Three" xmlUrl="${origin}/local/refresh/three-items.rss?import=1"/></body></opml>`;
    expect(
      (
        (await (
          await call('/api/opml', { method: 'POST', headers: admin, body: opml }, queue.env)
        ).json()) as OpmlImportResult
      ).added,
    ).toBe(1);
    expect(queue.sent.map((m) => (m.body as { kind: string }).kind)).toEqual(['fan-out']);
    await call('/api/opml', { method: 'POST', headers: admin, body: opml }, queue.env);
    expect(queue.sent).toHaveLength(1);
  });

  it('seeding the default sources on a page view starts their refresh, however recent the last fan-out', async () => {
    await env.DB.prepare('DELETE FROM meta WHERE key = ?').bind(SEEDED_KEY).run();
    resetKeepFreshClock();
    const queue = queueDriver();
    expect((await call('/api/feeds', {}, queue.env)).status).toBe(200);
    expect(((await (await call('/api/feeds', {}, queue.env)).json()) as FeedsResponse).feeds.length).toBeGreaterThan(0);
    expect(queue.sent.map((m) => (m.body as { kind: string }).kind)).toEqual(['fan-out']);
  });

  it('imports subscriptions, counting new, existing and invalid ones, and exports them again', async () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
      <outline text="Tech"><outline type="rss" text="Three" xmlUrl="${origin}/local/refresh/three-items.rss"/>
      <outline type="rss" text="No guids &amp; more" xmlUrl="${origin}/local/refresh/no-guids.atom"/></outline>
      <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/></body></opml>`;
    const res = await call('/api/opml', {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/x-opml' },
      body: opml,
    });
    expect(res.status).toBe(200);
    expect((await res.json()) as OpmlImportResult).toEqual({ added: 2, existing: 0, invalid: 1, filed: 0 });
    const again = (await (
      await call('/api/opml', { method: 'POST', headers: admin, body: opml })
    ).json()) as OpmlImportResult;
    expect(again).toEqual({ added: 0, existing: 2, invalid: 1, filed: 0 });

    const exported = await call('/api/opml');
    expect(exported.headers.get('content-type')).toMatch(/opml/);
    const text = await exported.text();
    expect(text).toContain(`xmlUrl="${origin}/local/refresh/three-items.rss"`);
    expect(text).toContain('No guids &amp; more');
  });

  it('accepts a form upload and refuses what is not OPML', async () => {
    const form = new FormData();
    form.set(
      'opml',
      new File([`<opml version="2.0"><body><outline xmlUrl="${origin}/a.xml"/></body></opml>`], 'subs.opml'),
    );
    const res = await call('/api/opml', {
      method: 'POST',
      headers: { Authorization: admin.Authorization },
      body: form,
    });
    expect(((await res.json()) as OpmlImportResult).added).toBe(1);
    await expectError(
      await call('/api/opml', { method: 'POST', headers: admin, body: '<html><body>hi</body></html>' }),
      400,
      'bad_request',
    );
  });
});

describe('GET /api/items', () => {
  beforeEach(async () => {
    await subscribe(`${origin}/local/refresh/thirty-items.rss`);
    await subscribe(`${origin}/local/refresh/three-items.rss`);
  });

  it('pages through every item once, newest first', async () => {
    const seen: string[] = [];
    const dates: string[] = [];
    let next: string | null = null;
    do {
      const res = await call(`/api/items?limit=7${next ? `&before=${next}` : ''}`);
      const page = (await res.json()) as ItemsPage;
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((i) => i.id));
      dates.push(...page.items.map((i) => i.publishedAt!));
      next = page.next;
    } while (next);
    expect(seen).toHaveLength(33);
    expect(new Set(seen).size).toBe(33);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('filters by feed and serves one item with its content', async () => {
    const { feeds } = (await (await call('/api/feeds')).json()) as FeedsResponse;
    const three = feeds.find((f) => f.title === 'Three Items')!;
    const page = (await (await call(`/api/items?feed=${three.id}`)).json()) as ItemsPage;
    expect(page.items.map((i) => i.title)).toEqual(['First', 'Second', 'Third']);
    const item = (await (await call(`/api/items/${page.items[0]!.id}`)).json()) as ItemDetail;
    expect(item).toMatchObject({ title: 'First', url: 'https://three.example/first', feedId: three.id });
    expect(item.contentHtml).toContain('The first item.');
  });

  it('answers 304 to a matching If-None-Match and a new ETag when items change', async () => {
    const first = await call('/api/items?limit=5');
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await call('/api/items?limit=5', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await subscribe(`${origin}/local/refresh/no-guids.atom`);
    const changed = await call('/api/items?limit=5', { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it.each([
    ['/api/items?limit=0', 400, 'bad_request'],
    ['/api/items?limit=abc', 400, 'bad_request'],
    ['/api/items?before=garbage', 400, 'bad_request'],
    ['/api/items?feed=-1', 404, 'not_found'],
    ['/api/items/doesnotexist', 404, 'not_found'],
    ['/api/nothing-here', 404, 'not_found'],
  ])('%s is a clear 4xx', async (path, status, code) => {
    await expectError(await call(path), status, code);
  });
});
