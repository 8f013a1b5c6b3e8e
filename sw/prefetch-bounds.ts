// Bounds on what the background refresh keeps: the newest `keepNewest` prefetched articles (the reader's own saves
// are never counted or touched), and workbox-expiration over the prefetched cache for age and entries, which is
// also the first thing dropped when storage runs out.
import { registerQuotaErrorCallback } from 'workbox-core';
import { CacheExpiration } from 'workbox-expiration';
import { CACHES } from './cache-names.ts';
import { prefetchedArticles, removeArticle } from './library.ts';
import { forget } from './reader-db.ts';

const expiration = new CacheExpiration(CACHES.prefetched, { maxEntries: 600, maxAgeSeconds: 14 * 24 * 60 * 60 });

/**
 * Storage ran out: the background refresh's articles go first, records and copies together (a record left "ready"
 * without its copies would tell the reader it is readable offline when it is not). The digest's ETag goes too, so
 * the next refresh downloads again what fits.
 */
async function dropPrefetched(): Promise<void> {
  for (const record of await prefetchedArticles()) await removeArticle(record.itemId);
  await caches.delete(CACHES.prefetched);
  await forget('digestEtag');
}

registerQuotaErrorCallback(() =>
  dropPrefetched().catch((error) => console.error('could not drop the prefetched articles', error)),
);

export async function notePrefetched(urls: string[]): Promise<void> {
  await Promise.all(urls.map((url) => expiration.updateTimestamp(url)));
}

const newestFirst = (a: { publishedAt: string | null; readyAt: number | null }, b: typeof a) =>
  (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || (b.readyAt ?? 0) - (a.readyAt ?? 0);

/** Drops prefetched articles beyond the newest `keepNewest`, and any whose copies the expiration removed. */
export async function trimPrefetched(keepNewest: number): Promise<void> {
  const prefetched = (await prefetchedArticles()).sort(newestFirst);
  for (const record of prefetched.slice(keepNewest)) await removeArticle(record.itemId);
  await expiration.expireEntries();
  const cache = await caches.open(CACHES.prefetched);
  for (const record of prefetched.slice(0, keepNewest)) {
    if (!(await cache.match(new URL(record.url, location.origin).href))) await removeArticle(record.itemId);
  }
}
