// Fetches one article for reading offline, through the edge: its JSON (which says whether it exists and which
// images it uses), its page (/read/:id, what a tap opens) and its proxied images, then caches them all. Cache.put
// replaces by URL, so doing this twice (a worker stopped after fetching, before marking ready) never duplicates.
import type { ArticleView } from '../worker-edge/api/contract.ts';
import { readUrl } from './messages.ts';
import { judgeNetworkError, judgeResponse, type Verdict } from './retry-policy.ts';

const REQUEST_TIMEOUT_MS = 30_000;
const IMAGES_AT_ONCE = 3;

const articleJsonUrl = (itemId: string) => `/api/articles/${encodeURIComponent(itemId)}`;

export type FetchOutcome =
  | { kind: 'ready'; title: string; publishedAt: string | null; bytes: number; cachedUrls: string[] }
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

async function fetchImages(urls: string[], now: number): Promise<Fetched[]> {
  const fetched: Fetched[] = [];
  const queue = [...new Set(urls)];
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const result = await fetchOne(url, now);
      if (isFetched(result)) fetched.push(result);
    }
  };
  await Promise.all(Array.from({ length: IMAGES_AT_ONCE }, worker));
  return fetched;
}

/**
 * The article and its page must arrive for the item to be ready. Images are best effort: the text is what the
 * reader asked for, and a picture that failed must not hold it back (the page shows its alt text offline).
 */
export async function fetchForOffline(itemId: string, cacheName: string, now = Date.now()): Promise<FetchOutcome> {
  const article = await fetchOne(articleJsonUrl(itemId), now);
  if (!isFetched(article)) return article;
  return cacheWithPageAndImages(itemId, article, cacheName, now);
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

  const cache = await caches.open(cacheName);
  const all = [...images, page, article];
  await Promise.all(all.map(({ url, response }) => cache.put(url, response)));
  return {
    kind: 'ready',
    title: view.title,
    publishedAt: view.publishedAt,
    bytes: all.reduce((sum, { bytes }) => sum + bytes, 0),
    cachedUrls: all.map(({ url }) => new URL(url, location.origin).href),
  };
}
