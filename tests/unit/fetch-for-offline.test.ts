// The batch fetch for reading offline, against a scripted edge: one request for a whole batch (ARTICLE_BATCH_MAX to
// a request), each article judged by the same retry policy as a single response, a ready one's page kept (with the
// edge's page headers) as its line of the answer arrives, and its JSON written after, with the pictures, from the answer in hand; and the pictures of
// several articles in one pool within 6 at once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ARTICLE_BATCH_MAX,
  type ArticleBatchRequest,
  type ArticleBatchResult,
  type ArticleView,
} from '../../contract/http.ts';
import { ARTICLE_BATCH_PATH } from '../../contract/paths.ts';
import { fetchArticleTexts, fetchPictures } from '../../sw/fetch-for-offline.ts';
import { memoryCaches, ORIGIN } from './support/worker-globals.ts';

const NOW = Date.parse('2026-03-01T08:00:00Z');
const CSP = "default-src 'self'; script-src 'self'";

const view = (id: string, images: string[] = []): ArticleView => ({
  id,
  url: `https://example.com/${id}`,
  title: `Title ${id}`,
  byline: null,
  siteName: null,
  publishedAt: null,
  contentHtml: `<p>${id}</p>`,
  wordCount: 1,
  images,
  source: 'page',
});
const ready = (id: string, images: string[] = []): ArticleBatchResult => ({
  id,
  ok: true,
  status: 200,
  article: view(id, images),
  etag: `"${id}"`,
  pageHtml: `<!doctype html><h1>${id}</h1>`,
});
const failed = (
  key: { id: string } | { url: string },
  status: number,
  retryAfterSeconds: number | null,
  message = 'Failed.',
): ArticleBatchResult => ({
  ...key,
  ok: false,
  status,
  error: { code: 'upstream', message },
  retryAfterSeconds,
});

/** The edge as a function of the batch asked; records every request. */
function edge(answer: (asked: ArticleBatchRequest) => Response | Promise<Response>) {
  const asked: ArticleBatchRequest[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    expect(url).toBe(ARTICLE_BATCH_PATH);
    expect(init.method).toBe('POST');
    const body = JSON.parse(String(init.body)) as ArticleBatchRequest;
    asked.push(body);
    return answer(body);
  });
  return asked;
}
const json = (value: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), { headers: { 'Content-Type': 'application/json', ...headers } });

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Every article asked for kept in Saved. */
const inSaved = (requests: Array<{ key: string }>) => new Map(requests.map(({ key }) => [key, 'saved']));

describe('fetchArticleTexts', () => {
  it('asks for the whole batch in one request and judges each article on its own', async () => {
    const asked = edge(() =>
      json(
        {
          results: [
            ready('a', ['/img?u=1']),
            failed({ id: 'gone' }, 404, null, 'The publisher removed this page.'),
            failed({ id: 'failing' }, 502, 120),
            failed({ id: 'deferred' }, 503, 1),
            failed({ url: 'https://example.com/shared' }, 429, 60),
          ],
        },
        { 'Content-Security-Policy': CSP },
      ),
    );
    const requests = [
      { key: 'a', id: 'a' },
      { key: 'gone', id: 'gone' },
      { key: 'failing', id: 'failing' },
      { key: 'deferred', id: 'deferred' },
      { key: 'page:1', pageUrl: 'https://example.com/shared' },
      { key: 'unanswered', id: 'unanswered' },
    ];
    const outcomes = await fetchArticleTexts(requests, inSaved(requests), NOW);
    expect(asked).toEqual([
      { ids: ['a', 'gone', 'failing', 'deferred', 'unanswered'], urls: ['https://example.com/shared'] },
    ]);
    expect(outcomes.get('a')).toMatchObject({
      kind: 'ready',
      articleId: 'a',
      title: 'Title a',
      images: ['/api/articles/a', '/img?u=1'],
    });
    expect(outcomes.get('gone')).toEqual({ kind: 'fail', error: 'The publisher removed this page.' });
    expect(outcomes.get('failing')).toMatchObject({ kind: 'retry', retryAfterMs: 120_000 });
    expect(outcomes.get('deferred')).toMatchObject({ kind: 'retry', retryAfterMs: 1_000 });
    expect(outcomes.get('page:1')).toMatchObject({ kind: 'retry', retryAfterMs: 60_000 });
    expect(outcomes.get('unanswered')).toMatchObject({ kind: 'retry', retryAfterMs: null });

    // Ready: its page kept, with the edge's page headers and as HTML; its JSON is not written yet.
    const cache = await memoryCaches.open('saved');
    const page = await cache.match(`${ORIGIN}/read/a`);
    expect(await page?.text()).toBe('<!doctype html><h1>a</h1>');
    expect(page?.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page?.headers.get('content-security-policy')).toBe(CSP);
    expect(outcomes.get('a')).toMatchObject({ cachedUrls: [`${ORIGIN}/read/a`] });
    expect(await cache.match(`${ORIGIN}/api/articles/a`)).toBeUndefined();
    expect(await cache.match(`${ORIGIN}/read/gone`)).toBeUndefined();

    // Its JSON follows with its pictures, from the answer in hand: only the picture goes to the edge.
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(new Uint8Array(10), { headers: { 'Content-Type': 'image/png' } });
    });
    const copies = await fetchPictures([{ itemId: 'a', urls: ['/api/articles/a', '/img?u=1'], cacheName: 'saved' }]);
    expect(fetched).toEqual(['/img?u=1']);
    expect(copies.get('a')?.cachedUrls).toEqual([`${ORIGIN}/api/articles/a`, `${ORIGIN}/img?u=1`]);
    const article = await cache.match(`${ORIGIN}/api/articles/a`);
    expect(await article?.json()).toEqual(view('a', ['/img?u=1']));
    expect(article?.headers.get('etag')).toBe('"a"');

    // Written once, it is no longer held: asked again (a worker stopped before recording it), it comes from the edge.
    await fetchPictures([{ itemId: 'a', urls: ['/api/articles/a'], cacheName: 'saved' }]);
    expect(fetched).toEqual(['/img?u=1', '/api/articles/a']);
  });

  it('a batch the edge refuses as a whole says the same of every article, with its Retry-After', async () => {
    edge(
      () =>
        new Response(JSON.stringify({ error: { code: 'internal', message: 'Down for a moment.' } }), {
          status: 503,
          headers: { 'Retry-After': '30' },
        }),
    );
    const requests = [
      { key: 'a', id: 'a' },
      { key: 'b', id: 'b' },
    ];
    const outcomes = await fetchArticleTexts(requests, inSaved(requests), NOW);
    for (const key of ['a', 'b'])
      expect(outcomes.get(key)).toEqual({ kind: 'retry', error: 'Down for a moment.', retryAfterMs: 30_000 });
  });

  it('keeps each article as its line arrives; an answer cut off keeps those it brought whole, the rest try again', async () => {
    let send!: (text: string) => void;
    let cut!: (error: Error) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        send = (text) => controller.enqueue(new TextEncoder().encode(text));
        cut = (error) => controller.error(error);
      },
    });
    edge(() => new Response(body, { headers: { 'Content-Type': 'application/json', 'Content-Security-Policy': CSP } }));
    const requests = ['a', 'b', 'c'].map((id) => ({ key: id, id }));
    const outcomes = fetchArticleTexts(requests, inSaved(requests), NOW);
    const text = [
      '{"results":[',
      `${JSON.stringify(ready('a'))},`,
      `${JSON.stringify(ready('b'))},`,
      JSON.stringify(ready('c')),
    ].join('\n');
    const cStarts = text.indexOf(JSON.stringify(ready('c')));
    // Lines split across chunks, as a link delivers them; c's line only begun.
    send(text.slice(0, 30));
    send(text.slice(30, cStarts + 20));
    const cache = await memoryCaches.open('saved');
    // a and b are kept while the answer is still arriving.
    await vi.waitFor(async () => expect(await cache.match(`${ORIGIN}/read/b`)).toBeDefined());
    expect(await (await cache.match(`${ORIGIN}/read/a`))?.text()).toBe('<!doctype html><h1>a</h1>');
    cut(new TypeError('network error'));
    const settled = await outcomes;
    expect(settled.get('a')).toMatchObject({ kind: 'ready', cachedUrls: [`${ORIGIN}/read/a`] });
    expect(settled.get('b')).toMatchObject({ kind: 'ready', cachedUrls: [`${ORIGIN}/read/b`] });
    expect(settled.get('c')).toMatchObject({ kind: 'retry' });
    expect(await cache.match(`${ORIGIN}/read/c`)).toBeUndefined();
  });

  it('an answer that is not JSON keeps what came before it and tries the rest again', async () => {
    edge(() => new Response(`{"results":[\n${JSON.stringify(ready('a'))},\n{"id":"b",oops}\n]}`));
    const requests = ['a', 'b'].map((id) => ({ key: id, id }));
    const outcomes = await fetchArticleTexts(requests, inSaved(requests), NOW);
    expect(outcomes.get('a')).toMatchObject({ kind: 'ready' });
    expect(outcomes.get('b')).toEqual({
      kind: 'retry',
      error: 'The server’s answer was garbled; trying again later.',
      retryAfterMs: null,
    });
  });

  it('asks before the caller knows what it holds, then keeps only what it holds, where it says', async () => {
    const asked = edge((body) => json({ results: body.ids.map((id) => ready(id)) }));
    let claimed!: (where: Map<string, string>) => void;
    const keepIn = new Promise<Map<string, string>>((resolve) => (claimed = resolve));
    const requests = ['a', 'b'].map((id) => ({ key: id, id }));
    const outcomes = fetchArticleTexts(requests, keepIn, NOW);
    // The request is on its way while the claim is still running.
    await vi.waitFor(() => expect(asked).toEqual([{ ids: ['a', 'b'], urls: [] }]));
    // a is this caller's (kept by the reader meanwhile: Saved); b was taken by another drain.
    claimed(new Map([['a', 'saved']]));
    const settled = await outcomes;
    expect([...settled.keys()]).toEqual(['a']);
    expect(settled.get('a')).toMatchObject({ kind: 'ready', cachedUrls: [`${ORIGIN}/read/a`] });
    expect(await (await memoryCaches.open('saved')).match(`${ORIGIN}/read/a`)).toBeDefined();
    expect(await memoryCaches.has('prefetched')).toBe(false);
    for (const name of ['saved', 'prefetched'])
      expect(await (await memoryCaches.open(name)).match(`${ORIGIN}/read/b`)).toBeUndefined();
  });

  it('holding none of them, keeps nothing and stops reading the answer', async () => {
    let cancelled = false;
    // An answer still arriving: read to its end, it would never end.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"results":[\n${JSON.stringify(ready('a'))},\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    edge(() => new Response(body, { headers: { 'Content-Type': 'application/json' } }));
    const requests = [{ key: 'a', id: 'a' }];
    const outcomes = await fetchArticleTexts(requests, Promise.resolve(new Map()), NOW);
    expect(outcomes.size).toBe(0);
    expect(await (await memoryCaches.open('saved')).match(`${ORIGIN}/read/a`)).toBeUndefined();
    expect(cancelled).toBe(true);
  });

  it(`asks ${ARTICLE_BATCH_MAX} at a time`, async () => {
    const asked = edge((body) => json({ results: body.ids.map((id) => ready(id)) }));
    const requests = Array.from({ length: ARTICLE_BATCH_MAX + 5 }, (_, i) => ({
      key: `i${i}`,
      id: `i${i}`,
    }));
    const outcomes = await fetchArticleTexts(requests, inSaved(requests), NOW);
    expect(asked.map((b) => b.ids.length)).toEqual([ARTICLE_BATCH_MAX, 5]);
    expect([...outcomes.values()].every((o) => o.kind === 'ready')).toBe(true);
  });
});

describe('fetchPictures', () => {
  it('fetches a picture two articles share once, six at most at once, and tells passing failures from refusals', async () => {
    let open = 0;
    let most = 0;
    const hits = new Map<string, number>();
    vi.stubGlobal('fetch', async (url: string) => {
      hits.set(url, (hits.get(url) ?? 0) + 1);
      open++;
      most = Math.max(most, open);
      await new Promise((r) => setTimeout(r, 5));
      open--;
      if (url.includes('down')) return new Response(null, { status: 502, headers: { 'Retry-After': '5' } });
      if (url.includes('refused')) return new Response(null, { status: 404 });
      return new Response(new Uint8Array(10), { headers: { 'Content-Type': 'image/png' } });
    });
    const many = Array.from({ length: 10 }, (_, i) => `/img?u=p${i}`);
    const outcomes = await fetchPictures(
      [
        { itemId: 'a', urls: ['/img?u=logo', '/img?u=down', ...many.slice(0, 5)], cacheName: 'saved' },
        { itemId: 'b', urls: ['/img?u=logo', '/img?u=refused', ...many.slice(5)], cacheName: 'prefetched' },
      ],
      NOW,
    );
    expect(hits.get('/img?u=logo')).toBe(1);
    expect(most).toBeLessThanOrEqual(6);
    expect(most).toBeGreaterThan(1);
    expect(outcomes.get('a')).toMatchObject({ bytes: 60, missing: { urls: ['/img?u=down'], retryAfterMs: 5_000 } });
    expect(outcomes.get('b')).toMatchObject({ bytes: 60, missing: { urls: [], retryAfterMs: null } });
    expect(outcomes.get('b')?.cachedUrls).toContain(`${ORIGIN}/img?u=logo`);
    expect(await (await memoryCaches.open('prefetched')).match(`${ORIGIN}/img?u=logo`)).toBeDefined();
    expect(await (await memoryCaches.open('saved')).match(`${ORIGIN}/img?u=logo`)).toBeDefined();
  });
});
