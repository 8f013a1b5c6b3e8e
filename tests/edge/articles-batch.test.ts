// POST /api/articles/batch: many articles in one round trip, each with its own outcome (ready with its page as
// /read/:id renders it, 404 gone, 404 not_found, 502 upstream with Retry-After, 429 past the per-client limit for
// pages by address, deferred past the plan's extractions), and a 400 for bad input.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ARTICLE_BATCH_MAX,
  type ApiError,
  type ArticleBatchResponse,
  type ArticleBatchResult,
} from '../../contract/http.ts';
import { ARTICLE_BATCH_PATH } from '../../contract/paths.ts';
import { callApp } from '../support/call-app.ts';
import { hits, scriptResponses } from '../support/origin-control.ts';
import { itemFor, siteUrl, subscribeSampleFeeds } from '../support/sample-site.ts';

const run = crypto.randomUUID();

function postBatch(body: unknown, headers: Record<string, string> = {}, bindings: Env = env): Promise<Response> {
  return callApp(
    ARTICLE_BATCH_PATH,
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    bindings,
  );
}

async function batch(
  body: { ids?: string[]; urls?: string[] },
  headers: Record<string, string> = {},
  bindings: Env = env,
): Promise<ArticleBatchResult[]> {
  const res = await postBatch(body, headers, bindings);
  expect(res.status).toBe(200);
  return ((await res.json()) as ArticleBatchResponse).results;
}

const byKey = (results: ArticleBatchResult[], key: string) => results.find((r) => ('id' in r ? r.id : r.url) === key)!;

beforeAll(async () => {
  await subscribeSampleFeeds(['feeds/harbour-courier.rss', 'feeds/workshop.rdf', 'feeds/night-shift.atom']);
});

describe('POST /api/articles/batch', () => {
  it('answers every article on its own: ready with its page, gone, unknown, failing with Retry-After, by address', async () => {
    const ready = await itemFor('harbour/2026/11/rowing-club-centenary.html');
    const stored = await itemFor('harbour/2026/11/fishing-coop-shop.html');
    const gone = await itemFor('harbour/2026/11/storm-clean-up.html');
    const failing = await itemFor('nightshift/2026/11/queues-and-cron.html');
    expect((await callApp(`/api/articles/${stored.id}`)).status).toBe(200);
    await env.DB.prepare('DELETE FROM articles WHERE item_id IN (?, ?)').bind(gone.id, failing.id).run();
    await scriptResponses(gone.url!, [{ status: 410 }]);
    await scriptResponses(failing.url!, [{ status: 503, headers: { 'Retry-After': '120' } }]);
    const page = siteUrl('workshop/2026/10/22/hand-tools-small-flat.html');
    const storedHits = (await hits(stored.url!)).count;

    const results = await batch(
      { ids: [ready.id, stored.id, gone.id, failing.id, '0123456789abcdef'], urls: [page] },
      { 'CF-Connecting-IP': '192.0.2.10', 'X-Run': run },
    );
    expect(results).toHaveLength(6);

    for (const item of [ready, stored]) {
      const result = byKey(results, item.id);
      if (!result.ok) throw new Error(`expected ${item.id} ready, got ${JSON.stringify(result)}`);
      // The same article and the same page as the single calls answer.
      const single = await callApp(`/api/articles/${item.id}`);
      expect(result.article).toEqual(await single.json());
      expect(result.etag).toBe(single.headers.get('etag'));
      expect(result.pageHtml).toBe(await (await callApp(`/read/${item.id}`)).text());
    }
    // A stored, current article is read, not fetched again.
    expect((await hits(stored.url!)).count).toBe(storedHits);

    expect(byKey(results, gone.id)).toMatchObject({ status: 404, error: { code: 'gone' }, retryAfterSeconds: null });
    expect(byKey(results, failing.id)).toMatchObject({
      status: 502,
      error: { code: 'upstream' },
      retryAfterSeconds: 120,
    });
    expect(byKey(results, '0123456789abcdef')).toMatchObject({ status: 404, error: { code: 'not_found' } });

    const byAddress = byKey(results, page);
    if (!byAddress.ok) throw new Error(`expected the page ready, got ${JSON.stringify(byAddress)}`);
    expect(byAddress.pageHtml).toBe(await (await callApp(`/read/${byAddress.article.id}`)).text());
    // Kept under its own id: asked for by id next time, it is the same article.
    expect(byKey(await batch({ ids: [byAddress.article.id] }), byAddress.article.id)).toMatchObject({
      status: 200,
      article: byAddress.article,
    });
  });

  it('the pages carry the security headers every page has, for the copy kept offline', async () => {
    const item = await itemFor('harbour/2026/11/rowing-club-centenary.html');
    const res = await postBatch({ ids: [item.id] });
    const page = await callApp(`/read/${item.id}`);
    expect(res.headers.get('content-security-policy')).toBe(page.headers.get('content-security-policy'));
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers one result to a line, still one JSON document, so a client can keep each as its line arrives', async () => {
    const items = await Promise.all(
      ['harbour/2026/11/rowing-club-centenary.html', 'harbour/2026/11/fishing-coop-shop.html'].map(itemFor),
    );
    const res = await postBatch({ ids: [...items.map((item) => item.id), '0123456789abcdef'] });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    const lines = text.split('\n');
    expect(lines[0]).toBe('{"results":[');
    expect(lines.at(-1)).toBe(']}');
    const results = (JSON.parse(text) as ArticleBatchResponse).results;
    expect(lines.slice(1, -1).map((line) => JSON.parse(line.replace(/,$/, '')))).toEqual(results);
    expect(results.map((r) => ('id' in r ? r.id : r.url))).toEqual([...items.map((i) => i.id), '0123456789abcdef']);
    expect(res.headers.get('server-timing')).toMatch(/\barticles;dur=[\d.]+/);
  });

  it('counts each page by address against the per-client limit: past it, 429 with Retry-After and no fetch', async () => {
    // The local limiter counts in windows aligned to the minute: start well inside one.
    const into = Date.now() % 60_000;
    if (into > 45_000) await new Promise((r) => setTimeout(r, 60_000 - into + 200));
    const client = { 'CF-Connecting-IP': `198.51.100.${Math.floor(Math.random() * 250)}`, 'X-Run': run };
    const bad = Array.from({ length: ARTICLE_BATCH_MAX }, (_, i) => `not-an-address-${i}`);
    const first = await batch({ urls: bad }, client);
    expect(first.map((r) => r.status)).toEqual(Array(ARTICLE_BATCH_MAX).fill(400));

    const page = `${siteUrl('workshop/2026/11/03/dovetails-finally-fit.html')}?batch=${run}`;
    const [limited] = await batch({ urls: [page] }, client);
    expect(limited).toMatchObject({ status: 429, error: { code: 'rate_limited' }, retryAfterSeconds: 60 });
    expect((await hits(page)).count).toBe(0);
    // Items' articles are not limited, in the same batch or another client's.
    const item = await itemFor('harbour/2026/11/rowing-club-centenary.html');
    expect((await batch({ ids: [item.id] }, client))[0]!.status).toBe(200);
  });

  it('on Free, extracts one article per request and defers the rest with a Retry-After; asked again, they come', async () => {
    const free = { ...env, PLAN: 'free' } as Env;
    const items = await Promise.all(
      ['workshop/2026/11/09/soil-moisture-sensor.html', 'harbour/2026/11/library-hours.html'].map(itemFor),
    );
    await env.DB.prepare(`DELETE FROM articles WHERE item_id IN (?, ?)`).bind(items[0]!.id, items[1]!.id).run();
    const first = await batch({ ids: items.map((i) => i.id) }, {}, free);
    expect(first.map((r) => r.status).sort()).toEqual([200, 503]);
    const deferred = first.find((r) => r.status === 503)!;
    expect(deferred).toMatchObject({ error: { code: 'deferred' }, retryAfterSeconds: 1 });
    const again = await batch({ ids: ['id' in deferred ? deferred.id : ''] }, {}, free);
    expect(again[0]!.status).toBe(200);
  });

  it.each([
    ['not JSON', 'not json'],
    ['an array', []],
    ['ids not a list', { ids: 'abc' }],
    ['a number among the ids', { ids: ['abc', 3] }],
    ['an empty id', { ids: [''] }],
    ['a url far too long', { urls: [`https://example.com/${'a'.repeat(3000)}`] }],
    [
      'too many articles',
      { ids: Array.from({ length: ARTICLE_BATCH_MAX }, (_, i) => `id-${i}`), urls: ['https://example.com/'] },
    ],
  ])('answers %s with 400 bad_request', async (_name, body) => {
    const res = await callApp(ARTICLE_BATCH_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiError).error.code).toBe('bad_request');
  });
});
