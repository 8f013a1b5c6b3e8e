// The addresses and names all three tiers agree on: pages, API calls, the image proxy, the service worker and its
// sync tags. Built here so a link the edge renders and a URL the service worker caches are the same string.

import type { ItemsQuery } from './http.ts';

export const SERVICE_WORKER_URL = '/sw.js';
/** One-off Background Sync for articles asked for offline (coalesced by the browser). */
export const SYNC_TAG = 'fetch-articles';
/** Periodic Background Sync for the digest. */
export const PERIODIC_SYNC_TAG = 'refresh-digest';

export const IMAGE_PROXY_PATH = '/img';
export const FEEDS_PATH = '/api/feeds';
export const OPML_PATH = '/api/opml';
export const ITEMS_PATH = '/api/items';
export const ARTICLES_PATH = '/api/articles';
export const SEARCH_PATH = '/api/search';
export const SEARCH_PAGE_PATH = '/search';
/** POST: many articles in one round trip (contract/http.ts ArticleBatchRequest). */
export const ARTICLE_BATCH_PATH = `${ARTICLES_PATH}/batch`;

/** Every character outside RFC 3986's unreserved set is percent-encoded, so the URL survives any HTML attribute. */
const strictEncode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The readable article's page. */
export const readUrl = (itemId: string) => `/read/${encodeURIComponent(itemId)}`;
/** Where a page shared to the app is shown, and followed while it waits. */
export const shareUrl = (pageUrl: string) => `/share?url=${encodeURIComponent(pageUrl)}`;
/** An item's readable article as JSON. */
export const articleJsonUrl = (itemId: string) => `${ARTICLES_PATH}/${encodeURIComponent(itemId)}`;
/** Any public page's readable article as JSON, by its address. */
export const pageArticleJsonUrl = (pageUrl: string) => `${ARTICLES_PATH}?url=${encodeURIComponent(pageUrl)}`;
/** The search page for a query (and, to page on, a cursor it gave out). */
export const searchPageUrl = (query: string, before?: string) =>
  `${SEARCH_PAGE_PATH}?q=${encodeURIComponent(query)}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
/** GET /api/items with its query, in one spelling. */
export function itemsUrl(query: ItemsQuery = {}): string {
  const params = Object.entries(query).flatMap(([name, value]) =>
    value === undefined ? [] : [`${name}=${strictEncode(String(value))}`],
  );
  return params.length > 0 ? `${ITEMS_PATH}?${params.join('&')}` : ITEMS_PATH;
}
export const digestUrl = (limit: number) => `/api/digest?limit=${limit}`;
export const feedUrl = (feedId: number | string) => `${FEEDS_PATH}/${encodeURIComponent(String(feedId))}`;
/** The latest items of one folder's feeds. */
export const folderPageUrl = (folder: string) => `/?folder=${strictEncode(folder)}`;

/** A picture through the edge's proxy: one spelling everywhere, so each picture has one cache key. */
export function proxiedImageUrl(absoluteUrl: string): string {
  return `${IMAGE_PROXY_PATH}?u=${strictEncode(absoluteUrl)}`;
}
