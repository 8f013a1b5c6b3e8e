// The digest `periodicsync` fetches, and the cron that fills it: the newest articles extracted ahead of time (a
// bounded number per run), served from D1 in one response, and a no-change sync that costs a bodiless 304.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiError, Digest, FeedsResponse, ItemsPage } from '../../contract/http.ts';
import { extractionsPerInvocation, PLAN_BUDGETS } from '../../worker-edge/platform/plan-budget.ts';
import { callApp } from '../support/call-app.ts';
import { runCron } from '../support/run-cron.ts';
import { hits, scriptResponses } from '../support/origin-control.ts';

const EXTRACTIONS_PER_RUN = extractionsPerInvocation(PLAN_BUDGETS.paid);

async function countArticles(): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM articles').first<{ n: number }>())!.n;
}

async function newestItems(limit: number) {
  return ((await (await callApp(`/api/items?limit=${limit}`)).json()) as ItemsPage).items;
}

async function pageHits(urls: Array<string | null>): Promise<number[]> {
  return Promise.all(urls.map(async (url) => (url ? (await hits(url)).count : 0)));
}

/** What a 304 costs on the wire in HTTP/1.1: status line, headers and the blank line; no body. */
function headerBytes(res: Response): number {
  let bytes = `HTTP/1.1 ${res.status} ${res.statusText || 'Not Modified'}\r\n`.length + 2;
  res.headers.forEach((value, name) => {
    bytes += `${name}: ${value}\r\n`.length;
  });
  return bytes;
}

beforeEach(async () => {
  // Every test starts from an empty reader: the cron seeds the six sample feeds again.
  await env.DB.batch(
    ['feeds', 'meta', 'articles', 'article_failures'].map((table) => env.DB.prepare(`DELETE FROM ${table}`)),
  );
});

describe('the cron prefetches articles', () => {
  it('extracts the newest articles, at most ten per run, and then nothing more', async () => {
    await runCron();
    const items = await newestItems(20);
    expect(items.length).toBe(20);
    expect(await countArticles()).toBe(EXTRACTIONS_PER_RUN);
    const stored = await env.DB.prepare('SELECT item_id FROM articles').all<{ item_id: string }>();
    expect(new Set(stored.results.map((r) => r.item_id))).toEqual(
      new Set(items.slice(0, EXTRACTIONS_PER_RUN).map((i) => i.id)),
    );

    await runCron();
    expect(await countArticles()).toBe(2 * EXTRACTIONS_PER_RUN);

    const before = await pageHits(items.map((i) => i.url));
    await runCron();
    expect(await countArticles()).toBe(2 * EXTRACTIONS_PER_RUN);
    expect(await pageHits(items.map((i) => i.url))).toEqual(before);
  });

  it('leaves a page that failed alone until its retry time, without holding up the others', async () => {
    await runCron();
    const items = await newestItems(20);
    const failing = items[EXTRACTIONS_PER_RUN]!;
    await scriptResponses(failing.url!, [{ status: 500 }]);
    await runCron();
    expect(await countArticles()).toBe(2 * EXTRACTIONS_PER_RUN - 1);
    const asked = (await hits(failing.url!)).count;
    await runCron();
    expect((await hits(failing.url!)).count).toBe(asked);
    const failure = await env.DB.prepare('SELECT kind, retry_at FROM article_failures WHERE id = ?')
      .bind(failing.id)
      .first<{ kind: string; retry_at: number }>();
    expect(failure?.kind).toBe('upstream');
    expect(failure!.retry_at).toBeGreaterThan(Date.now() + 10 * 60 * 1000);
  });
});

describe('GET /api/digest', () => {
  it('serves the newest items with their articles inline, from D1', async () => {
    await runCron();
    const items = await newestItems(10);
    const before = await pageHits(items.map((i) => i.url));
    const res = await callApp('/api/digest?limit=10');
    expect(res.status).toBe(200);
    const digest = (await res.json()) as Digest;
    expect(digest.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
    for (const [index, entry] of digest.items.entries()) {
      expect(entry).toMatchObject(items[index]!);
      expect(entry.article?.id).toBe(entry.id);
      expect(entry.article!.contentHtml.length).toBeGreaterThan(100);
      const single = await callApp(`/api/articles/${entry.id}`);
      expect(await single.json()).toEqual(entry.article);
    }
    expect(await pageHits(items.map((i) => i.url))).toEqual(before);
  });

  it('gives items not extracted yet a null article, and fills them in once the cron has run', async () => {
    await runCron();
    const first = (await (await callApp('/api/digest?limit=15')).json()) as Digest;
    expect(first.items.filter((i) => i.article === null)).toHaveLength(5);
    await runCron();
    const second = (await (await callApp('/api/digest?limit=15')).json()) as Digest;
    expect(second.items.filter((i) => i.article === null)).toHaveLength(0);
  });

  it('answers an unchanged digest with a 304 of a few hundred bytes, and a changed one in full', async () => {
    await runCron();
    const full = await callApp('/api/digest?limit=10');
    const etag = full.headers.get('etag')!;
    const fullBytes = headerBytes(full) + (await full.arrayBuffer()).byteLength;
    expect(etag).toBeTruthy();
    expect(full.headers.get('cache-control')).toBe('no-cache');

    const unchanged = await callApp('/api/digest?limit=10', { headers: { 'If-None-Match': etag } });
    expect(unchanged.status).toBe(304);
    expect((await unchanged.arrayBuffer()).byteLength).toBe(0);
    expect(unchanged.headers.get('etag')).toBe(etag);
    const notModifiedBytes = headerBytes(unchanged);
    expect(notModifiedBytes).toBeLessThan(256);
    expect(fullBytes / notModifiedBytes).toBeGreaterThan(100);

    // A cron run that only extracts articles beyond the first ten changes nothing in this digest.
    await runCron();
    expect((await callApp('/api/digest?limit=10', { headers: { 'If-None-Match': etag } })).status).toBe(304);

    const newest = (await newestItems(1))[0]!;
    await env.DB.prepare("UPDATE items SET title = 'A corrected headline' WHERE id = ?").bind(newest.id).run();
    const changed = await callApp('/api/digest?limit=10', { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as Digest).items[0]!.title).toBe('A corrected headline');
  });

  it('changes its ETag when an article in it changes', async () => {
    await runCron();
    const etag = (await callApp('/api/digest?limit=5')).headers.get('etag')!;
    const newest = (await newestItems(1))[0]!;
    await env.DB.prepare("UPDATE articles SET etag = '\"x\"', content_html = '<p>Updated.</p>' WHERE item_id = ?")
      .bind(newest.id)
      .run();
    const res = await callApp('/api/digest?limit=5', { headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Digest).items[0]!.article!.contentHtml).toBe('<p>Updated.</p>');
  });

  it('names the sources (title and folder, what Latest offline shows), and only a change in those changes its ETag', async () => {
    await runCron();
    const full = await callApp('/api/digest?limit=10');
    const etag = full.headers.get('etag')!;
    const digest = (await full.json()) as Digest;
    const feeds = ((await (await callApp('/api/feeds')).json()) as FeedsResponse).feeds;
    expect(digest.feeds).toEqual(feeds.map(({ id, title, folder }) => ({ id, title, folder })));
    for (const item of digest.items) expect(digest.feeds.map((f) => f.id)).toContain(item.feedId);

    // A source being fetched again (its times and counts) is not news for the list.
    await env.DB.prepare('UPDATE feeds SET last_fetched_at = last_fetched_at + 1000').run();
    expect((await callApp('/api/digest?limit=10', { headers: { 'If-None-Match': etag } })).status).toBe(304);

    const source = digest.items[0]!.feedId;
    await env.DB.prepare("UPDATE feeds SET folder = 'Morning' WHERE id = ?").bind(source).run();
    const moved = await callApp('/api/digest?limit=10', { headers: { 'If-None-Match': etag } });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as Digest).feeds.find((f) => f.id === source)?.folder).toBe('Morning');
  });

  it.each(['limit=0', 'limit=abc', 'limit=-3'])('answers %s with 400', async (query) => {
    const res = await callApp(`/api/digest?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiError).error.code).toBe('bad_request');
  });

  it('caps the limit at fifty items', async () => {
    await runCron();
    const digest = (await (await callApp('/api/digest?limit=1000')).json()) as Digest;
    const total = (await env.DB.prepare('SELECT COUNT(*) AS n FROM items').first<{ n: number }>())!.n;
    expect(digest.items.length).toBe(Math.min(50, total));
  });
});
