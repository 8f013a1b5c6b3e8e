// Many articles for one request (the service worker's outbox, the background refresh): items and stored articles
// read once each, the current ones answered as stored, the rest extracted through the same job as a single article
// (get-article.ts), a few at once and at most as many as the plan's budget carries; the others are deferred.
// Each article keeps its own outcome: one failing never fails the others.
import { ArticleFailure } from '../articles/article-failure.ts';
import type { PageFetchSettings } from '../articles/fetch-article-page.ts';
import type { ItemForArticle } from '../model/article.ts';
import { createLimiter } from '../net/concurrency-limiter.ts';
import { getArticles, getItemsForArticles, type StoredArticle } from '../store/articles-store.ts';
import { articleForItem, articleForUrl, itemArticleVersion } from './get-article.ts';

export type BatchOutcome =
  /** `item`: the feed's item, when the article is one's (its page names the feed and has neighbours). */
  | { kind: 'article'; stored: StoredArticle; item: ItemForArticle | null }
  | { kind: 'missing' }
  | { kind: 'failed'; failure: ArticleFailure }
  /** Past what one invocation may extract: asked again, it is extracted then. */
  | { kind: 'deferred' };

export interface BatchLimits {
  extractions: number;
  /** Outbound fetches at once (Cloudflare's 6 connections, D1 included). */
  atOnce: number;
}

async function outcomeOf(
  extract: () => Promise<StoredArticle | null>,
  item: ItemForArticle | null,
): Promise<BatchOutcome> {
  try {
    const stored = await extract();
    return stored ? { kind: 'article', stored, item } : { kind: 'missing' };
  } catch (error) {
    if (error instanceof ArticleFailure) return { kind: 'failed', failure: error };
    throw error;
  }
}

export async function articlesForBatch(
  db: D1Database,
  request: { ids: string[]; urls: string[] },
  settings: PageFetchSettings,
  limits: BatchLimits,
  now: number,
): Promise<{ ids: Map<string, BatchOutcome>; urls: Map<string, BatchOutcome> }> {
  const [items, stored] = await Promise.all([getItemsForArticles(db, request.ids), getArticles(db, request.ids)]);
  const ids = new Map<string, BatchOutcome>();
  const urls = new Map<string, BatchOutcome>();
  const toExtract: Array<{
    into: Map<string, BatchOutcome>;
    key: string;
    item: ItemForArticle | null;
    extract: () => Promise<StoredArticle | null>;
  }> = [];
  for (const id of request.ids) {
    const item = items.get(id);
    const article = stored.get(id) ?? null;
    // A page saved by its address (shared to the app) has an article of its own id and no item.
    if (!item) ids.set(id, article ? { kind: 'article', stored: article, item: null } : { kind: 'missing' });
    else if (article?.version === itemArticleVersion(item.contentHash))
      ids.set(id, { kind: 'article', stored: article, item });
    else
      toExtract.push({ into: ids, key: id, item, extract: () => articleForItem(db, id, settings, now, item, article) });
  }
  for (const url of request.urls)
    toExtract.push({ into: urls, key: url, item: null, extract: () => articleForUrl(db, url, settings, now) });

  const limiter = createLimiter({ global: limits.atOnce, perHost: limits.atOnce });
  await Promise.all(
    toExtract.map(async ({ into, key, item, extract }, i) => {
      if (i >= limits.extractions) into.set(key, { kind: 'deferred' });
      else into.set(key, await limiter.run('batch', () => outcomeOf(extract, item)));
    }),
  );
  return { ids, urls };
}
