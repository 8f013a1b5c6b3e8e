// GET /api/search?q=&limit=&before=&among=: items by what they say (title, summary, article), best match first.
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { parseSearchQuery, SearchQueryError, type SearchQuery } from '../search/search-query.ts';
import { decodeSearchCursor, searchItems, type SearchCursor } from '../store/search-store.ts';
import type { SearchResults } from '../../contract/http.ts';
import { ApiFailure } from './api-failure.ts';
import { positiveIntParam } from './request-input.ts';
import { toSearchHit } from './views.ts';

/** The reader's query and cursor, or a 400 that says what is wrong with them. */
export function readSearchInput(
  q: string | undefined,
  before: string | undefined,
): { query: SearchQuery; before: SearchCursor | null } {
  let query: SearchQuery;
  try {
    query = parseSearchQuery(q ?? '');
  } catch (error) {
    if (error instanceof SearchQueryError) throw new ApiFailure(400, 'bad_request', error.message);
    throw error;
  }
  const cursor = before ? decodeSearchCursor(before) : null;
  if (before && !cursor) throw new ApiFailure(400, 'bad_request', '`before` is not a cursor this search gave out.');
  return { query, before: cursor };
}

const MAX_AMONG = 50;
const ITEM_ID = /^[0-9a-f]{16}$/;

/** `among=<id>,<id>`: which of these items match (at most 50), for a page comparing the edge's hits with others. */
function readAmong(among: string | undefined): string[] | null {
  if (among === undefined) return null;
  const ids = among.split(',').filter((id) => id !== '');
  if (ids.length > MAX_AMONG || !ids.every((id) => ITEM_ID.test(id)))
    throw new ApiFailure(400, 'bad_request', `\`among\` is a list of at most ${MAX_AMONG} item ids, comma-separated.`);
  return ids;
}

export const searchRoutes = new Hono<{ Bindings: Env }>();

searchRoutes.use('*', etag());

searchRoutes.get('/', async (c) => {
  const { query, before } = readSearchInput(c.req.query('q'), c.req.query('before'));
  const limit = positiveIntParam(c.req.query('limit'), 'limit', 20, 50);
  const among = readAmong(c.req.query('among'));
  if (among?.length === 0) return c.json({ items: [], next: null } satisfies SearchResults);
  const { hits, next } = await searchItems(c.env.DB, { ...query, limit, before, among });
  const results: SearchResults = { items: hits.map(toSearchHit), next };
  c.header('Cache-Control', 'no-cache');
  return c.json(results);
});
