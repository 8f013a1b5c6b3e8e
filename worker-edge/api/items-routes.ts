// GET /api/items (paged, ETag / 304) and GET /api/items/:id.
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { decodeCursor, getItem, listItems } from '../store/items-store.ts';
import { ApiFailure } from './api-failure.ts';
import { type ItemDetail, type ItemsPage, NO_FOLDER_FILTER } from '../../contract/http.ts';
import { toItemDetail, toItemSummary } from './views.ts';
import { feedIdParam, folderName, positiveIntParam } from './request-input.ts';

export const itemsRoutes = new Hono<{ Bindings: Env }>();

// Clients revalidate every time; an unchanged list costs a 304 and no body.
itemsRoutes.use('*', etag());

itemsRoutes.get('/', async (c) => {
  const limit = positiveIntParam(c.req.query('limit'), 'limit', 30, 100);
  const beforeParam = c.req.query('before');
  const before = beforeParam ? decodeCursor(beforeParam) : null;
  if (beforeParam && !before) throw new ApiFailure(400, 'bad_request', '`before` is not a cursor this API gave out.');
  const feedParam = c.req.query('feed');
  const feedId = feedParam ? feedIdParam(feedParam) : null;
  // An unknown folder, like an unknown feed, has no items; a name no folder could have is a 400. NO_FOLDER_FILTER
  // is the feeds in no folder.
  const folderParam = c.req.query('folder');
  const withoutFolder = folderParam === NO_FOLDER_FILTER;
  const folder = folderParam && !withoutFolder ? folderName(folderParam) : null;
  const { items, next } = await listItems(c.env.DB, { limit, before, feedId, folder, withoutFolder });
  const page: ItemsPage = { items: items.map(toItemSummary), next };
  c.header('Cache-Control', 'no-cache');
  return c.json(page);
});

itemsRoutes.get('/:id', async (c) => {
  const stored = await getItem(c.env.DB, c.req.param('id'));
  if (!stored) throw new ApiFailure(404, 'not_found', 'No item has that id; it may have been removed from its feed.');
  const item: ItemDetail = toItemDetail(stored);
  c.header('Cache-Control', 'no-cache');
  return c.json(item);
});
