// The device's copy of the latest list: the digest's items (without their articles, which the library keeps) and
// sources, as the background refresh last received them, and when the site last confirmed them. Latest offline is
// drawn from it (sw/device-home.ts).
import type { Digest } from '../contract/http.ts';
import { recall, remember, type DigestList } from './reader-db.ts';

export async function keepDigestList(digest: Digest, receivedAt: number): Promise<void> {
  const items = digest.items.map(({ article: _article, ...item }) => item);
  await remember('digestList', { items, feeds: digest.feeds ?? [], receivedAt });
}

/** The list and when the site last confirmed it (a 304 confirms it too), or null when the device has none. */
export async function deviceDigest(): Promise<(DigestList & { refreshedAt: number }) | null> {
  const [list, refreshedAt] = await Promise.all([recall('digestList'), recall('digestRefreshedAt')]);
  return list ? { ...list, refreshedAt: Math.max(refreshedAt ?? 0, list.receivedAt) } : null;
}
