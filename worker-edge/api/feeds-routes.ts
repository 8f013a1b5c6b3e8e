// GET /api/feeds, POST /api/feeds (subscribe, autodiscovery), PATCH /api/feeds/:id (its folder), DELETE /api/feeds/:id.
import { Hono } from 'hono';
import { feedRefreshSettings } from '../config.ts';
import { subscribe } from '../jobs/subscribe.ts';
import { SubscribeFailure } from '../jobs/subscribe-failure.ts';
import { requireAdmin } from '../middleware/require-admin.ts';
import { deleteFeed, listFeeds, setFeedFolder } from '../store/feeds-store.ts';
import { ApiFailure } from './api-failure.ts';
import type { FeedCreated, FeedsResponse, FeedUpdated } from '../../contract/http.ts';
import { feedIdParam, folderName, readJsonObject } from './request-input.ts';
import { toFeedView } from './views.ts';

const SUBSCRIBE_FAILURE_ANSWERS = {
  'invalid-url': [400, 'invalid_url'],
  'blocked-address': [400, 'blocked_address'],
  upstream: [502, 'upstream'],
  'not-a-feed': [422, 'not_a_feed'],
} as const;

function toApiFailure(failure: SubscribeFailure): ApiFailure {
  const [status, code] = SUBSCRIBE_FAILURE_ANSWERS[failure.reason];
  return new ApiFailure(status, code, failure.message);
}

export const feedsRoutes = new Hono<{ Bindings: Env }>();

feedsRoutes.get('/', async (c) => {
  c.header('Cache-Control', 'no-cache');
  return c.json({ feeds: (await listFeeds(c.env.DB)).map(toFeedView) } satisfies FeedsResponse);
});

feedsRoutes.post('/', requireAdmin(), async (c) => {
  const body = await readJsonObject(c);
  const now = Date.now();
  const { feed, created } = await subscribe(c.env.DB, body.url, now, feedRefreshSettings(c.env)).catch(
    (error: unknown) => {
      throw error instanceof SubscribeFailure ? toApiFailure(error) : error;
    },
  );
  return c.json({ feed: toFeedView(feed) } satisfies FeedCreated, created ? 201 : 200);
});

feedsRoutes.patch('/:id', requireAdmin(), async (c) => {
  const id = feedIdParam(c.req.param('id'));
  const body = await readJsonObject(c);
  if (!('folder' in body))
    throw new ApiFailure(400, 'bad_request', 'Send `{ "folder": "<name>" }`, or `{ "folder": null }` for no folder.');
  const folder = body.folder === null ? null : folderName(body.folder);
  const feed = await setFeedFolder(c.env.DB, id, folder);
  if (!feed) throw new ApiFailure(404, 'not_found', 'No feed has that id.');
  return c.json({ feed: toFeedView(feed) } satisfies FeedUpdated);
});

feedsRoutes.delete('/:id', requireAdmin(), async (c) => {
  if (!(await deleteFeed(c.env.DB, feedIdParam(c.req.param('id')))))
    throw new ApiFailure(404, 'not_found', 'No feed has that id.');
  return c.body(null, 204);
});
