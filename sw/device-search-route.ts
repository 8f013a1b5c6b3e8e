// GET /search as a navigation: the edge's search while the site answers; offline (or with the site failing), the
// search on the device, over the articles it holds, saying so. Registered before the other navigations.
import type { RouteHandlerCallbackOptions } from 'workbox-core/types.js';
import { registerRoute } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';
import { parseSearchText, SearchQueryError, type ParsedSearch } from '../contract/search-grammar.ts';
import { SEARCH_PAGE_PATH, searchPageUrl } from '../contract/paths.ts';
import { HITS_PER_PAGE, searchDevice } from './device-search.ts';
import { deviceSearchDocument, type DeviceSearchView } from './device-search-page.ts';
import { indexedCount, syncSearchIndex } from './search-index.ts';
import { offlinePage } from './precache.ts';

declare const self: ServiceWorkerGlobalScope;

const NETWORK_TIMEOUT_SECONDS = 3;
const edge = new NetworkOnly({ networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS });

/** Used only when the precache lost the /offline page: the same document, reduced. */
const BARE_SHELL =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Search</title><link rel="stylesheet" href="/reader.css"><script type="module" src="/app.js"></script></head><body data-page="search"><main id="main" tabindex="-1"></main></body></html>';

type Reading = { parsed: ParsedSearch; problem: null } | { parsed: null; problem: string };

function readQuery(q: string, sourceParam: string | null): Reading {
  try {
    const parsed = parseSearchText(q);
    // The form's source list gives feeds' numbers, which only the edge knows; on the device a source has its name.
    if (parsed.source?.kind === 'id' || (sourceParam && !parsed.source))
      return {
        parsed: null,
        problem: 'On this device a source is known by its name: write source:"Harbour Courier", or search all.',
      };
    return { parsed, problem: null };
  } catch (error) {
    if (error instanceof SearchQueryError) return { parsed: null, problem: error.message };
    throw error;
  }
}

/** The device's answer to /search?q=: 200 with the hits, 400 with the form and what to change, as the edge does. */
export async function deviceSearchResponse(url: URL, reason: DeviceSearchView['reason']): Promise<Response> {
  const q = url.searchParams.get('q');
  let view: DeviceSearchView;
  let status = 200;
  let timing = '';
  if (q === null) {
    await syncSearchIndex();
    view = { query: '', problem: null, hits: null, searched: await indexedCount(), reason, nextHref: null };
  } else {
    const reading = readQuery(q, url.searchParams.get('source') || null);
    if (reading.problem !== null) {
      status = 400;
      await syncSearchIndex();
      view = {
        query: q,
        problem: reading.problem,
        hits: null,
        searched: await indexedCount(),
        reason,
        nextHref: null,
      };
    } else {
      // The device's pages go by position (`from`); the edge's `before` cursor means nothing here.
      const from = Math.min(10_000, Math.max(0, Number.parseInt(url.searchParams.get('from') ?? '0', 10) || 0));
      const results = await searchDevice(reading.parsed, { from });
      const next = from + HITS_PER_PAGE;
      const nextHref = next < results.matched ? `${searchPageUrl(q)}&from=${next}` : null;
      view = { query: q, problem: null, hits: results.hits, searched: results.searched, reason, nextHref };
      timing = Object.entries(results.ms)
        .map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`)
        .join(', ');
    }
  }
  const shell = await offlinePage();
  const headers = new Headers(shell?.headers);
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('Cache-Control', 'no-store');
  if (timing) headers.set('Server-Timing', timing);
  return new Response(deviceSearchDocument(shell ? await shell.text() : BARE_SHELL, view), { status, headers });
}

async function handle(options: RouteHandlerCallbackOptions): Promise<Response> {
  try {
    const response = await edge.handle(options);
    if (response.status < 500) return response;
    return deviceSearchResponse(options.url, 'unavailable');
  } catch {
    return deviceSearchResponse(options.url, self.navigator.onLine ? 'unavailable' : 'offline');
  }
}

export function registerDeviceSearchRoute(): void {
  registerRoute(({ request, url }) => request.mode === 'navigate' && url.pathname === SEARCH_PAGE_PATH, { handle });
}
