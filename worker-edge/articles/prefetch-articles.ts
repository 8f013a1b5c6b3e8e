// A queue message the cron sends after the fan-out: extract the newest items' articles ahead of time, so the digest
// (and the morning train) is served from D1. Bounded per invocation by the plan's budget; items already current,
// or whose site is paused, are skipped.
import { createLimiter } from '../net/concurrency-limiter.ts';
import { ArticleFailure } from './article-failure.ts';
import { articleFetchSettings } from './article-settings.ts';
import { DIGEST_DEFAULT_LIMIT } from './digest.ts';
import { articleForItem, ITEM_ARTICLE_VERSION_PREFIX } from './get-article.ts';
import type { PageFetchSettings } from './fetch-article-page.ts';

export interface PrefetchResult {
  extracted: number;
  failed: number;
}

/** Among the digest's newest items, those whose article is missing or out of date and not waiting out a failure. */
async function itemsNeedingArticles(db: D1Database, now: number, limit: number) {
  const { results } = await db
    .prepare(
      `SELECT i.id, i.url FROM (SELECT id, url, content_hash, sort_at FROM items ORDER BY sort_at DESC, id DESC LIMIT ?1) i
       LEFT JOIN articles a ON a.item_id = i.id
       LEFT JOIN article_failures f ON f.id = i.id
       WHERE (a.id IS NULL OR a.version != (?2 || i.content_hash))
         AND (f.id IS NULL OR f.retry_at <= ?3 OR f.version != (?2 || i.content_hash))
       ORDER BY i.sort_at DESC, i.id DESC LIMIT ?4`,
    )
    .bind(DIGEST_DEFAULT_LIMIT, ITEM_ARTICLE_VERSION_PREFIX, now, limit)
    .all<{ id: string; url: string | null }>();
  return results;
}

const hostOf = (url: string | null) => (url ? (URL.parse(url)?.host ?? '') : '');

async function prefetchOne(db: D1Database, id: string, settings: PageFetchSettings, now: number): Promise<boolean> {
  try {
    return (await articleForItem(db, id, settings, now)) !== null;
  } catch (error) {
    // One item's trouble must not cost the others their turn; anything but a failed page is worth a log line.
    if (!(error instanceof ArticleFailure)) console.error(JSON.stringify({ event: 'prefetch_error', itemId: id, error: String(error) }));
    return false;
  }
}

/** Extracts (at most `limit` of) the digest's newest items' articles; the next message picks up the rest. */
export async function prefetchDigestArticles(env: Env, now: number, limit: number): Promise<PrefetchResult> {
  const settings = articleFetchSettings(env);
  const items = await itemsNeedingArticles(env.DB, now, limit);
  // One page at a time per site, a few sites at once: a burst of ten requests to one publisher is not polite.
  const limiter = createLimiter({ global: 4, perHost: 1 });
  const outcomes = await Promise.all(items.map((item) => limiter.run(hostOf(item.url), () => prefetchOne(env.DB, item.id, settings, now))));
  return { extracted: outcomes.filter(Boolean).length, failed: outcomes.filter((ok) => !ok).length };
}
