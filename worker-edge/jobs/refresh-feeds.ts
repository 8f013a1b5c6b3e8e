// A consumer's refresh of the feeds its messages name: one query reads every row, the feeds run
// concurrently within the invocation's connection and per-host limits, and the outcomes that were not written
// with their items (304s, unchanged bodies, failures, deferrals) are written together at the end.
// Feeds of messages an earlier consumer died on run last, one at a time, after the others' outcomes are safe.
import { createLimiter } from '../net/concurrency-limiter.ts';
import { blockHost, blockedHosts } from '../store/host-backoff-store.ts';
import { feedsToRefresh, outcomeStatements, type FeedRow } from '../store/feeds-store.ts';
import { writeBatch } from '../store/write-batch.ts';
import {
  deferred,
  hostOf,
  internalFailure,
  refreshTakenFeed,
  type FeedRefresh,
  type FeedRefreshOutcome,
  type RefreshRun,
  type RefreshSettings,
} from './refresh-feed.ts';
import {
  CONSUMER_FIXED_STATEMENTS,
  CONSUMER_FIXED_SUBREQUESTS,
  SUBREQUESTS_PER_FEED,
  type PlanBudget,
} from '../platform/plan-budget.ts';

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

/** One queue message's share of the work: its feeds, how often it was delivered, when it was sent. */
export interface Delivery {
  feedIds: number[];
  /** Above 1: an earlier consumer died (or threw) on this message. */
  attempts: number;
  sentAt: number;
  /** Called once every feed of the delivery has its outcome stored. */
  settled(): void;
}

/**
 * Refreshes the feeds of these deliveries. First deliveries run all at once and are settled after their outcomes
 * are written. A redelivered message's feeds that were refreshed since it was sent are skipped; the rest run one at
 * a time, each written before the next starts, so the one that keeps killing the consumer is always the first left:
 * after MAX_LOST_DELIVERIES, that one is marked failing instead of fetched.
 */
export async function refreshFeeds(
  db: D1Database,
  deliveries: Delivery[],
  options: RefreshBatchOptions,
): Promise<RefreshBatchResult> {
  const { now, budget } = options;
  const ids = [...new Set(deliveries.flatMap((d) => d.feedIds))];
  const [rows, paused] = await Promise.all([feedsToRefresh(db, ids), blockedHosts(db, now)]);
  const byId = new Map(rows.map((row) => [row.id, row]));
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

  const refreshOne = async (feed: FeedRow, attempts = 1): Promise<FeedRefresh> => {
    const started = Date.now();
    let result: FeedRefresh;
    if (subrequestsLeft < SUBREQUESTS_PER_FEED) {
      result = deferred(feed, now, 'this run reached its subrequest budget');
    } else {
      try {
        result = await refreshTakenFeed(run, feed, attempts);
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
    if (moves.length + pending.length > 0) await writeBatch(db, [...moves, ...outcomeStatements(db, pending)]);
  };

  const first = deliveries.filter((d) => d.attempts <= 1);
  const again = deliveries.filter((d) => d.attempts > 1);
  const firstFeeds = [...new Set(first.flatMap((d) => d.feedIds))].flatMap((id) => byId.get(id) ?? []);
  const limiter = createLimiter({ global: budget.connections, perHost: options.perHostConcurrency });
  await writePending(
    await Promise.all(firstFeeds.map((feed) => limiter.run(hostOf(feed.url), () => refreshOne(feed)))),
  );
  for (const delivery of first) delivery.settled();

  for (const delivery of again) {
    const left = delivery.feedIds
      .flatMap((id) => byId.get(id) ?? [])
      .filter((f) => !(f.last_fetched_at !== null && f.last_fetched_at >= delivery.sentAt));
    for (const [index, feed] of left.entries()) {
      if (outcomes.has(feed.id)) continue;
      await writePending([await refreshOne(feed, index === 0 ? delivery.attempts : 1)]);
    }
    delivery.settled();
  }
  return { outcomes, fetches };
}
