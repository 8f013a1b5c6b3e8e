// GET /healthz: what an operator checks first: whether feeds are flowing (status, summary), feeds by status, how old
// the newest item is, when the last refresh ran.
//
// Degraded and starting answer 200 with ok: false. A load balancer reads the HTTP status as "can this instance
// serve?", and it can: saved articles, cached items and the pages all work while feeds fail, and every instance
// shares the same upstream trouble, so taking one out of rotation would help nobody. 503 is kept for an instance
// that cannot serve anything: its database does not answer.
import { Hono } from 'hono';
import { getMeta, LAST_REFRESH_KEY } from '../store/meta-store.ts';
import { healthVerdict, type FeedCounts } from './health-verdict.ts';

export const healthRoutes = new Hono<{ Bindings: Env }>();

interface StatusRow {
  status: keyof FeedCounts;
  n: number;
  latest_error: string | null;
  newest_item_at: number | null;
}

// One query for the feeds and the newest item (items go with their feed, so no feeds means no items). With MAX() in
// the select list, SQLite takes the bare last_error from the row holding the maximum: per status, the error of the
// most recently fetched feed.
const FEEDS_BY_STATUS = `SELECT status, COUNT(*) AS n, last_error AS latest_error, MAX(last_fetched_at) AS fetched_at,
    (SELECT MAX(first_seen_at) FROM items) AS newest_item_at
  FROM feeds GROUP BY status`;

async function readFacts(db: D1Database) {
  return Promise.all([db.prepare(FEEDS_BY_STATUS).all<StatusRow>(), getMeta(db, LAST_REFRESH_KEY)]);
}

healthRoutes.get('/', async (c) => {
  c.header('Cache-Control', 'no-store');
  const facts = await readFacts(c.env.DB).catch((error: unknown) => {
    console.error(JSON.stringify({ event: 'health_db_failed', error: String(error) }));
    return null;
  });
  if (!facts) return c.json({ ok: false, status: 'down', summary: 'Down: the database does not answer.' }, 503);
  const [{ results }, lastRefresh] = facts;
  const feeds: FeedCounts = { ok: 0, pending: 0, error: 0, gone: 0 };
  for (const row of results) feeds[row.status] = row.n;
  const latestError = results.find((r) => r.status === 'error')?.latest_error ?? null;
  const newestItemAt = results[0]?.newest_item_at ?? null;
  const { status, summary } = healthVerdict(feeds, latestError);
  return c.json({
    ok: status === 'ok',
    status,
    summary,
    feeds,
    newestItemAgeSeconds: newestItemAt ? Math.round((Date.now() - newestItemAt) / 1000) : null,
    lastRefreshAt: lastRefresh ? new Date(Number(lastRefresh)).toISOString() : null,
  });
});
