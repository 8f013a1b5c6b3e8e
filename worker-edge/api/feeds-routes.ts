// GET /api/feeds, POST /api/feeds (subscribe, autodiscovery), DELETE /api/feeds/:id.
import { Hono } from 'hono';
import { feedRefreshSettings } from '../config.ts';
import { subscribe } from '../jobs/subscribe.ts';
import { requireAdmin } from '../middleware/require-admin.ts';
import { deleteFeed, listFeedViews } from '../store/feeds-store.ts';
import { ApiFailure } from './api-failure.ts';
import type { FeedCreated, FeedsResponse } from './contract.ts';
import { feedIdParam, readJsonObject } from './request-input.ts';

export const feedsRoutes = new Hono<{ Bindings: Env }>();

feedsRoutes.get('/', async (c) => {
  c.header('Cache-Control', 'no-cache');
  return c.json({ feeds: await listFeedViews(c.env.DB) } satisfies FeedsResponse);
});

feedsRoutes.post('/', requireAdmin(), async (c) => {
  const body = await readJsonObject(c);
  const now = Date.now();
  const { feed, created } = await subscribe(c.env.DB, body.url, now, feedRefreshSettings(c.env));
  return c.json({ feed } satisfies FeedCreated, created ? 201 : 200);
});

feedsRoutes.delete('/:id', requireAdmin(), async (c) => {
  if (!(await deleteFeed(c.env.DB, feedIdParam(c.req.param('id'))))) throw new ApiFailure(404, 'not_found', 'No feed has that id.');
  return c.body(null, 204);
});
