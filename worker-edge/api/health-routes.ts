// GET /healthz: whether feeds are flowing, feeds by status, the newest item's age, the last refresh. Degraded and
// starting answer 200 with ok: false: the instance still serves saved articles and pages, and every instance shares
// the same upstream trouble, so a load balancer should keep it. 503 only when the database does not answer.
import { Hono } from 'hono';
import { feedsByStatus } from '../store/feeds-store.ts';
import { getMeta, LAST_REFRESH_KEY } from '../store/meta-store.ts';
import { healthVerdict, type FeedCounts } from './health-verdict.ts';

export const healthRoutes = new Hono<{ Bindings: Env }>();

async function readFacts(db: D1Database) {
  return Promise.all([feedsByStatus(db), getMeta(db, LAST_REFRESH_KEY)]);
}

healthRoutes.get('/', async (c) => {
  c.header('Cache-Control', 'no-store');
  const facts = await readFacts(c.env.DB).catch((error: unknown) => {
    console.error(JSON.stringify({ event: 'health_db_failed', error: String(error) }));
    return null;
  });
  if (!facts) return c.json({ ok: false, status: 'down', summary: 'Down: the database does not answer.' }, 503);
  const [results, lastRefresh] = facts;
  const feeds: FeedCounts = { ok: 0, pending: 0, error: 0, gone: 0 };
  for (const row of results) feeds[row.status] = row.count;
  const latestError = results.find((r) => r.status === 'error')?.latestError ?? null;
  const newestItemAt = results[0]?.newestItemAt ?? null;
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
