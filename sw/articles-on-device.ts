// Which articles open offline right now: those whose page (/read/:id) is in a cache the article route reads (see
// sw/routes.ts): the reader's saved ones, the background refresh's, and ones read before that the bounded articles
// cache still holds and would still serve. The offline page lists exactly these, and Latest offline marks them.
import type { OnDevice, ReadableArticle } from '../contract/messages.ts';
import { readUrl } from '../contract/paths.ts';
import { ARTICLES_MAX_AGE_DAYS, CACHES } from './cache-names.ts';
import { deviceDigest } from './device-digest.ts';
import { listArticles } from './library.ts';

declare const self: ServiceWorkerGlobalScope;

const ARTICLE_PAGE = /^\/read\/([^/]+)$/;
const MAX_AGE_MS = ARTICLES_MAX_AGE_DAYS * 24 * 60 * 60 * 1000;
/** The edge's page title is "<article> · Offline Reader", text escaped by hono/jsx. */
const PAGE_TITLE = /<title>([^<]*?)(?: · Offline Reader)?<\/title>/;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function itemIdOf(url: string): string | null {
  const parsed = new URL(url);
  if (parsed.origin !== self.location.origin || parsed.search) return null;
  const id = ARTICLE_PAGE.exec(parsed.pathname)?.[1];
  return id ? decodeURIComponent(id) : null;
}

/** workbox-expiration refuses a copy whose Date is older than the cache's age limit, so it does not open. */
function stillServed(response: Response, now: number): boolean {
  const date = Date.parse(response.headers.get('Date') ?? '');
  return Number.isNaN(date) || now - date <= MAX_AGE_MS;
}

async function titleInPage(response: Response): Promise<string> {
  const title = PAGE_TITLE.exec(await response.text())?.[1] ?? '';
  return title.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/**
 * Ids of the articles whose page is on the device, with the copy that would be served and how it is there (a page
 * in the reader's saved cache is kept; the saved cache is read first).
 */
async function pagesOnDevice(now: number): Promise<Map<string, { page: Response; how: OnDevice }>> {
  const found = new Map<string, { page: Response; how: OnDevice }>();
  for (const name of [CACHES.saved, CACHES.prefetched, CACHES.articles]) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const itemId = itemIdOf(request.url);
      if (itemId === null || found.has(itemId)) continue;
      const page = await cache.match(request);
      if (page?.ok && (name !== CACHES.articles || stillServed(page, now)))
        found.set(itemId, { page, how: name === CACHES.saved ? 'kept' : 'for-now' });
    }
  }
  return found;
}

/** Which items of a list open offline, and whether the reader kept each. */
export async function readableHere(now = Date.now()): Promise<Map<string, OnDevice>> {
  return new Map([...(await pagesOnDevice(now))].map(([itemId, { how }]) => [itemId, how]));
}

/** The library's own entries first (newest first), then pages read before; titles from what the device knows. */
export async function articlesOnDevice(now = Date.now()): Promise<ReadableArticle[]> {
  const [pages, entries, digest] = await Promise.all([pagesOnDevice(now), listArticles(), deviceDigest()]);
  const titles = new Map<string, string>(digest?.items.map((item) => [item.id, item.title]) ?? []);
  for (const entry of entries) if (entry.title) titles.set(entry.itemId, entry.title);
  const order = [...entries.map((entry) => entry.itemId), ...pages.keys()];
  const readable: ReadableArticle[] = [];
  for (const itemId of new Set(order)) {
    const found = pages.get(itemId);
    if (!found) continue;
    const title = titles.get(itemId) || (await titleInPage(found.page)) || 'Untitled';
    readable.push({ itemId, url: readUrl(itemId), title });
  }
  return readable;
}
