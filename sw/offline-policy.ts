// The offline policy, decided in memory: of the articles the background refresh holds or could download, which it
// keeps and which it lets go, and why. Newest first (by publication, then arrival), an article is kept while it is
// unread, younger than `keepDays` (0: any age), among the newest `keepNewest` kept, and within `budgetMb` with the
// newer ones kept; once one is over budget, every older one is too, so the budget keeps a run of the newest.
// The reader's own saves are never offered to it.
import type { PolicyDropReason, ReaderSettings } from '../contract/messages.ts';

export type PolicyRules = Pick<ReaderSettings, 'keepNewest' | 'keepDays' | 'budgetMb'>;

export interface PolicyArticle {
  itemId: string;
  title: string;
  publishedAt: string | null;
  readyAt: number | null;
  bytes: number | null;
  read: boolean;
}

export interface PolicyDecision<T extends PolicyArticle> {
  /** Newest first. */
  keep: T[];
  /** Oldest first: the first to go first. */
  drop: Array<{ article: T; reason: PolicyDropReason }>;
}

export const MB = 1024 * 1024;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** When an article counts from for its age: published, or else when it arrived on the device. */
export function articleTime(article: Pick<PolicyArticle, 'publishedAt' | 'readyAt'>): number {
  const published = article.publishedAt ? Date.parse(article.publishedAt) : Number.NaN;
  return Number.isFinite(published) ? published : (article.readyAt ?? 0);
}

const newestFirst = (a: PolicyArticle, b: PolicyArticle) =>
  articleTime(b) - articleTime(a) || (b.readyAt ?? 0) - (a.readyAt ?? 0) || a.itemId.localeCompare(b.itemId);

export function decideOfflinePolicy<T extends PolicyArticle>(
  articles: T[],
  rules: PolicyRules,
  now: number,
): PolicyDecision<T> {
  const oldestAllowed = rules.keepDays > 0 ? now - rules.keepDays * DAY_MS : Number.NEGATIVE_INFINITY;
  const budget = rules.budgetMb * MB;
  const keep: T[] = [];
  const drop: PolicyDecision<T>['drop'] = [];
  let used = 0;
  let overBudget = false;
  for (const article of [...articles].sort(newestFirst)) {
    let reason: PolicyDropReason | null = null;
    if (article.read) reason = 'read';
    else if (articleTime(article) < oldestAllowed) reason = 'too-old';
    else if (keep.length >= rules.keepNewest) reason = 'beyond-newest';
    else if (overBudget || used + (article.bytes ?? 0) > budget) {
      overBudget = true;
      reason = 'over-budget';
    }
    if (reason) drop.push({ article, reason });
    else {
      keep.push(article);
      used += article.bytes ?? 0;
    }
  }
  return { keep, drop: drop.reverse() };
}
