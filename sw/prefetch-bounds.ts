// Bounds on what the background refresh keeps: the newest `keepNewest` prefetched articles (the reader's own saves
// are never counted or touched), and workbox-expiration over the prefetched cache for age and entries, which is
// also the first thing dropped when storage runs out.
import { registerQuotaErrorCallback } from 'workbox-core';
import { CacheExpiration } from 'workbox-expiration';
import { CACHES } from './cache-names.ts';
import { removeArticle } from './outbox.ts';
import { openOutbox } from './outbox-db.ts';

const expiration = new CacheExpiration(CACHES.prefetched, { maxEntries: 600, maxAgeSeconds: 14 * 24 * 60 * 60 });

registerQuotaErrorCallback(() => caches.delete(CACHES.prefetched));

export async function notePrefetched(urls: string[]): Promise<void> {
  await Promise.all(urls.map((url) => expiration.updateTimestamp(url)));
}

const newestFirst = (a: { publishedAt: string | null; readyAt: number | null }, b: typeof a) =>
  (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || (b.readyAt ?? 0) - (a.readyAt ?? 0);

/** Drops prefetched articles beyond the newest `keepNewest`, and any whose copies the expiration removed. */
export async function trimPrefetched(keepNewest: number): Promise<void> {
  const prefetched = (await (await openOutbox()).getAll('articles')).filter((record) => !record.saved).sort(newestFirst);
  for (const record of prefetched.slice(keepNewest)) await removeArticle(record.itemId);
  await expiration.expireEntries();
  const cache = await caches.open(CACHES.prefetched);
  for (const record of prefetched.slice(0, keepNewest)) {
    if (!(await cache.match(new URL(record.url, location.origin).href))) await removeArticle(record.itemId);
  }
}
