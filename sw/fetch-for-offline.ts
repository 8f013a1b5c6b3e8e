// Fetches one article for reading offline, through the edge: its JSON (which says whether it exists and which
// images it uses), its page (/read/:id, what a tap opens) and its proxied images, then caches them all. Cache.put
// replaces by URL, so doing this twice (a worker stopped after fetching, before marking ready) never duplicates.
// Pictures that failed for a passing reason (a 5xx, a reset, offline) are named in the outcome, to fetch later.
// Storage running out makes room once (sw/make-room.ts), then fails the article for good, its partial copies gone.
import type { ArticleView } from '../contract/http.ts';
import { makeRoom } from './make-room.ts';
import { articleJsonUrl, pageArticleJsonUrl, readUrl } from '../contract/paths.ts';
import { deleteUnusedCopies } from './library.ts';
import { runPool } from './pool.ts';
import { isQuotaError, STORAGE_FULL, StorageFullError } from './quota-error.ts';
import { judgeNetworkError, judgeResponse, type Verdict } from './retry-policy.ts';

const REQUEST_TIMEOUT_MS = 30_000;
const IMAGES_AT_ONCE = 3;

/** Pictures still to fetch, and the soonest the server said to come back for them. */
export interface MissingImages {
  urls: string[];
  retryAfterMs: number | null;
}

export type FetchOutcome =
  | { kind: 'ready'; articleId: string; title: string; publishedAt: string | null; bytes: number; cachedUrls: string[]; missingImages: MissingImages }
  | Exclude<Verdict, { kind: 'ok' }>;

interface Fetched {
  url: string;
  response: Response;
  bytes: number;
}

async function fetchOne(url: string, now: number): Promise<Fetched | Exclude<Verdict, { kind: 'ok' }>> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), credentials: 'same-origin' });
  } catch (error) {
    return judgeNetworkError(error) as Exclude<Verdict, { kind: 'ok' }>;
  }
  const verdict = await judgeResponse(response, now);
  if (verdict.kind !== 'ok') return verdict;
  try {
    // Read the body now: a body cut off mid-way is a network error, found here rather than in the cache.
    const body = await response.arrayBuffer();
    return { url, bytes: body.byteLength, response: new Response(body, response) };
  } catch (error) {
    return judgeNetworkError(error) as Exclude<Verdict, { kind: 'ok' }>;
  }
}

const isFetched = (value: Fetched | Verdict): value is Fetched => 'response' in value;

/** A picture refused for good (404, not an image) is left out; one that failed for a passing reason is missing. */
async function fetchImages(urls: string[], now: number): Promise<{ fetched: Fetched[]; missing: MissingImages }> {
  const fetched: Fetched[] = [];
  const missing: MissingImages = { urls: [], retryAfterMs: null };
  await runPool(new Set(urls), IMAGES_AT_ONCE, async (url) => {
    const result = await fetchOne(url, now);
    if (isFetched(result)) fetched.push(result);
    else if (result.kind === 'retry') {
      missing.urls.push(url);
      if (result.retryAfterMs !== null) missing.retryAfterMs = Math.min(missing.retryAfterMs ?? Infinity, result.retryAfterMs);
    }
  });
  return { fetched, missing };
}

const absolute = (url: string) => new URL(url, location.origin).href;

/** Each attempt writes clones: a body is read once, and a second attempt needs its own. */
const putAll = (cache: Cache, all: Fetched[]) => Promise.all(all.map(({ url, response }) => cache.put(url, response.clone())));

/**
 * Writes an article's copies. When they do not fit, prefetched articles make room (least recently read first; never
 * the reader's saves, nor `itemId` itself) and the write is tried once more; when it still does not fit, whatever
 * of it was written is deleted (pictures other articles keep stay) and StorageFullError says so.
 */
async function cacheAll(cacheName: string, all: Fetched[], itemId?: string): Promise<void> {
  const cache = await caches.open(cacheName);
  try {
    await putAll(cache, all);
    return;
  } catch (error) {
    if (!isQuotaError(error)) throw error;
  }
  await makeRoom(all.reduce((sum, { bytes }) => sum + bytes, 0), new Set(itemId === undefined ? [] : [itemId]));
  try {
    await putAll(cache, all);
  } catch (error) {
    await deleteUnusedCopies(all.map(({ url }) => absolute(url)));
    throw isQuotaError(error) ? new StorageFullError() : error;
  }
}

/** Fetches an article's missing pictures again (its text is kept already): what arrived is cached at once. */
export async function fetchMissingImages(
  urls: string[],
  cacheName: string,
  now = Date.now(),
): Promise<{ cachedUrls: string[]; bytes: number; missing: MissingImages }> {
  const { fetched, missing } = await fetchImages(urls, now);
  try {
    await cacheAll(cacheName, fetched);
  } catch (error) {
    // No room even after making some: the pictures are given up (the page shows their alt text), not fetched again
    // and again; the text the reader asked for is kept.
    if (error instanceof StorageFullError) return { cachedUrls: [], bytes: 0, missing: { urls: [], retryAfterMs: null } };
    throw error;
  }
  return { cachedUrls: fetched.map(({ url }) => absolute(url)), bytes: fetched.reduce((sum, { bytes }) => sum + bytes, 0), missing };
}

/**
 * The article and its page must arrive for the item to be ready. Pictures do not hold it back: the text is what the
 * reader asked for (the page shows a picture's alt text offline), and the missing ones are fetched again later.
 */
export async function fetchForOffline(itemId: string, cacheName: string, now = Date.now()): Promise<FetchOutcome> {
  const article = await fetchOne(articleJsonUrl(itemId), now);
  if (!isFetched(article)) return article;
  return cacheWithPageAndImages(itemId, article, cacheName, now);
}

/**
 * A page saved by its address: the edge fetches and reads it (GET /api/articles?url=), which gives it an article id;
 * its JSON is cached where the article's own URL would find it, then its page and images as for any article.
 */
export async function fetchPageForOffline(pageUrl: string, cacheName: string, now = Date.now()): Promise<FetchOutcome> {
  const answer = await fetchOne(pageArticleJsonUrl(pageUrl), now);
  if (!isFetched(answer)) return answer;
  const view = (await answer.response.clone().json()) as ArticleView;
  return cacheWithPageAndImages(view.id, { ...answer, url: articleJsonUrl(view.id) }, cacheName, now);
}

/** The digest already carries the article: only its page and images need fetching. */
export async function cacheKnownArticle(view: ArticleView, cacheName: string, now = Date.now()): Promise<FetchOutcome> {
  const body = new TextEncoder().encode(JSON.stringify(view));
  const response = new Response(body, { headers: { 'Content-Type': 'application/json; charset=UTF-8' } });
  return cacheWithPageAndImages(view.id, { url: articleJsonUrl(view.id), response, bytes: body.byteLength }, cacheName, now);
}

async function cacheWithPageAndImages(itemId: string, article: Fetched, cacheName: string, now: number): Promise<FetchOutcome> {
  const view = (await article.response.clone().json()) as ArticleView;
  const page = await fetchOne(readUrl(itemId), now);
  if (!isFetched(page)) return page;
  const images = await fetchImages(view.images, now);

  const all = [...images.fetched, page, article];
  try {
    await cacheAll(cacheName, all, itemId);
  } catch (error) {
    // Failed for good, visibly: trying again later would fail the same way until the reader makes room.
    if (error instanceof StorageFullError) return { kind: 'fail', error: STORAGE_FULL };
    throw error;
  }
  return {
    kind: 'ready',
    articleId: itemId,
    title: view.title,
    publishedAt: view.publishedAt,
    bytes: all.reduce((sum, { bytes }) => sum + bytes, 0),
    cachedUrls: all.map(({ url }) => absolute(url)),
    missingImages: images.missing,
  };
}
