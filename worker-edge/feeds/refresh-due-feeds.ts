// A refresh run: the cron, POST /api/refresh and the lazy refresh on page views all come here.
// Feeds run concurrently within per-host and global limits; one feed's failure never stops the others.
import type { RefreshResult } from '../api/contract.ts';
import { createLimiter } from '../net/concurrency-limiter.ts';
import { blockedHosts, deferHostFeeds } from '../store/host-backoff-store.ts';
import { dueFeeds, recordFailure, type FeedRow } from '../store/feeds-store.ts';
import { setMeta } from '../store/meta-store.ts';
import { errorBackoff } from './schedule.ts';
import { refreshFeed, type FeedRefreshOutcome, type RefreshSettings } from './refresh-feed.ts';

export interface RefreshRunOptions extends RefreshSettings {
  now: number;
  /** How many feeds this run may fetch: Workers cap subrequests per invocation. */
  batch: number;
  /** Ignore schedules (not host backoffs: a host that asked us to wait is still left alone). */
  force: boolean;
  /** Workers allow 6 simultaneous outbound connections per invocation. */
  globalConcurrency: number;
  perHostConcurrency: number;
}

export const LAST_REFRESH_KEY = 'last_refresh_at';

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

function logRefresh(feed: FeedRow, outcome: FeedRefreshOutcome, ms: number): void {
  const base = { event: 'feed_refresh', feedId: feed.id, url: feed.url, ms };
  const detail =
    outcome.kind === 'refreshed'
      ? { outcome: 'refreshed', added: outcome.added, updated: outcome.updated, bytes: outcome.bytes }
      : outcome.kind === 'failed'
        ? { outcome: outcome.gone ? 'gone' : 'failed', error: outcome.message }
        : { outcome: 'not-modified' };
  console.log(JSON.stringify({ ...base, ...detail }));
}

async function refreshOne(db: D1Database, feed: FeedRow, options: RefreshRunOptions): Promise<FeedRefreshOutcome> {
  const started = Date.now();
  let outcome: FeedRefreshOutcome;
  try {
    outcome = await refreshFeed(db, feed.id, options.now, options);
  } catch (error) {
    // A bug or a storage failure on one feed must not take the run down: record it and go on.
    const message = `Internal error while refreshing: ${error instanceof Error ? error.message : String(error)}`;
    await recordFailure(db, feed.id, options.now, { message, gone: false, nextFetchAt: options.now + errorBackoff(feed.error_count + 1) }).catch(
      () => undefined,
    );
    outcome = { kind: 'failed', message, gone: false };
  }
  logRefresh(feed, outcome, Date.now() - started);
  return outcome;
}

export async function refreshDueFeeds(db: D1Database, options: RefreshRunOptions): Promise<RefreshResult> {
  const [feeds, blocked] = await Promise.all([dueFeeds(db, options.now, options.batch, options.force), blockedHosts(db, options.now)]);

  const waiting = new Map<number, number[]>();
  const runnable: FeedRow[] = [];
  for (const feed of feeds) {
    const until = blocked.get(hostOf(feed.url));
    if (until === undefined) runnable.push(feed);
    else waiting.set(until, [...(waiting.get(until) ?? []), feed.id]);
  }
  await Promise.all([...waiting].map(([until, ids]) => deferHostFeeds(db, ids, until)));

  const limiter = createLimiter({ global: options.globalConcurrency, perHost: options.perHostConcurrency });
  const outcomes = await Promise.all(runnable.map((feed) => limiter.run(hostOf(feed.url), () => refreshOne(db, feed, options))));
  await setMeta(db, LAST_REFRESH_KEY, String(options.now));

  return {
    refreshed: outcomes.filter((o) => o.kind === 'refreshed').length,
    notModified: outcomes.filter((o) => o.kind === 'not-modified').length,
    failed: outcomes.filter((o) => o.kind === 'failed').length,
  };
}
