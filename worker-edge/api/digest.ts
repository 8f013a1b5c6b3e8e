// The digest `periodicsync` fetches: the newest items with their stored articles. Its ETag is computed from the
// items, their articles' ETags and the sources' names and folders alone (not their fetch times), so an unchanged
// digest is answered with a 304 without reading any article.
import type { Digest, DigestFeed, ItemSummary } from '../../contract/http.ts';
import { articleEtagsOfItems, getItemArticles } from '../store/articles-store.ts';
import { listFeeds } from '../store/feeds-store.ts';
import { listItems } from '../store/items-store.ts';
import { sha256Hex } from '../store/stable-id.ts';
import { toArticleView, toFeedView, toItemSummary } from './views.ts';

export interface DigestVersion {
  etag: string;
  load(): Promise<Digest>;
}

/** One query for every article (not one per item: Workers cap the queries a request may make). */
async function loadDigest(db: D1Database, items: ItemSummary[], feeds: DigestFeed[]): Promise<Digest> {
  const articles = await getItemArticles(
    db,
    items.map((item) => item.id),
  );
  return {
    items: items.map((item) => {
      const stored = articles.get(item.id);
      return { ...item, article: stored ? toArticleView(stored.article) : null };
    }),
    feeds,
  };
}

export async function digestVersion(db: D1Database, limit: number): Promise<DigestVersion> {
  const [page, counted] = await Promise.all([listItems(db, { limit, before: null, feedId: null }), listFeeds(db)]);
  const items = page.items.map(toItemSummary);
  const feeds = counted.map(toFeedView).map(({ id, title, folder }) => ({ id, title, folder }));
  const etags = await articleEtagsOfItems(
    db,
    items.map((item) => item.id),
  );
  const fingerprint = JSON.stringify([items.map((item) => [item, etags.get(item.id) ?? null]), feeds]);
  return {
    etag: `"d-${(await sha256Hex(fingerprint)).slice(0, 32)}"`,
    load: () => loadDigest(db, items, feeds),
  };
}
