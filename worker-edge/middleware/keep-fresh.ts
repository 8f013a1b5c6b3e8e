// Locally, crons do not fire by themselves; in production a fresh deployment should not wait 15 minutes.
// So readers' requests also keep the data fresh: seed on first use, and when the last fan-out is older than the cron
// interval, send one fan-out message (a consumer enqueues the due feeds; the page view never fetches a feed and
// costs one subrequest). Checked at most once a minute per isolate.
import type { MiddlewareHandler } from 'hono';
import { seedDefaultFeeds } from '../jobs/seed-default-feeds.ts';
import { MIN_INTERVAL_MS } from '../feeds/schedule.ts';
import { requestFanOut } from '../jobs/enqueue-due-feeds.ts';
import { getMeta, LAST_REFRESH_KEY, setMeta } from '../store/meta-store.ts';

const CHECK_EVERY_MS = 60_000;
let nextCheckAt = 0;

/** `force`: sources were just added, so they are due however recent the last fan-out. */
export async function refreshIfStale(env: Env, now: number, force = false): Promise<void> {
  const last = Number(await getMeta(env.DB, LAST_REFRESH_KEY));
  if (!force && Number.isFinite(last) && now - last < MIN_INTERVAL_MS) return;
  // Mark the run as started, so other isolates seeing the same staleness do not start another.
  await setMeta(env.DB, LAST_REFRESH_KEY, String(now));
  await requestFanOut(env);
}

export function keepFresh(): MiddlewareHandler<{ Bindings: Env }> {
  return async function keepFreshOnRead(c, next) {
    const now = Date.now();
    if (c.req.method === 'GET' && now >= nextCheckAt) {
      nextCheckAt = now + CHECK_EVERY_MS;
      let seeded = 0;
      try {
        // Seeding is awaited (cheap, once) so the very first page already lists the sources.
        seeded = await seedDefaultFeeds(c.env, now);
      } catch (error) {
        // An unreachable seed list must not keep the feeds already subscribed from being refreshed.
        console.error('seeding the default feeds failed', error);
      }
      c.executionCtx.waitUntil(
        refreshIfStale(c.env, now, seeded > 0).catch((error) => console.error('background refresh failed', error)),
      );
    }
    await next();
  };
}

/** For tests: forget when this isolate last checked. */
export function resetKeepFreshClock(): void {
  nextCheckAt = 0;
}
