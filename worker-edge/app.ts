// The Hono app: the JSON API now; the reading site's pages mount here too.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiFailure, errorBody } from './api/api-failure.ts';
import { articlesRoutes } from './api/articles-routes.ts';
import { digestRoutes } from './api/digest-routes.ts';
import { feedsRoutes } from './api/feeds-routes.ts';
import { healthRoutes } from './api/health-routes.ts';
import { imageProxyRoutes } from './api/image-proxy-routes.ts';
import { itemsRoutes } from './api/items-routes.ts';
import { opmlRoutes } from './api/opml-routes.ts';
import { refreshRoutes } from './api/refresh-routes.ts';
import { keepFresh } from './middleware/keep-fresh.ts';
import { readRoutes } from './pages/read-routes.tsx';

export const app = new Hono<{ Bindings: Env }>();

app.use('/api/feeds', keepFresh());
app.use('/api/items', keepFresh());

app.route('/healthz', healthRoutes);
app.route('/api/feeds', feedsRoutes);
app.route('/api/items', itemsRoutes);
app.route('/api/opml', opmlRoutes);
app.route('/api/refresh', refreshRoutes);
app.route('/api/articles', articlesRoutes);
app.route('/api/digest', digestRoutes);
app.route('/img', imageProxyRoutes);
app.route('/read', readRoutes);

app.notFound((c) => c.json(errorBody('not_found', `Nothing is at ${new URL(c.req.url).pathname}.`), 404));

app.onError((error, c) => {
  if (error instanceof ApiFailure) return c.json(errorBody(error.code, error.message), error.status, error.headers);
  if (error instanceof HTTPException) return c.json(errorBody('bad_request', error.message || 'Bad request.'), error.status);
  console.error(JSON.stringify({ event: 'unhandled_error', path: new URL(c.req.url).pathname, error: String(error) }));
  return c.json(errorBody('internal', 'Something went wrong on our side; it has been logged. Please try again.'), 500);
});
