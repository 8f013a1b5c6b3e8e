// The digest `periodicsync` fetches: the newest items with their stored articles. Its ETag is computed from the
// items and their articles' ETags alone, so an unchanged digest is answered with a 304 without reading any article.
import type { Digest, ItemSummary } from '../api/contract.ts';
import { getItemArticles } from '../store/articles-store.ts';
import { listItems } from '../store/items-store.ts';
import { sha256Hex } from '../store/stable-id.ts';

/** How many items a digest holds unless asked otherwise; the cron keeps this many articles extracted ahead. */
export const DIGEST_DEFAULT_LIMIT = 20;

export interface DigestVersion {
  etag: string;
  load(): Promise<Digest>;
}

async function articleEtags(db: D1Database, itemIds: string[]): Promise<Map<string, string>> {
  if (itemIds.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT item_id, etag FROM articles WHERE item_id IN (${itemIds.map(() => '?').join(', ')})`)
    .bind(...itemIds)
    .all<{ item_id: string; etag: string }>();
  return new Map(results.map((row) => [row.item_id, row.etag]));
}

/** One query for every article (not one per item: Workers cap the queries a request may make). */
async function loadDigest(db: D1Database, items: ItemSummary[]): Promise<Digest> {
  const articles = await getItemArticles(db, items.map((item) => item.id));
  return { items: items.map((item) => ({ ...item, article: articles.get(item.id)?.view ?? null })) };
}

export async function digestVersion(db: D1Database, limit: number): Promise<DigestVersion> {
  const { items } = await listItems(db, { limit, before: null, feedId: null });
  const etags = await articleEtags(db, items.map((item) => item.id));
  const fingerprint = JSON.stringify(items.map((item) => [item, etags.get(item.id) ?? null]));
  return {
    etag: `"d-${(await sha256Hex(fingerprint)).slice(0, 32)}"`,
    load: () => loadDigest(db, items),
  };
}
