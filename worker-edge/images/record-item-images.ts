// After a refresh, registers the images that new and changed items show (in their content, and their lead image),
// so the image proxy will serve them when a page or the service worker asks through /img.
import { sanitizeHtml } from '../html/sanitize-html.ts';
import { replaceItemImages } from '../store/image-refs-store.ts';

interface ChangedItem {
  id: string;
  base_url: string;
  content_html: string;
  image_url: string | null;
}

/** Image URLs exactly as the sanitiser resolves them, whichever markup (src, srcset, lazy data-src) held them. */
function imageSourcesIn(html: string, baseUrl: string): string[] {
  const sources = new Set<string>();
  sanitizeHtml(html, {
    baseUrl,
    rewriteImageUrl: (absoluteUrl) => {
      sources.add(absoluteUrl);
      return absoluteUrl;
    },
  });
  return [...sources];
}

/** Items of the feed written at or after `since` (upserts stamp updated_at): the ones whose images may have changed. */
export async function recordItemImages(db: D1Database, feedId: number, since: number): Promise<void> {
  const { results } = await db
    .prepare(
      `SELECT i.id, COALESCE(i.url, f.url) AS base_url, i.content_html, i.image_url FROM items i JOIN feeds f ON f.id = i.feed_id
       WHERE i.feed_id = ? AND i.updated_at >= ?`,
    )
    .bind(feedId, since)
    .all<ChangedItem>();
  await replaceItemImages(
    db,
    results.map((item) => ({
      id: item.id,
      urls: [...new Set([...(item.image_url ? [item.image_url] : []), ...imageSourcesIn(item.content_html, item.base_url)])],
    })),
  );
}
