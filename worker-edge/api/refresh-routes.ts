// POST /api/refresh (admin; `?force=1` ignores schedules): the cron's fan-out. It answers 202 once the due feeds
// are on the refresh queue; consumers refresh them within minutes (GET /api/feeds shows each one's outcome).
import { Hono } from 'hono';
import { enqueueDueFeeds } from '../jobs/enqueue-due-feeds.ts';
import { requireAdmin } from '../middleware/require-admin.ts';
import type { RefreshQueued } from '../../contract/http.ts';

export const refreshRoutes = new Hono<{ Bindings: Env }>();

refreshRoutes.post('/', requireAdmin(), async (c) => {
  const force = ['1', 'true'].includes(c.req.query('force') ?? '');
  const { queued, continues } = await enqueueDueFeeds(c.env, Date.now(), { force });
  return c.json({ queued, continues } satisfies RefreshQueued, 202);
});
