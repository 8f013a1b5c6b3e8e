// Room for a write for offline reading that did not fit: the background refresh's copies go, least recently read
// first; the reader's own saves are never touched.
import { prefetchedArticles, removeArticle } from './library.ts';
import { forget } from './reader-db.ts';

/** Last read (or, never read, downloaded) first: what the reader is least likely to miss. */
const lastUsed = (record: { lastReadAt?: number; readyAt: number | null }) =>
  Math.max(record.lastReadAt ?? 0, record.readyAt ?? 0);

/** Drops prefetched articles, least recently read first, until `bytes` are freed or none is left. Returns how many. */
export async function makeRoom(bytes: number, keep: ReadonlySet<string> = new Set()): Promise<number> {
  const prefetched = (await prefetchedArticles())
    .filter((record) => record.state === 'ready' && !keep.has(record.itemId))
    .sort((a, b) => lastUsed(a) - lastUsed(b));
  let freed = 0;
  let dropped = 0;
  for (const record of prefetched) {
    if (freed >= bytes) break;
    await removeArticle(record.itemId);
    freed += record.bytes ?? 0;
    dropped++;
  }
  // Without those articles the digest's ETag would make the next refresh a 304 that brings none of them back.
  if (dropped > 0) await forget('digestEtag');
  return dropped;
}
