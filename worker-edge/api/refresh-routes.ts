// POST /api/refresh (admin; `?force=1` ignores schedules): the same run the cron does.
import { Hono } from 'hono';
import { refreshOptions } from '../config.ts';
import { refreshDueFeeds } from '../feeds/refresh-due-feeds.ts';
import { requireAdmin } from '../middleware/require-admin.ts';
import type { RefreshResult } from './contract.ts';

export const refreshRoutes = new Hono<{ Bindings: Env }>();

refreshRoutes.post('/', requireAdmin(), async (c) => {
  const force = ['1', 'true'].includes(c.req.query('force') ?? '');
  const result: RefreshResult = await refreshDueFeeds(c.env.DB, refreshOptions(c.env, Date.now(), force));
  return c.json(result);
});
