// What an anonymous caller can make the edge store, fetch or repeat, in workerd with real D1, the real Rate Limiting
// bindings of wrangler.toml and the fixture origin counting what it is asked: pages read by address stay under
// their byte budget as each is written, identical requests share one origin fetch, a failing site is not asked
// again on every view, failures are capped, and every route that fetches elsewhere answers 429 past its limit.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiError, ArticleView } from '../../contract/http.ts';
import { PAGE_BUDGET } from '../../worker-edge/articles/page-budget.ts';
import { clientKey } from '../../worker-edge/middleware/rate-limit.ts';
import { FAILURES_KEPT } from '../../worker-edge/store/article-failures-store.ts';
import { adminHeaders, callApp } from '../support/call-app.ts';
import { hits, scriptResponses } from '../support/origin-control.ts';
import { resetDatabase } from '../support/reset-database.ts';

beforeEach(resetDatabase);

const run = crypto.randomUUID().slice(0, 8);
const generatedPage = (n: number, query = '') => `${env.FIXTURE_ORIGIN}/generated/page/${n}.html?run=${run}${query}`;
const articleUrl = (pageUrl: string) => `/api/articles?url=${encodeURIComponent(pageUrl)}`;
const MiB = 1024 * 1024;

async function pagesStored(): Promise<{ ids: string[]; bytes: number }> {
  const { results } = await env.DB.prepare(
    'SELECT id, stored_bytes FROM articles WHERE item_id IS NULL ORDER BY extracted_at',
  ).all<{ id: string; stored_bytes: number }>();
  return { ids: results.map((r) => r.id), bytes: results.reduce((sum, r) => sum + r.stored_bytes, 0) };
}

function insertPage(id: string, storedBytes: number, extractedAt: number) {
  return env.DB.prepare(
    `INSERT INTO articles (id, item_id, url, version, title, content_html, word_count, images, source, etag, extracted_at, stored_bytes)
     VALUES (?, NULL, ?, '1:page', ?, '<p>text</p>', 1, '[]', 'page', 'etag', ?, ?)`,
  ).bind(id, `https://pages.example/${id}`, `Title ${id}`, extractedAt, storedBytes);
}

describe('pages read by their address', () => {
  it('record what they cost, pictures included', async () => {
    const res = await callApp(articleUrl(generatedPage(1, '&bytes=60000&pictures=5')));
    expect(res.status).toBe(200);
    const view = (await res.json()) as ArticleView;
    const stored = await pagesStored();
    expect(stored.ids).toEqual([view.id]);
    expect(stored.bytes).toBeGreaterThan(new TextEncoder().encode(view.contentHtml).byteLength);
    expect(
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM image_refs WHERE article_id = ?')
        .bind(view.id)
        .first<{ n: number }>())!.n,
    ).toBe(5);
  });

  it('stay under the byte budget as each one is written: the least recently extracted go, with their pictures', async () => {
    const now = Date.now();
    // Sixteen old pages, 15.9 MiB: the budget (16 MiB) is nearly full.
    await env.DB.batch([
      ...Array.from({ length: 16 }, (_, i) =>
        insertPage(`old-${String(i).padStart(2, '0')}`, i === 15 ? 0.9 * MiB : MiB, now - (20 - i) * 60_000),
      ),
      env.DB.prepare("INSERT INTO image_refs (url, article_id) VALUES ('https://img.example/old.png', 'old-00')"),
    ]);
    const before = await pagesStored();
    expect(before.bytes).toBe(15.9 * MiB);

    const res = await callApp(articleUrl(generatedPage(2, '&bytes=400000&pictures=3')));
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as ArticleView;

    const after = await pagesStored();
    expect(after.bytes).toBeLessThanOrEqual(PAGE_BUDGET.bytes);
    expect(after.ids).toContain(id);
    // Only the oldest went, and only as many as the new page needed.
    expect(after.ids[0]).toBe('old-01');
    expect(after.ids).toHaveLength(16);
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM image_refs WHERE url = 'https://img.example/old.png'").first<{
        n: number;
      }>())!.n,
    ).toBe(0);
  });

  it("leave items' articles alone, however full the budget", async () => {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO feeds (id, url, created_at) VALUES (1, 'https://feed.example/rss', ?)").bind(now),
      env.DB.prepare(
        "INSERT INTO items (id, feed_id, title, sort_at, content_hash, first_seen_at, updated_at) VALUES ('item-1', 1, 'Item', 0, 'h', 0, 0)",
      ),
      env.DB.prepare(
        `INSERT INTO articles (id, item_id, url, version, title, content_html, word_count, images, source, etag, extracted_at, stored_bytes)
         VALUES ('item-1', 'item-1', 'https://feed.example/1', '1:h', 'Item', '<p>x</p>', 1, '[]', 'page', 'e', 0, ?)`,
      ).bind(PAGE_BUDGET.bytes * 2),
      insertPage('old-page', PAGE_BUDGET.bytes - 1000, now - 60_000),
    ]);
    expect((await callApp(articleUrl(generatedPage(3)))).status).toBe(200);
    const remaining = (await env.DB.prepare('SELECT id FROM articles ORDER BY id').all<{ id: string }>()).results.map(
      (r) => r.id,
    );
    expect(remaining).toContain('item-1');
    expect(remaining).not.toContain('old-page');
  });
});

describe('asking again', () => {
  it('eight identical requests at once make one origin fetch and get the same article', async () => {
    const url = generatedPage(4, '&bytes=100000');
    const answers = await Promise.all(Array.from({ length: 8 }, () => callApp(articleUrl(url))));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((r) => r.headers.get('etag'))).size).toBe(1);
    expect((await hits(url)).count).toBe(1);
  });

  it('a site that has just failed is not asked again on the next view: the same failure, with when to retry', async () => {
    const url = generatedPage(5);
    await scriptResponses(url, [{ status: 503 }, { status: 503 }]);
    const first = await callApp(articleUrl(url));
    expect(first.status).toBe(502);
    expect((await hits(url)).count).toBe(1);

    const second = await callApp(articleUrl(url));
    expect(second.status).toBe(502);
    const body = (await second.json()) as ApiError;
    expect(body.error.code).toBe('upstream');
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(second.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await hits(url)).count).toBe(1);
  });

  it('failures are capped as they are written: the oldest go', async () => {
    const rows = JSON.stringify(Array.from({ length: FAILURES_KEPT }, (_, i) => [`old-failure-${i}`, i]));
    await env.DB.prepare(
      `INSERT INTO article_failures (id, version, kind, message, retry_at, failed_at)
       SELECT j.value ->> '$[0]', '1:page', 'gone', 'Removed.', 0, j.value ->> '$[1]' FROM json_each(?) j`,
    )
      .bind(rows)
      .run();
    const url = generatedPage(6);
    await scriptResponses(url, [{ status: 404 }]);
    expect((await callApp(articleUrl(url))).status).toBe(404);
    const { n } = (await env.DB.prepare('SELECT COUNT(*) AS n FROM article_failures').first<{ n: number }>())!;
    expect(n).toBe(FAILURES_KEPT);
    expect(await env.DB.prepare("SELECT id FROM article_failures WHERE id = 'old-failure-0'").first()).toBeNull();
  });
});

/** The local limiter counts in windows aligned to the minute: start well inside one, so none ends mid-test. */
async function insideOneWindow(): Promise<void> {
  const into = Date.now() % 60_000;
  if (into > 45_000) await new Promise((r) => setTimeout(r, 60_000 - into + 200));
}

async function expectLimited(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe('60');
  const body = (await res.json()) as ApiError;
  expect(body.error.code).toBe('rate_limited');
  expect(body.error.message).toMatch(/try again in a minute/);
}

describe('rate limits, per client', () => {
  it("reading pages by address: 30 a minute, then 429 with Retry-After; other clients and items' articles unaffected", async () => {
    await insideOneWindow();
    const client = { 'CF-Connecting-IP': `192.0.2.${Math.floor(Math.random() * 250)}`, 'X-Run': run };
    // Bad addresses cost the limiter a count all the same (it runs first), and nothing else.
    const statuses = [];
    for (let i = 0; i < 30; i++)
      statuses.push((await callApp('/api/articles?url=not-an-address', { headers: client })).status);
    expect(statuses).toEqual(Array(30).fill(400));
    await expectLimited(await callApp(articleUrl(generatedPage(7)), { headers: client }));
    expect((await hits(generatedPage(7))).count).toBe(0);

    expect(
      (await callApp(articleUrl(generatedPage(7)), { headers: { 'CF-Connecting-IP': '198.51.100.77' } })).status,
    ).toBe(200);
    expect((await callApp('/api/articles/no-such-item', { headers: client })).status).toBe(404);
  });

  it('subscribing: 10 a minute, counted before the token is checked', async () => {
    await insideOneWindow();
    const client = { 'CF-Connecting-IP': `2001:db8:${Math.floor(Math.random() * 9999)}::1` };
    for (let i = 0; i < 10; i++) {
      expect(
        (
          await callApp('/api/feeds', {
            method: 'POST',
            headers: { ...client, Authorization: 'Bearer wrong' },
            body: '{}',
          })
        ).status,
      ).toBe(401);
    }
    // The same /64, another address in it: the same client.
    const sameNetwork = { 'CF-Connecting-IP': client['CF-Connecting-IP'].replace('::1', '::2') };
    await expectLimited(
      await callApp('/api/feeds', {
        method: 'POST',
        headers: { ...adminHeaders, ...sameNetwork },
        body: JSON.stringify({ url: generatedPage(8) }),
      }),
    );
    await expectLimited(
      await callApp('/api/opml', { method: 'POST', headers: { ...adminHeaders, ...client }, body: '<opml/>' }),
    );
    // Reading the list is not subscribing.
    expect((await callApp('/api/feeds', { headers: client })).status).toBe(200);
  });

  it('pictures: 1,000 a minute', async () => {
    await insideOneWindow();
    const client = { 'CF-Connecting-IP': `203.0.113.${Math.floor(Math.random() * 250)}` };
    const picture = `/img?u=${encodeURIComponent(`${env.FIXTURE_ORIGIN}/generated/picture/unreferenced-${run}.png`)}`;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const { status } = await callApp(picture, { headers: client });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect([...statuses.keys()]).toEqual([404]);
    await expectLimited(await callApp(picture, { headers: client }));
  });

  it('counts an IPv6 client as its /64 and an IPv4 client as its address', () => {
    expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002::')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('::ffff:192.0.2.2')).toBe('192.0.2.2');
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('')).toBe('unknown');
  });
});
