// Runtime caching. Navigations: network first with a short timeout, then the cached page (an article the reader
// saved or the refresh prefetched counts; Latest is also drawn from the device's list, sw/device-home.ts), then /offline. /api/items: stale-while-revalidate. Images: cache first.
// Article JSON: network first. Every runtime cache is bounded by workbox-expiration; saved articles live apart.
import type { RouteHandler, RouteHandlerCallbackOptions, WorkboxPlugin } from 'workbox-core/types.js';
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst, NetworkOnly, StaleWhileRevalidate, type Strategy } from 'workbox-strategies';
import { ARTICLES_MAX_AGE_DAYS, CACHES } from './cache-names.ts';
import { deviceHome, isHomePath } from './device-home.ts';
import { registerDeviceSearchRoute } from './device-search-route.ts';
import { picturePlaceholder } from './picture-placeholder.ts';
import { offlinePage } from './precache.ts';

const DAY_SECONDS = 24 * 60 * 60;
const NETWORK_TIMEOUT_SECONDS = 3;

const bounded = (maxEntries: number, maxAgeDays: number) =>
  new ExpirationPlugin({ maxEntries, maxAgeSeconds: maxAgeDays * DAY_SECONDS, purgeOnQuotaError: true });

async function keptCopy(request: Request): Promise<Response | undefined> {
  for (const name of [CACHES.saved, CACHES.prefetched]) {
    const copy = await (await caches.open(name)).match(request);
    if (copy) return copy;
  }
  return undefined;
}

/** A strategy's cache lookup also finds articles kept for offline reading, which live in their own caches. */
const alsoKeptCopies: WorkboxPlugin = {
  cachedResponseWillBeUsed: async ({ cachedResponse, request }) => cachedResponse ?? (await keptCopy(request)) ?? null,
};

/**
 * An error for an article this device keeps: the copy beats the error page. A 5xx is the site failing; a 404 is an
 * item its feed has since dropped, or a shared page the edge pruned: the reader kept it, so it stays readable.
 */
const keptCopyBeatsErrors: WorkboxPlugin = {
  fetchDidSucceed: async ({ request, response }) => {
    if (response.status >= 400 && (await keptCopy(request)))
      throw new Error(`${response.status}; serving the kept copy`);
    return response;
  },
};

/** A request that could not be served gets the offline page. */
function withOfflineFallback(strategy: Strategy): RouteHandler {
  return {
    async handle(options: RouteHandlerCallbackOptions) {
      try {
        return await strategy.handle(options);
      } catch {
        return (await offlinePage()) ?? Response.error();
      }
    },
  };
}

/** A picture that could not be served from the device or the network gets an inert placeholder, not an error. */
function withPicturePlaceholder(strategy: Strategy): RouteHandler {
  return {
    async handle(options: RouteHandlerCallbackOptions) {
      try {
        return await strategy.handle(options);
      } catch {
        return picturePlaceholder();
      }
    },
  };
}

const isNavigation = (request: Request) => request.mode === 'navigate';
const isArticlePath = (url: URL) => url.pathname.startsWith('/read/') || url.pathname.startsWith('/api/articles/');

const shareScreen = new NetworkOnly({ networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS });

export function registerRuntimeRoutes(): void {
  registerDeviceSearchRoute();
  const articles = new NetworkFirst({
    cacheName: CACHES.articles,
    networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
    plugins: [bounded(100, ARTICLES_MAX_AGE_DAYS), alsoKeptCopies, keptCopyBeatsErrors],
  });
  registerRoute(({ request, url }) => isNavigation(request) && isArticlePath(url), withOfflineFallback(articles));
  const pagesBound = bounded(30, 7);
  const pages = new NetworkFirst({
    cacheName: CACHES.pages,
    networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
    plugins: [pagesBound],
  });
  const home = new NetworkFirst({
    cacheName: CACHES.pages,
    networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
    plugins: [pagesBound, deviceHome],
  });
  // The share screen is never served from a cache: a copy the edge rendered to save at once (the reader's own share)
  // must not answer another site's link to the same address. Offline, the offline page offers to save it, on a tap:
  // a service worker sees no Sec-Fetch-Site and no initiator, so it cannot tell the share sheet from a hostile link.
  registerRoute(
    ({ request, url }) => isNavigation(request) && url.pathname === '/share',
    withOfflineFallback(shareScreen),
  );
  registerRoute(({ request, url }) => isNavigation(request) && isHomePath(url), withOfflineFallback(home));
  registerRoute(({ request }) => isNavigation(request), withOfflineFallback(pages));
  registerRoute(({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/api/articles/'), articles);
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && url.pathname === '/api/items',
    new StaleWhileRevalidate({ cacheName: CACHES.api, plugins: [bounded(20, 7)] }),
  );
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && url.pathname === '/img',
    withPicturePlaceholder(new CacheFirst({ cacheName: CACHES.images, plugins: [bounded(400, 30), alsoKeptCopies] })),
  );
}
