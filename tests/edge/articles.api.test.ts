// GET /api/articles/:id and GET /api/articles?url= as clients use them: stored articles reused, ETag / 304, and
// every way a page can fail answered with a clear code (gone, upstream with Retry-After), never a 500.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, ArticleView } from '../../contract/http.ts';
import { callApp, publicOnly } from '../support/call-app.ts';
import { hits, scriptResponses } from '../support/origin-control.ts';
import { itemFor, siteUrl, subscribeSampleFeeds } from '../support/sample-site.ts';

async function expectError(res: Response, status: number, code: string): Promise<ApiError> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ApiError;
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  return body;
}

/** As if the failure's hold had run out (what the site asked, a minute at most): a reader is let through again. */
const holdRunOut = (id: string) =>
  env.DB.prepare('UPDATE article_failures SET held_until = 0 WHERE id = ?').bind(id).run();

const articleUrl = (pageUrl: string) => `/api/articles?url=${encodeURIComponent(pageUrl)}`;

beforeAll(async () => {
  await subscribeSampleFeeds(['feeds/harbour-courier.rss', 'feeds/workshop.rdf', 'feeds/night-shift.atom']);
});

describe('GET /api/articles/:id', () => {
  it('extracts once, then serves the stored article without asking the origin again', async () => {
    const item = await itemFor('harbour/2026/11/rowing-club-centenary.html');
    const first = await callApp(`/api/articles/${item.id}`);
    expect(first.status).toBe(200);
    const asked = (await hits(item.url!)).count;
    expect(asked).toBeGreaterThan(0);

    const second = await callApp(`/api/articles/${item.id}`);
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await second.json()).toEqual(await first.json());
    expect((await hits(item.url!)).count).toBe(asked);
  });

  it('answers a matching If-None-Match with a bodiless 304 and says how long to cache', async () => {
    const item = await itemFor('harbour/2026/11/fishing-coop-shop.html');
    const first = await callApp(`/api/articles/${item.id}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const again = await callApp(`/api/articles/${item.id}`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe(first.headers.get('cache-control'));
  });

  it('extracts again when the item changes, and keeps serving the old copy while the page fails', async () => {
    const item = await itemFor('workshop/2026/11/09/soil-moisture-sensor.html');
    const first = await callApp(`/api/articles/${item.id}`);
    const before = (await hits(item.url!)).count;

    await env.DB.prepare("UPDATE items SET content_hash = 'changed-once' WHERE id = ?").bind(item.id).run();
    await scriptResponses(item.url!, [{ status: 503 }]);
    const duringOutage = await callApp(`/api/articles/${item.id}`);
    expect(duringOutage.status).toBe(200);
    expect(duringOutage.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await hits(item.url!)).count).toBe(before + 1);

    // Within the minute after the failure, the old copy again, without asking the failing site.
    const soonAfter = await callApp(`/api/articles/${item.id}`);
    expect(soonAfter.status).toBe(200);
    expect(soonAfter.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await hits(item.url!)).count).toBe(before + 1);

    await holdRunOut(item.id);
    const after = await callApp(`/api/articles/${item.id}`);
    expect(after.status).toBe(200);
    expect((await hits(item.url!)).count).toBe(before + 2);
    expect(((await after.json()) as ArticleView).source).toBe('page');
  });

  it.each([404, 410])('answers an origin %i with 404 gone, and remembers it', async (status) => {
    const item = await itemFor(
      status === 404 ? 'harbour/2026/11/storm-clean-up.html' : 'harbour/2026/11/library-hours.html',
    );
    await scriptResponses(item.url!, [{ status }]);
    await expectError(await callApp(`/api/articles/${item.id}`), 404, 'gone');
    const asked = (await hits(item.url!)).count;
    await expectError(await callApp(`/api/articles/${item.id}`), 404, 'gone');
    expect((await hits(item.url!)).count).toBe(asked);
  });

  it.each([
    [500, {}, '60'],
    [503, { 'Retry-After': '120' }, '120'],
    [429, { 'Retry-After': '30' }, '30'],
  ])(
    'answers an origin %i with 502 upstream and Retry-After, the same for a minute, then reads the page once it recovers',
    async (status, headers, retryAfter) => {
      const item = await itemFor('nightshift/2026/11/queues-and-cron.html');
      await env.DB.prepare('DELETE FROM articles WHERE item_id = ?').bind(item.id).run();
      await scriptResponses(item.url!, [{ status, headers }]);
      const res = await callApp(`/api/articles/${item.id}`);
      await expectError(res, 502, 'upstream');
      expect(res.headers.get('retry-after')).toBe(retryAfter);
      const asked = (await hits(item.url!)).count;

      const again = await callApp(`/api/articles/${item.id}`);
      await expectError(again, 502, 'upstream');
      expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect((await hits(item.url!)).count).toBe(asked);

      await holdRunOut(item.id);
      const recovered = await callApp(`/api/articles/${item.id}`);
      expect(recovered.status).toBe(200);
    },
  );

  it('answers 404 not_found for an id no item has', async () => {
    await expectError(await callApp('/api/articles/0123456789abcdef'), 404, 'not_found');
    await expectError(await callApp('/api/articles/%3Cscript%3E'), 404, 'not_found');
  });
});

describe('GET /api/articles?url=', () => {
  it('reads any public page, and reuses what it stored', async () => {
    const url = siteUrl('notes/hedgehog-census/');
    const res = await callApp(articleUrl(url));
    expect(res.status).toBe(200);
    const view = (await res.json()) as ArticleView;
    expect(view).toMatchObject({ url, source: 'page' });
    expect(view.title.length).toBeGreaterThan(10);
    expect(view.wordCount).toBeGreaterThan(200);
    const asked = (await hits(url)).count;
    const again = await callApp(articleUrl(url));
    expect(((await again.json()) as ArticleView).id).toBe(view.id);
    expect((await hits(url)).count).toBe(asked);
  });

  it('refuses a page whose readable text is too large to store in D1 with 422 not_readable, every time', async () => {
    const url = siteUrl('notes/oversized-page/');
    const paragraph = `<p>${'A long sentence about the harbour, the tides and the town, written out again. '.repeat(20)}</p>`;
    const html = `<!doctype html><html><head><title>Everything</title></head><body><article><h1>Everything</h1>${paragraph.repeat(1300)}</article></body></html>`;
    expect(html.length).toBeGreaterThan(2_000_000);
    const page = { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
    await scriptResponses(url, [page, page]);
    await expectError(await callApp(articleUrl(url)), 422, 'not_readable');
    await expectError(await callApp(articleUrl(url)), 422, 'not_readable');
  });

  it('follows redirects and reports where the page ended up', async () => {
    const res = await callApp(articleUrl(`${siteUrl('notes/moon-libration')}`));
    expect(res.status).toBe(200);
    expect(((await res.json()) as ArticleView).url).toBe(siteUrl('notes/moon-libration/'));
  });

  it.each([
    ['no url', '/api/articles?url=', 400, 'invalid_url'],
    ['not a URL', articleUrl('not a url'), 400, 'invalid_url'],
    ['not http', articleUrl('ftp://example.com/page'), 400, 'invalid_url'],
    ['script', articleUrl('javascript:alert(1)'), 400, 'invalid_url'],
    ['a feed, not a page', articleUrl(siteUrl('feeds/harbour-courier.rss')), 422, 'not_readable'],
    ['a missing page', articleUrl(siteUrl('harbour/2026/11/no-such-story.html')), 404, 'gone'],
  ])('answers %s with a clear 4xx', async (_name, path, status, code) => {
    await expectError(await callApp(path), status, code);
  });

  it('refuses private and metadata addresses unless ALLOW_PRIVATE_NETWORK is set', async () => {
    for (const url of [
      siteUrl('notes/hedgehog-census/'),
      'http://169.254.169.254/latest/meta-data',
      'http://localhost/',
      'http://[::1]/',
    ]) {
      await expectError(await callApp(articleUrl(url), {}, publicOnly), 400, 'blocked_address');
    }
  });

  it.each([
    ['a reset connection', 'reset=1'],
    ['a body cut short', 'truncate=200'],
    ['a server error', 'status=500'],
  ])('answers %s with 502 upstream and Retry-After', async (_name, fault) => {
    const res = await callApp(articleUrl(`${siteUrl('workshop/2026/10/22/hand-tools-small-flat.html')}?${fault}`));
    await expectError(res, 502, 'upstream');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers a page that does not arrive in time with 502 upstream and Retry-After', async () => {
    const res = await callApp(articleUrl(`${siteUrl('workshop/2026/11/03/dovetails-finally-fit.html')}?delayMs=9500`));
    await expectError(res, 502, 'upstream');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
