// The digest `periodicsync` fetches: the newest items with their stored articles. Its ETag is computed from the
// items and their articles' ETags alone, so an unchanged digest is answered with a 304 without reading any article.
import type { Digest, ItemSummary } from '../../contract/http.ts';
import { articleEtagsOfItems, getItemArticles } from '../store/articles-store.ts';
import { listItems } from '../store/items-store.ts';
import { sha256Hex } from '../store/stable-id.ts';
import { toArticleView, toItemSummary } from './views.ts';

export interface DigestVersion {
  etag: string;
  load(): Promise<Digest>;
}

/** One query for every article (not one per item: Workers cap the queries a request may make). */
async function loadDigest(db: D1Database, items: ItemSummary[]): Promise<Digest> {
  const articles = await getItemArticles(
    db,
    items.map((item) => item.id),
  );
  return {
    items: items.map((item) => {
      const stored = articles.get(item.id);
      return { ...item, article: stored ? toArticleView(stored.article) : null };
    }),
  };
}

export async function digestVersion(db: D1Database, limit: number): Promise<DigestVersion> {
  const items = (await listItems(db, { limit, before: null, feedId: null })).items.map(toItemSummary);
  const etags = await articleEtagsOfItems(
    db,
    items.map((item) => item.id),
  );
  const fingerprint = JSON.stringify(items.map((item) => [item, etags.get(item.id) ?? null]));
  return {
    etag: `"d-${(await sha256Hex(fingerprint)).slice(0, 32)}"`,
    load: () => loadDigest(db, items),
  };
}
