// GET /search?q=&source=&before=: the search page. The same reading of the query as GET /api/search, and a query
// the reader must fix is answered 400 with the form and what to change, never a failure page.
import { Hono } from 'hono';
import { ApiFailure } from '../api/api-failure.ts';
import { readSearchInput } from '../api/search-routes.ts';
import { toFeedView, toSearchHit } from '../api/views.ts';
import { pageSecurity } from '../middleware/page-security.ts';
import { snippetParts } from '../search/snippet.ts';
import { listFeeds } from '../store/feeds-store.ts';
import { searchItems } from '../store/search-store.ts';
import { searchPageUrl } from '../../contract/paths.ts';
import { SearchPage } from './search-page.tsx';

const HITS_PER_PAGE = 20;

export const searchPageRoutes = new Hono<{ Bindings: Env }>();

searchPageRoutes.use('*', pageSecurity());

searchPageRoutes.get('/', async (c) => {
  const q = c.req.query('q');
  const sourceParam = c.req.query('source') ?? '';
  const sourceId = /^[1-9][0-9]{0,15}$/.test(sourceParam) ? Number(sourceParam) : null;
  const headers = { 'Cache-Control': 'no-cache' };
  const page = { query: q ?? '', sourceId, problem: null, hits: null, nextHref: null };
  if (q === undefined) {
    const feeds = (await listFeeds(c.env.DB)).map(toFeedView);
    return c.html(<SearchPage {...page} feeds={feeds} />, 200, headers);
  }
  let input: ReturnType<typeof readSearchInput>;
  try {
    input = readSearchInput(q, c.req.query('before'));
  } catch (error) {
    if (!(error instanceof ApiFailure)) throw error;
    const feeds = (await listFeeds(c.env.DB)).map(toFeedView);
    return c.html(<SearchPage {...page} feeds={feeds} problem={error.message} />, 400, headers);
  }
  const source = input.query.source ?? (sourceId === null ? null : { kind: 'id' as const, id: sourceId });
  // Both at once: on D1 each is a round trip.
  const [counted, results] = await Promise.all([
    listFeeds(c.env.DB),
    searchItems(c.env.DB, { match: input.query.match, source, limit: HITS_PER_PAGE, before: input.before }),
  ]);
  const hits = results.hits.map((record) => ({ hit: toSearchHit(record), snippet: snippetParts(record.snippet) }));
  const nextHref = results.next
    ? `${searchPageUrl(q, results.next)}${sourceId === null ? '' : `&source=${sourceId}`}`
    : null;
  return c.html(<SearchPage {...page} feeds={counted.map(toFeedView)} hits={hits} nextHref={nextHref} />, 200, headers);
});
