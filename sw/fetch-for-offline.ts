// Fetches articles for reading offline, through the edge, at the speed of the link: the text of every article of a
// batch in one round trip (POST /api/articles/batch carries each article's JSON and its page as /read/:id renders
// it, with each article's own outcome). An article is ready once its page is kept: that is what the reader opens.
// Each page is kept as its line of the answer arrives (sw/batch-results.ts), while the rest is still on the link.
// Its JSON (GET /api/articles/:id offline) follows with its pictures, all in one pool within the browser's
// connections per host: every Cache API write costs a few milliseconds whatever its size, and the bench measured
// the JSON copies doubling the wait for 30 articles. The JSON is written from the batch's answer, held in this
// worker until then; a worker stopped first fetches it from the edge later, as it would a picture. Cache.put
// replaces by URL, so doing this twice (a worker stopped after fetching, before marking ready) never duplicates.
// Copies that failed for a passing reason (a 5xx, a reset, offline) are named in the outcome, to fetch later.
// Storage running out makes room (sw/make-room.ts) until nothing is left to drop, then fails the article for good,
// its partial copies gone.
import { ARTICLE_BATCH_MAX, type ArticleBatchRequest, type ArticleBatchResult } from '../contract/http.ts';
import { makeRoom } from './make-room.ts';
import { ARTICLE_BATCH_PATH, articleJsonUrl, readUrl } from '../contract/paths.ts';
import { deleteUnusedCopies } from './library.ts';
import { batchResults } from './batch-results.ts';
import { markOutboxStep } from './outbox-marks.ts';
import { runPool } from './pool.ts';
import { isQuotaError, STORAGE_FULL, StorageFullError } from './quota-error.ts';
import { judgeBatchFailure, judgeNetworkError, judgeResponse, type Verdict } from './retry-policy.ts';

const REQUEST_TIMEOUT_MS = 30_000;
/** Chromium opens at most 6 connections to a host: the pictures of a whole batch share them. */
const IMAGES_AT_ONCE = 6;

/** Pictures still to fetch, and the soonest the server said to come back for them. */
export interface MissingImages {
  urls: string[];
  retryAfterMs: number | null;
}

/**
 * An article's page kept: it is ready. `images` are the copies still to make after it, as fetchPictures makes them:
 * its JSON first (already in hand), then its pictures.
 */
export type TextOutcome =
  | {
      kind: 'ready';
      articleId: string;
      title: string;
      publishedAt: string | null;
      bytes: number;
      cachedUrls: string[];
      images: string[];
    }
  | Exclude<Verdict, { kind: 'ok' }>;

/** One article to fetch: by its id, or (a page saved by its address) by `pageUrl`; `key` names it in the outcomes. */
export interface TextRequest {
  key: string;
  id?: string;
  pageUrl?: string;
}

/**
 * Where each article asked for is kept, by key: the cache it goes to. It may still be being worked out while the
 * request is on the link (the drain claims its entries meanwhile): only the articles it names are kept.
 */
export type KeepIn = Map<string, string> | Promise<Map<string, string>>;

/** A copy to keep: its body and how it was answered, so each write can make a response of its own. */
interface Fetched {
  url: string;
  body: BufferSource;
  init: ResponseInit;
  bytes: number;
}

async function fetchOne(url: string, now: number): Promise<Fetched | Exclude<Verdict, { kind: 'ok' }>> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      credentials: 'same-origin',
    });
  } catch (error) {
    return judgeNetworkError(error) as Exclude<Verdict, { kind: 'ok' }>;
  }
  const verdict = await judgeResponse(response, now);
  if (verdict.kind !== 'ok') return verdict;
  try {
    // Read the body now: a body cut off mid-way is a network error, found here rather than in the cache.
    const body = await response.arrayBuffer();
    const { status, statusText, headers } = response;
    return { url, body, init: { status, statusText, headers }, bytes: body.byteLength };
  } catch (error) {
    return judgeNetworkError(error) as Exclude<Verdict, { kind: 'ok' }>;
  }
}

const isFetched = (value: Fetched | Verdict): value is Fetched => 'body' in value;

const absolute = (url: string) => new URL(url, location.origin).href;

/**
 * Each attempt writes responses of its own, made from the bytes in hand: a body is read once, and a second attempt
 * needs its own. Made, not cloned: Chromium writes a cloned (teed) body to the cache about 40 % slower (30 pages,
 * medians of 8 runs: 118 ms cloned, 70 ms made).
 */
const putAll = (cache: Cache, all: Fetched[]) =>
  Promise.all(all.map(({ url, body, init }) => cache.put(url, new Response(body, init))));

/**
 * Writes an article's copies. When they do not fit, prefetched articles make room (in the offline policy's order;
 * never the reader's saves, nor `itemId` itself) and the write is tried again, while making room drops any: the
 * quota counts more than the bodies, and Chromium counts deletes late. When nothing is left to drop, whatever of it
 * was written is deleted (pictures other articles keep stay) and StorageFullError says so.
 */
async function cacheAll(
  cacheName: string,
  all: Fetched[],
  itemId?: string,
  open: (name: string) => Promise<Cache> = (name) => caches.open(name),
): Promise<void> {
  const cache = await open(cacheName);
  const spare = new Set(itemId === undefined ? [] : [itemId]);
  const deletePartial = () => deleteUnusedCopies(all.map(({ url }) => absolute(url)));
  for (let attempt = 1, dropped = 1; dropped > 0; attempt++) {
    try {
      await putAll(cache, all);
      return;
    } catch (error) {
      if (!isQuotaError(error)) {
        if (attempt > 1) await deletePartial();
        throw error;
      }
    }
    dropped = (
      await makeRoom(
        all.reduce((sum, { bytes }) => sum + bytes, 0),
        spare,
      )
    ).length;
  }
  await deletePartial();
  throw new StorageFullError();
}

/** What a picture fetch came to: fetched, to try again later (with the server's Retry-After), or refused for good. */
type PictureResult = Fetched | Exclude<Verdict, { kind: 'ok' }>;

/** How many copies from batch answers this worker holds for fetchPictures at most (a few KiB each). */
const BROUGHT_MAX = 4 * ARTICLE_BATCH_MAX;
/**
 * Copies a batch answer brought that are written after the article is ready (its JSON), by URL, until written;
 * made when written, so that serialising them is not in the way of the pages being kept.
 */
const brought = new Map<string, () => Fetched>();

function hold(url: string, copy: () => Fetched): void {
  brought.delete(url);
  brought.set(url, copy);
  // The oldest go first: fetchPictures fetches what is not held, so forgetting one costs a request, never the copy.
  for (const url of brought.keys()) {
    if (brought.size <= BROUGHT_MAX) break;
    brought.delete(url);
  }
}

/**
 * The copies several articles still need after their page (their JSON, from the batch's answer when this worker
 * holds it, and their pictures) in one pool (a picture two articles share is fetched once), then each article's
 * cached where it keeps them. A picture refused for good (404, not an image) is left out; one that failed for a
 * passing reason is missing. Room is made from other articles, never the one written. No room even after making
 * some: an article's pictures and JSON are given up (the page shows their alt text), not fetched again and again;
 * the page the reader asked for is kept.
 */
export async function fetchPictures(
  articles: Array<{ itemId: string; urls: string[]; cacheName: string }>,
  now = Date.now(),
): Promise<Map<string, { cachedUrls: string[]; bytes: number; missing: MissingImages }>> {
  const results = new Map<string, PictureResult>();
  const wanted = new Set(articles.flatMap(({ urls }) => urls));
  for (const url of wanted) {
    const copy = brought.get(url);
    if (copy) results.set(url, copy());
  }
  await runPool(
    [...wanted].filter((url) => !results.has(url)),
    IMAGES_AT_ONCE,
    async (url) => {
      results.set(url, await fetchOne(url, now));
    },
  );
  const outcomes = new Map<string, { cachedUrls: string[]; bytes: number; missing: MissingImages }>();
  for (const { itemId, urls, cacheName } of articles) {
    const fetched: Fetched[] = [];
    const missing: MissingImages = { urls: [], retryAfterMs: null };
    for (const url of new Set(urls)) {
      const result = results.get(url);
      if (result === undefined) missing.urls.push(url);
      else if (isFetched(result)) fetched.push(result);
      else if (result.kind === 'retry') {
        missing.urls.push(url);
        if (result.retryAfterMs !== null)
          missing.retryAfterMs = Math.min(missing.retryAfterMs ?? Infinity, result.retryAfterMs);
      }
    }
    try {
      await cacheAll(cacheName, fetched, itemId);
    } catch (error) {
      if (!(error instanceof StorageFullError)) throw error;
      outcomes.set(itemId, { cachedUrls: [], bytes: 0, missing: { urls: [], retryAfterMs: null } });
      continue;
    }
    for (const { url } of fetched) brought.delete(url);
    outcomes.set(itemId, {
      cachedUrls: fetched.map(({ url }) => absolute(url)),
      bytes: fetched.reduce((sum, { bytes }) => sum + bytes, 0),
      missing,
    });
  }
  return outcomes;
}

/** Headers the edge sends with every page (its Content-Security-Policy and the rest), from the batch's own answer. */
function pageHeaders(batch: Response): Headers {
  const headers = new Headers(batch.headers);
  for (const name of ['content-type', 'content-length', 'content-encoding', 'etag', 'cache-control', 'server-timing'])
    headers.delete(name);
  headers.set('Content-Type', 'text/html; charset=UTF-8');
  return headers;
}

const asFetched = (url: string, body: string, headers: HeadersInit): Fetched => {
  const bytes = new TextEncoder().encode(body);
  return { url, body: bytes, init: { headers }, bytes: bytes.byteLength };
};

/** Each cache opened once for a batch's pages: every open is a trip to the browser's storage, as a write is. */
function openOnce(): (name: string) => Promise<Cache> {
  const opened = new Map<string, Promise<Cache>>();
  return (name) => {
    const cache = opened.get(name) ?? caches.open(name);
    opened.set(name, cache);
    return cache;
  };
}

/** An article the batch answered: its page kept, it is ready; or the edge's verdict on it. */
async function keepResult(
  request: TextRequest & { cacheName: string },
  result: ArticleBatchResult,
  headers: Headers,
  now: number,
  open: (name: string) => Promise<Cache>,
): Promise<TextOutcome> {
  if (!result.ok) return judgeBatchFailure(result, now) as Exclude<Verdict, { kind: 'ok' }>;
  const { article, etag } = result;
  const page = asFetched(readUrl(article.id), result.pageHtml, headers);
  try {
    await cacheAll(request.cacheName, [page], request.key, open);
  } catch (error) {
    // Failed for good, visibly: trying again later would fail the same way until the reader makes room.
    if (!(error instanceof StorageFullError)) throw error;
    return { kind: 'fail', error: STORAGE_FULL };
  }
  const jsonUrl = articleJsonUrl(article.id);
  hold(jsonUrl, () =>
    asFetched(jsonUrl, JSON.stringify(article), { 'Content-Type': 'application/json; charset=UTF-8', ETag: etag }),
  );
  return {
    kind: 'ready',
    articleId: article.id,
    title: article.title,
    publishedAt: article.publishedAt,
    bytes: page.bytes,
    cachedUrls: [absolute(page.url)],
    images: [jsonUrl, ...article.images],
  };
}

/**
 * One batch request, and what it says of each article asked; a batch that fails says the same of every article.
 * Each article's page is written as its line arrives: the cache writes (a few milliseconds each, one after another)
 * overlap the rest of the answer on the link. An answer cut off keeps the articles it brought whole; the others
 * are tried again.
 */
async function fetchBatch(requests: TextRequest[], keepIn: KeepIn, now: number): Promise<Map<string, TextOutcome>> {
  const outcomes = new Map<string, TextOutcome>();
  const asked: ArticleBatchRequest = {
    ids: requests.flatMap((r) => (r.pageUrl === undefined && r.id !== undefined ? [r.id] : [])),
    urls: requests.flatMap((r) => (r.pageUrl !== undefined ? [r.pageUrl] : [])),
  };
  const everyArticle = (verdict: Verdict) => {
    for (const r of requests) outcomes.set(r.key, verdict as Exclude<Verdict, { kind: 'ok' }>);
    return outcomes;
  };
  markOutboxStep('batch-sent');
  let response: Response;
  try {
    response = await fetch(ARTICLE_BATCH_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(asked),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      credentials: 'same-origin',
    });
  } catch (error) {
    return everyArticle(judgeNetworkError(error));
  }
  const verdict = await judgeResponse(response, now);
  if (verdict.kind !== 'ok') return everyArticle(verdict);
  // Only what the caller holds is kept, where it goes now (an entry the reader kept meanwhile goes to Saved).
  const where = await keepIn;
  const mine = requests.flatMap((r) => {
    const cacheName = where.get(r.key);
    return cacheName === undefined ? [] : [{ ...r, cacheName }];
  });
  if (mine.length === 0) {
    await response.body?.cancel().catch(() => undefined);
    return outcomes;
  }
  const ofId = new Map(mine.flatMap((r) => (r.pageUrl === undefined && r.id !== undefined ? [[r.id, r]] : [])));
  const ofUrl = new Map(mine.flatMap((r) => (r.pageUrl !== undefined ? [[r.pageUrl, r]] : [])));
  const headers = pageHeaders(response);
  const open = openOnce();
  const keeping: Array<Promise<void>> = [];
  let unanswered: Exclude<Verdict, { kind: 'ok' }> = {
    kind: 'retry',
    error: 'The server did not answer for this article; trying again later.',
    retryAfterMs: null,
  };
  try {
    for await (const result of batchResults(response.body ?? new Blob().stream())) {
      const request = 'url' in result ? ofUrl.get(result.url) : ofId.get(result.id);
      if (!request) continue;
      ofUrl.delete(request.pageUrl ?? '');
      ofId.delete(request.id ?? '');
      keeping.push(
        keepResult(request, result, headers, now, open).then((outcome) => void outcomes.set(request.key, outcome)),
      );
    }
  } catch (error) {
    unanswered =
      error instanceof SyntaxError
        ? { kind: 'retry', error: 'The server’s answer was garbled; trying again later.', retryAfterMs: null }
        : (judgeNetworkError(error) as Exclude<Verdict, { kind: 'ok' }>);
  }
  markOutboxStep('batch-arrived');
  await Promise.all(keeping);
  markOutboxStep('pages-kept');
  for (const request of mine) if (!outcomes.has(request.key)) outcomes.set(request.key, unanswered);
  return outcomes;
}

/**
 * The text of every article asked for, ARTICLE_BATCH_MAX to a request (all requests at once): each article ready
 * once its page is kept, whatever the others' outcomes. Its JSON and pictures are fetchPictures' to keep, after.
 * `keepIn` may still be pending when the request leaves: the round trip does not wait for the caller's claim.
 */
export async function fetchArticleTexts(
  requests: TextRequest[],
  keepIn: KeepIn,
  now = Date.now(),
): Promise<Map<string, TextOutcome>> {
  const batches = Array.from({ length: Math.ceil(requests.length / ARTICLE_BATCH_MAX) }, (_, i) =>
    requests.slice(i * ARTICLE_BATCH_MAX, (i + 1) * ARTICLE_BATCH_MAX),
  );
  const outcomes = await Promise.all(batches.map((batch) => fetchBatch(batch, keepIn, now)));
  return new Map(outcomes.flatMap((outcome) => [...outcome]));
}
