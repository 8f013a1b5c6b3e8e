// A consumer's refresh of the feeds its messages name: one query reads every row, the feeds run
// concurrently within the invocation's connection and per-host limits, and the outcomes that were not written
// with their items (304s, unchanged bodies, failures, deferrals) are written together at the end.
// Feeds whose messages earlier consumers died on run last, one at a time, after the others' outcomes are safe.
import { createLimiter } from '../net/concurrency-limiter.ts';
import { blockHost, blockedHosts } from '../store/host-backoff-store.ts';
import { feedsToRefresh, outcomeStatements, type FeedRow } from '../store/feeds-store.ts';
import {
  deferred,
  hostOf,
  internalFailure,
  refreshTakenFeed,
  type FeedRefresh,
  type FeedRefreshOutcome,
  type RefreshRun,
  type RefreshSettings,
} from '../feeds/refresh-feed.ts';
import { CONSUMER_FIXED_STATEMENTS, CONSUMER_FIXED_SUBREQUESTS, SUBREQUESTS_PER_FEED, type PlanBudget } from '../platform/plan-budget.ts';

export interface RefreshBatchOptions extends RefreshSettings {
  now: number;
  budget: PlanBudget;
  perHostConcurrency: number;
}

export interface RefreshBatchResult {
  /** Outcome by feed id; feeds that are gone or unknown are absent (nothing to do for them). */
  outcomes: Map<number, FeedRefreshOutcome>;
  /** Outbound requests made (every redirect hop counts). */
  fetches: number;
}

function logRefresh(feed: FeedRow, outcome: FeedRefreshOutcome, ms: number): void {
  const base = { event: 'feed_refresh', feedId: feed.id, url: feed.url, ms };
  const detail =
    outcome.kind === 'refreshed'
      ? { outcome: 'refreshed', added: outcome.added, updated: outcome.updated, bytes: outcome.bytes }
      : outcome.kind === 'failed'
        ? { outcome: outcome.gone ? 'gone' : 'failed', error: outcome.message }
        : outcome.kind === 'deferred'
          ? { outcome: 'deferred', until: new Date(outcome.until).toISOString(), reason: outcome.reason }
          : { outcome: 'not-modified' };
  console.log(JSON.stringify({ ...base, ...detail }));
}

/**
 * Refreshes the feeds with these ids. `onSettled` runs after each group of outcomes is written (the consumer acks
 * those messages there), so a consumer that dies later does not take finished feeds down with it.
 */
export async function refreshFeeds(
  db: D1Database,
  ids: number[],
  options: RefreshBatchOptions,
  onSettled: (ids: number[]) => void = () => undefined,
  attemptsOf: (id: number) => number = () => 1,
): Promise<RefreshBatchResult> {
  const { now, budget } = options;
  const [feeds, paused] = await Promise.all([feedsToRefresh(db, ids), blockedHosts(db, now)]);
  let statementsLeft = budget.d1Queries - CONSUMER_FIXED_STATEMENTS;
  let subrequestsLeft = budget.subrequests - CONSUMER_FIXED_SUBREQUESTS;
  let fetches = 0;
  const countingFetch: typeof fetch = (input, init) => {
    subrequestsLeft -= 1;
    fetches += 1;
    return (options.fetchImpl ?? fetch)(input, init);
  };
  const run: RefreshRun = {
    db,
    now,
    settings: { ...options, fetchImpl: countingFetch },
    blockedHosts: paused,
    async pauseHost(host, until, reason) {
      paused.set(host, Math.max(until, paused.get(host) ?? 0));
      statementsLeft -= 1;
      subrequestsLeft -= 1;
      await blockHost(db, host, until, reason);
    },
    spendStatements(n) {
      // The items read and the write batch: two round trips.
      subrequestsLeft -= 2;
      if (n > statementsLeft) return false;
      statementsLeft -= n;
      return true;
    },
  };
  const outcomes = new Map<number, FeedRefreshOutcome>();

  const refreshOne = async (feed: FeedRow): Promise<FeedRefresh> => {
    const started = Date.now();
    let result: FeedRefresh;
    if (subrequestsLeft < SUBREQUESTS_PER_FEED) {
      result = deferred(feed, now, 'this run reached its subrequest budget');
    } else {
      try {
        result = await refreshTakenFeed(run, feed, attemptsOf(feed.id));
      } catch (error) {
        // A bug or a storage failure on one feed must not take the batch down: record it and go on.
        result = internalFailure(feed, now, error);
      }
    }
    logRefresh(feed, result.outcome, Date.now() - started);
    outcomes.set(feed.id, result.outcome);
    return result;
  };

  const writePending = async (results: FeedRefresh[]) => {
    const moves = results.flatMap((r) => r.extra);
    const pending = results.flatMap((r) => (r.pending ? [r.pending] : []));
    if (moves.length + pending.length > 0) await db.batch([...moves, ...outcomeStatements(db, pending)]);
  };

  // Feeds no consumer died on, all at once; then the suspects, alone, each written before the next starts.
  const clean = feeds.filter((f) => attemptsOf(f.id) <= 1);
  const suspects = feeds.filter((f) => attemptsOf(f.id) > 1);
  const limiter = createLimiter({ global: budget.connections, perHost: options.perHostConcurrency });
  const cleanResults = await Promise.all(clean.map((feed) => limiter.run(hostOf(feed.url), () => refreshOne(feed))));
  await writePending(cleanResults);
  const leased = new Set(feeds.map((f) => f.id));
  onSettled([...clean.map((f) => f.id), ...ids.filter((id) => !leased.has(id))]);
  for (const feed of suspects) {
    await writePending([await refreshOne(feed)]);
    onSettled([feed.id]);
  }
  return { outcomes, fetches };
}
