// Keeps D1 bounded where no feed does it: an item's article goes with its item (the feed's retention), but pages
// read by their address (shared to the app, GET /api/articles?url=) have no feed. They are held to PAGE_BUDGET as
// each one is written (page-budget.ts); the cron applies the same budget again, for a budget lowered since.
// Failures whose retry time passed long ago no longer hold anything back and go too. Run by the cron.
import { evictPagesStatement, type PagesLimit } from '../store/articles-store.ts';
import { PAGE_BUDGET } from './page-budget.ts';

const FAILURES_KEPT_PAST_RETRY_MS = 7 * 24 * 60 * 60 * 1000;

export interface PruneResult {
  pageArticles: number;
  failures: number;
}

export async function pruneArticles(db: D1Database, now: number, limit: PagesLimit = PAGE_BUDGET): Promise<PruneResult> {
  const [pages, failures] = await db.batch([
    evictPagesStatement(db, limit),
    db.prepare('DELETE FROM article_failures WHERE retry_at < ? RETURNING id').bind(now - FAILURES_KEPT_PAST_RETRY_MS),
  ]);
  // Counted from RETURNING: D1's meta.changes also counts the rows a cascade removed.
  return { pageArticles: pages?.results.length ?? 0, failures: failures?.results.length ?? 0 };
}
