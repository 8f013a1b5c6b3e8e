// GET /api/digest?limit=N: the newest items with their readable articles in one response, for `periodicsync`.
// Clients always revalidate; when nothing changed the answer is a bodiless 304 of a few hundred bytes.
import { Hono } from 'hono';
import { DIGEST_DEFAULT_LIMIT } from '../jobs/prefetch-articles.ts';
import { digestVersion } from './digest.ts';
import { ifNoneMatchIncludes, notModified } from './conditional-get.ts';
import type { Digest } from '../../contract/http.ts';
import { positiveIntParam } from './request-input.ts';

const DIGEST_MAX_LIMIT = 50;
const DIGEST_CACHE_CONTROL = 'no-cache';

export const digestRoutes = new Hono<{ Bindings: Env }>();

digestRoutes.get('/', async (c) => {
  const limit = positiveIntParam(c.req.query('limit'), 'limit', DIGEST_DEFAULT_LIMIT, DIGEST_MAX_LIMIT);
  const version = await digestVersion(c.env.DB, limit);
  if (ifNoneMatchIncludes(c.req.header('If-None-Match'), version.etag))
    return notModified(version.etag, DIGEST_CACHE_CONTROL);
  const digest: Digest = await version.load();
  return c.json(digest, 200, { ETag: version.etag, 'Cache-Control': DIGEST_CACHE_CONTROL });
});
