// Keeps D1 bounded where no feed does it: an item's article goes with its item (the feed's retention), but pages
// read by their address (shared to the app, GET /api/articles?url=) have no feed. The newest PAGE_ARTICLES_KEPT of
// them stay; a page asked for again is extracted again (every 24 h at most), which makes it newest again, so what
// goes is what nobody has asked for in a long while. Their image references go with them (ON DELETE CASCADE).
// Failures whose retry time passed long ago no longer hold anything back and go too. Run by the cron.

export const PAGE_ARTICLES_KEPT = 2000;
const FAILURES_KEPT_PAST_RETRY_MS = 7 * 24 * 60 * 60 * 1000;

export interface PruneResult {
  pageArticles: number;
  failures: number;
}

export async function pruneArticles(db: D1Database, now: number, keep = PAGE_ARTICLES_KEPT): Promise<PruneResult> {
  const [pages, failures] = await db.batch([
    db
      .prepare(
        `DELETE FROM articles WHERE item_id IS NULL AND id NOT IN
           (SELECT id FROM articles WHERE item_id IS NULL ORDER BY extracted_at DESC, id LIMIT ?) RETURNING id`,
      )
      .bind(keep),
    db.prepare('DELETE FROM article_failures WHERE retry_at < ? RETURNING id').bind(now - FAILURES_KEPT_PAST_RETRY_MS),
  ]);
  // Counted from RETURNING: D1's meta.changes also counts the rows a cascade removed.
  return { pageArticles: pages?.results.length ?? 0, failures: failures?.results.length ?? 0 };
}
