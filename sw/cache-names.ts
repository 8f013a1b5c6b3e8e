// Every cache the service worker keeps, by what it holds. Only `saved` is unbounded: what the reader saved stays
// until they remove it. The precache (app shell) is named and cleaned by workbox-precaching.
export const CACHES = {
  /** Pages other than articles, as last seen (network-first). */
  pages: 'reader-pages-v1',
  /** Article pages and article JSON met while reading online. */
  articles: 'reader-articles-v1',
  /** Proxied images (/img) met while reading online. */
  images: 'reader-images-v1',
  /** /api/items, stale-while-revalidate. */
  api: 'reader-api-v1',
  /** Articles the reader saved (page, JSON, images): kept until removed. */
  saved: 'reader-saved-v1',
  /** Articles the background refresh downloaded: bounded. */
  prefetched: 'reader-prefetched-v1',
} as const;

/** Where an article's copies go: the reader's own saves are never evicted. */
export const cacheFor = (saved: boolean) => (saved ? CACHES.saved : CACHES.prefetched);

/** How long an article met while reading stays in the articles cache: older copies are not served (workbox-expiration). */
export const ARTICLES_MAX_AGE_DAYS = 30;
