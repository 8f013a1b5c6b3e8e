// Bounds on what the background refresh keeps: the reader's offline policy (sw/offline-policy.ts: the newest N
// unread, the last X days, a budget in MB) over the prefetched articles (the reader's own saves are never counted or
// touched), and workbox-expiration over the prefetched cache for age and entries. What storage running out drops,
// and in which order, is sw/make-room.ts'.
import { CacheExpiration } from 'workbox-expiration';
import type { OfflinePolicyStatus, ReaderSettings, RoomDropReason } from '../contract/messages.ts';
import { CACHES } from './cache-names.ts';
import { prefetchedArticles, removeArticle } from './library.ts';
import { articleTime, DAY_MS, decideOfflinePolicy, type PolicyArticle, type PolicyRules } from './offline-policy.ts';
import { readAmong } from './read-state.ts';
import { forget } from './reader-db.ts';
import type { ArticleRecord } from './reader-db.ts';

const expiration = new CacheExpiration(CACHES.prefetched, { maxEntries: 600, maxAgeSeconds: 14 * 24 * 60 * 60 });

export async function notePrefetched(urls: string[]): Promise<void> {
  await Promise.all(urls.map((url) => expiration.updateTimestamp(url)));
}

/** The prefetched articles as the policy sees them, with the reader's read marks from this device. */
async function heldByPolicy(): Promise<Array<ArticleRecord & PolicyArticle>> {
  const prefetched = await prefetchedArticles();
  const read = new Set(await readAmong(prefetched.map((record) => record.itemId)));
  return prefetched.map((record) => ({ ...record, read: read.has(record.itemId) }));
}

/**
 * The prefetched articles in the order the policy gives them up: those it drops at the next refresh (the first to
 * go first), then those it keeps, oldest first. What storage running out takes, in this order.
 */
export async function policyOrder(
  rules: PolicyRules,
  now = Date.now(),
): Promise<Array<{ record: ArticleRecord; reason: RoomDropReason }>> {
  const { keep, drop } = decideOfflinePolicy(await heldByPolicy(), rules, now);
  return [
    ...drop.map(({ article, reason }) => ({ record: article, reason })),
    ...keep.reverse().map((article) => ({ record: article, reason: 'oldest-held' as const })),
  ];
}

/** Drops the prefetched articles the policy lets go, and any whose copies the expiration removed. Returns how many. */
export async function enforceOfflinePolicy(rules: PolicyRules, now = Date.now()): Promise<number> {
  const { keep, drop } = decideOfflinePolicy(await heldByPolicy(), rules, now);
  for (const { article } of drop) await removeArticle(article.itemId);
  await expiration.expireEntries();
  const cache = await caches.open(CACHES.prefetched);
  let dropped = drop.length;
  for (const record of keep) {
    if (await cache.match(new URL(record.url, location.origin).href)) continue;
    await removeArticle(record.itemId);
    dropped++;
  }
  return dropped;
}

const POLICY_FIELDS = ['keepNewest', 'keepDays', 'budgetMb'] as const;

/**
 * The reader changed the policy: it holds from now on. A looser one may want articles the digest already sent, so
 * the digest's ETag goes (the next refresh downloads the digest again rather than a 304 that brings nothing).
 */
export async function applyPolicyChange(before: ReaderSettings, after: ReaderSettings): Promise<void> {
  if (POLICY_FIELDS.every((field) => before[field] === after[field])) return;
  await enforceOfflinePolicy(after);
  await forget('digestEtag');
}

/** What the policy holds now, and the next article it lets go, with why (and when, under a days rule). */
export async function offlinePolicyStatus(rules: PolicyRules, now = Date.now()): Promise<OfflinePolicyStatus> {
  const held = await heldByPolicy();
  const { keep, drop } = decideOfflinePolicy(held, rules, now);
  const heldBytes = held.reduce((sum, record) => sum + (record.bytes ?? 0), 0);
  const pending = drop[0];
  const oldest = keep.at(-1);
  const next = pending
    ? { itemId: pending.article.itemId, title: pending.article.title, reason: pending.reason, at: null }
    : oldest
      ? {
          itemId: oldest.itemId,
          title: oldest.title,
          reason: rules.keepDays > 0 ? ('too-old' as const) : ('beyond-newest' as const),
          at: rules.keepDays > 0 ? articleTime(oldest) + rules.keepDays * DAY_MS : null,
        }
      : null;
  return { held: held.length, heldBytes, next, dueAtNextRefresh: drop.length };
}
