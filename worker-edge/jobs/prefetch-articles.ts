// A queue message the cron sends after the fan-out: extract the newest items' articles ahead of time, so the digest
// (and the morning train) is served from D1. Bounded per invocation by the plan's budget; items already current,
// or whose site is paused, are skipped.
import { createLimiter } from '../net/concurrency-limiter.ts';
import { ArticleFailure } from '../articles/article-failure.ts';
import { articleFetchSettings } from './article-settings.ts';
import { articleForItem, ITEM_ARTICLE_VERSION_PREFIX } from './get-article.ts';
import type { PageFetchSettings } from '../articles/fetch-article-page.ts';
import { itemsNeedingArticles } from '../store/articles-store.ts';

/** How many items a digest holds unless asked otherwise; the cron keeps this many articles extracted ahead. */
export const DIGEST_DEFAULT_LIMIT = 20;

export interface PrefetchResult {
  extracted: number;
  failed: number;
}

const hostOf = (url: string | null) => (url ? (URL.parse(url)?.host ?? '') : '');

async function prefetchOne(db: D1Database, id: string, settings: PageFetchSettings, now: number): Promise<boolean> {
  try {
    return (await articleForItem(db, id, settings, now)) !== null;
  } catch (error) {
    // One item's trouble must not cost the others their turn; anything but a failed page is worth a log line.
    if (!(error instanceof ArticleFailure))
      console.error(JSON.stringify({ event: 'prefetch_error', itemId: id, error: String(error) }));
    return false;
  }
}

/** Extracts (at most `limit` of) the digest's newest items' articles; the next message picks up the rest. */
export async function prefetchDigestArticles(env: Env, now: number, limit: number): Promise<PrefetchResult> {
  const settings = articleFetchSettings(env);
  const items = await itemsNeedingArticles(env.DB, {
    newest: DIGEST_DEFAULT_LIMIT,
    versionPrefix: ITEM_ARTICLE_VERSION_PREFIX,
    now,
    limit,
  });
  // One page at a time per site, a few sites at once: a burst of ten requests to one publisher is not polite.
  const limiter = createLimiter({ global: 4, perHost: 1 });
  const outcomes = await Promise.all(
    items.map((item) => limiter.run(hostOf(item.url), () => prefetchOne(env.DB, item.id, settings, now))),
  );
  return { extracted: outcomes.filter(Boolean).length, failed: outcomes.filter((ok) => !ok).length };
}
