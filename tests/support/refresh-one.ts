// One feed refreshed now, through the consumer's own code path (lease, fetch, decide, write once), for tests of the
// feed rules that want one feed's outcome without a queue around it.
import { feedRefreshSettings } from '../../worker-edge/config.ts';
import type { FeedRefreshOutcome, RefreshSettings } from '../../worker-edge/jobs/refresh-feed.ts';
import { refreshFeeds } from '../../worker-edge/jobs/refresh-feeds.ts';
import { PLAN_BUDGETS } from '../../worker-edge/platform/plan-budget.ts';

export const refreshSettings = (env: Env) => feedRefreshSettings(env);

export async function refreshFeed(
  db: D1Database,
  id: number,
  now: number,
  settings: RefreshSettings,
): Promise<FeedRefreshOutcome> {
  const once = { feedIds: [id], attempts: 1, sentAt: now, settled: () => undefined };
  const { outcomes } = await refreshFeeds(db, [once], {
    perHostConcurrency: 2,
    ...settings,
    now,
    budget: PLAN_BUDGETS.paid,
  });
  return outcomes.get(id) ?? { kind: 'failed', message: 'No such feed (or it is gone).', gone: false };
}

/** The feeds with these ids as one first delivery (one queue message), for tests that drive refreshFeeds directly. */
export const firstDelivery = (feedIds: number[], sentAt = Date.now()) => [
  { feedIds, attempts: 1, sentAt, settled: () => undefined },
];
