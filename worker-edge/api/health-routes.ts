// GET /healthz: what an operator checks first: feeds by status, how old the newest item is, when the last refresh ran.
import { Hono } from 'hono';
import { LAST_REFRESH_KEY } from '../feeds/refresh-due-feeds.ts';
import { getMeta } from '../store/meta-store.ts';

export const healthRoutes = new Hono<{ Bindings: Env }>();

healthRoutes.get('/', async (c) => {
  const db = c.env.DB;
  const [byStatus, newest, lastRefresh] = await Promise.all([
    db.prepare('SELECT status, COUNT(*) AS n FROM feeds GROUP BY status').all<{ status: string; n: number }>(),
    db.prepare('SELECT MAX(first_seen_at) AS at FROM items').first<{ at: number | null }>(),
    getMeta(db, LAST_REFRESH_KEY),
  ]);
  const now = Date.now();
  const feeds = { ok: 0, pending: 0, error: 0, gone: 0, ...Object.fromEntries(byStatus.results.map((r) => [r.status, r.n])) };
  c.header('Cache-Control', 'no-store');
  return c.json({
    ok: true,
    feeds,
    newestItemAgeSeconds: newest?.at ? Math.round((now - newest.at) / 1000) : null,
    lastRefreshAt: lastRefresh ? new Date(Number(lastRefresh)).toISOString() : null,
  });
});
