// The Hono app: the JSON API, the image proxy and the reading site's pages.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiFailure, errorBody } from './api/api-failure.ts';
import { articleBatchRoutes } from './api/article-batch-routes.tsx';
import { articlesRoutes } from './api/articles-routes.ts';
import { digestRoutes } from './api/digest-routes.ts';
import { feedsRoutes } from './api/feeds-routes.ts';
import { healthRoutes } from './api/health-routes.ts';
import { imageProxyRoutes } from './api/image-proxy-routes.ts';
import { itemsRoutes } from './api/items-routes.ts';
import { opmlRoutes } from './api/opml-routes.ts';
import { refreshRoutes } from './api/refresh-routes.ts';
import { searchRoutes } from './api/search-routes.ts';
import { keepFresh } from './middleware/keep-fresh.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { offlineRoutes } from './pages/offline-page.tsx';
import { isPagePath, pageFailure, pageNotFound } from './pages/page-errors.tsx';
import { readRoutes } from './pages/read-routes.tsx';
import { searchPageRoutes } from './pages/search-routes.tsx';
import { siteRoutes } from './pages/site-routes.tsx';

export const app = new Hono<{ Bindings: Env }>();

app.use('/api/feeds', keepFresh());
app.use('/api/items', keepFresh());
// The first page a reader opens seeds the sources and keeps them fresh, as the API does.
app.use('/', keepFresh());
app.use('/sources', keepFresh());

// Before anything else runs for them: each of these makes the Worker fetch elsewhere (or subscribe).
const isPost = (req: Request) => req.method === 'POST';
app.use(
  '/api/articles',
  rateLimit('EXTRACT_LIMITER', (req) => new URL(req.url).searchParams.has('url')),
);
app.use('/img', rateLimit('IMAGE_LIMITER'));
app.use('/api/feeds', rateLimit('SUBSCRIBE_LIMITER', isPost));
app.use('/api/opml', rateLimit('SUBSCRIBE_LIMITER', isPost));

app.route('/healthz', healthRoutes);
app.route('/api/feeds', feedsRoutes);
app.route('/api/items', itemsRoutes);
app.route('/api/opml', opmlRoutes);
app.route('/api/refresh', refreshRoutes);
app.route('/api/articles/batch', articleBatchRoutes);
app.route('/api/articles', articlesRoutes);
app.route('/api/digest', digestRoutes);
app.route('/api/search', searchRoutes);
app.route('/img', imageProxyRoutes);
app.route('/read', readRoutes);
app.route('/offline', offlineRoutes);
app.route('/search', searchPageRoutes);
app.route('/', siteRoutes);

app.notFound((c) => {
  const path = new URL(c.req.url).pathname;
  if (isPagePath(path)) return pageNotFound(c);
  return c.json(errorBody('not_found', `Nothing is at ${path}.`), 404);
});

app.onError((error, c) => {
  if (error instanceof ApiFailure) return c.json(errorBody(error.code, error.message), error.status, error.headers);
  if (error instanceof HTTPException)
    return c.json(errorBody('bad_request', error.message || 'Bad request.'), error.status);
  const path = new URL(c.req.url).pathname;
  console.error(JSON.stringify({ event: 'unhandled_error', path, error: String(error) }));
  // A page that fails shows a page that says so; the API answers its JSON error.
  if (isPagePath(path)) return pageFailure(c);
  return c.json(errorBody('internal', 'Something went wrong on our side; it has been logged. Please try again.'), 500);
});
