// When a page address leads nowhere or a page fails: friendly HTML under the same page CSP, never the API's JSON or
// a raw error. The API, the image proxy and the health check keep their JSON errors.
import type { Context } from 'hono';
import { pageSecurity } from '../middleware/page-security.ts';
import { NotFoundPage, PageFailurePage } from './error-pages.tsx';

const JSON_PATHS = /^\/(api|img|healthz)(\/|$)/;

export function isPagePath(path: string): boolean {
  return !JSON_PATHS.test(path);
}

const security = pageSecurity();

/** Runs the page middleware around a response made outside the page routes (the app's notFound / onError). */
async function securePage(c: Context, render: () => Response | Promise<Response>): Promise<Response> {
  await security(c, async () => {
    c.res = await render();
  });
  return c.res;
}

export function pageNotFound(c: Context): Promise<Response> {
  const path = new URL(c.req.url).pathname;
  return securePage(c, () => c.html(<NotFoundPage path={path} />, 404, { 'Cache-Control': 'no-store' }));
}

export function pageFailure(c: Context): Promise<Response> {
  return securePage(c, () => c.html(<PageFailurePage />, 500, { 'Cache-Control': 'no-store' }));
}
