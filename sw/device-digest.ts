// The device's copy of the latest list: the digest's items (without their articles, which the library keeps) and
// sources, as the background refresh last received them, and when the site last confirmed them. Latest offline is
// drawn from it (sw/device-home.ts), a page at a time. Each digest brings only the newest, so the items it has
// pushed out are kept below them (up to DEVICE_LIST_ITEMS): a reader offline can go on to older ones.
import type { Digest, ItemSummary } from '../contract/http.ts';
import { recall, remember, type DigestList } from './reader-db.ts';

/** Summaries are small (a title, a line, a picture's address): this many are a few hundred KB at most. */
export const DEVICE_LIST_ITEMS = 200;

const publishedMs = (item: ItemSummary) => (item.publishedAt ? Date.parse(item.publishedAt) : Number.NaN);

/**
 * The new digest's items, then those of the list before it that are older than all of them, from sources still
 * followed. An earlier item within the digest's span that it no longer names was removed at the edge: it goes.
 */
export function mergedItems(digest: Digest, earlier: ItemSummary[] | undefined): ItemSummary[] {
  const items = digest.items.map(({ article: _article, ...item }) => item);
  const oldest = items.at(-1);
  if (!earlier || !oldest) return items.slice(0, DEVICE_LIST_ITEMS);
  const named = new Set(items.map((item) => item.id));
  const followed = new Set((digest.feeds ?? []).map((feed) => feed.id));
  const start = earlier.findIndex((item) => item.id === oldest.id);
  const older =
    start >= 0
      ? earlier.slice(start + 1)
      : earlier.filter((item) => publishedMs(item) < publishedMs(oldest) || Number.isNaN(publishedMs(oldest)));
  const kept = older.filter((item) => !named.has(item.id) && followed.has(item.feedId));
  return [...items, ...kept].slice(0, DEVICE_LIST_ITEMS);
}

export async function keepDigestList(digest: Digest, receivedAt: number): Promise<void> {
  const earlier = await recall('digestList');
  await remember('digestList', { items: mergedItems(digest, earlier?.items), feeds: digest.feeds ?? [], receivedAt });
}

/** The list and when the site last confirmed it (a 304 confirms it too), or null when the device has none. */
export async function deviceDigest(): Promise<(DigestList & { refreshedAt: number }) | null> {
  const [list, refreshedAt] = await Promise.all([recall('digestList'), recall('digestRefreshedAt')]);
  return list ? { ...list, refreshedAt: Math.max(refreshedAt ?? 0, list.receivedAt) } : null;
}
