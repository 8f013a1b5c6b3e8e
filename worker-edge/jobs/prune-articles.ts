// Keeps D1 bounded where no feed does it: an item's article goes with its item (the feed's retention), but pages
// read by their address (shared to the app, GET /api/articles?url=) have no feed. They are held to PAGE_BUDGET as
// each one is written (page-budget.ts); the cron applies the same budget again, for a budget lowered since.
// Failures whose retry time passed long ago no longer hold anything back and go too. Run by the cron.
import { pruneStored, type PagesLimit } from '../store/articles-store.ts';
import { PAGE_BUDGET } from '../articles/page-budget.ts';

const FAILURES_KEPT_PAST_RETRY_MS = 7 * 24 * 60 * 60 * 1000;

export interface PruneResult {
  pageArticles: number;
  failures: number;
}

export function pruneArticles(db: D1Database, now: number, limit: PagesLimit = PAGE_BUDGET): Promise<PruneResult> {
  return pruneStored(db, limit, now - FAILURES_KEPT_PAST_RETRY_MS);
}
