// The one way the edge fetches from other sites (feeds, article pages, images, the seed list): a polite
// User-Agent, conditional requests, redirects followed by hand so every hop passes the address guard,
// one deadline for headers and body together, and a body-size cap enforced while streaming.
import { checkFetchableUrl, checkResolvedHost, type ResolveHost } from './address-guard.ts';
import { diagnoseNetworkError } from './diagnose-network-error.ts';
import { FetchFailure } from './fetch-failure.ts';
import { readCappedBody } from './read-capped-body.ts';
import { formatSeconds } from './readable-units.ts';
import { parseRetryAfter } from '../../contract/retry-after.ts';

export { FetchFailure, type FetchFailureCode } from './fetch-failure.ts';

export const DEFAULT_USER_AGENT = 'OfflineReader/0.1 (+https://github.com/offline-reader; feed fetcher)';
export const DEFAULT_MAX_REDIRECTS = 5;
/** The encodings the Workers runtime decodes by itself (it passes deflate through undecoded). */
const ACCEPT_ENCODING = 'gzip, br';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const PERMANENT_REDIRECT_STATUSES = new Set([301, 308]);

export interface PoliteFetchOptions {
  accept: string;
  maxBytes: number;
  /** One deadline for the whole exchange: every redirect hop, the headers and the body. */
  timeoutMs: number;
  maxRedirects?: number;
  allowPrivateNetwork: boolean;
  etag?: string | null;
  lastModified?: string | null;
  userAgent?: string;
  fetchImpl?: typeof fetch;
  /** Clock for Retry-After dates. */
  now?: () => number;
  /** Checks each hop's DNS answer against the address guard where a resolver exists (Workers have none). */
  resolveHost?: ResolveHost;
  /** What is being fetched, in lower case, for messages ("The feed is larger than 4 MB"); default "response". */
  resourceName?: string;
}

export type FetchOutcome =
  | { kind: 'ok'; status: number; url: string; permanentUrl: string | null; headers: Headers; body: Uint8Array }
  | { kind: 'not-modified'; url: string; permanentUrl: string | null; headers: Headers }
  | {
      kind: 'http-error';
      status: number;
      url: string;
      permanentUrl: string | null;
      headers: Headers;
      retryAfterMs: number | null;
    };

interface Exchange {
  options: PoliteFetchOptions;
  fetchImpl: typeof fetch;
  signal: AbortSignal;
}

async function guardedUrl(href: string, options: PoliteFetchOptions): Promise<URL> {
  const url = checkFetchableUrl(href, options);
  if (!options.allowPrivateNetwork && options.resolveHost) await checkResolvedHost(url, options.resolveHost);
  return url;
}

function requestHeaders(options: PoliteFetchOptions): Headers {
  const headers = new Headers({
    'User-Agent': options.userAgent ?? DEFAULT_USER_AGENT,
    Accept: options.accept,
    'Accept-Encoding': ACCEPT_ENCODING,
  });
  if (options.etag) headers.set('If-None-Match', options.etag);
  if (options.lastModified) headers.set('If-Modified-Since', options.lastModified);
  return headers;
}

/** The answer is already decided; a connection that breaks while we drop the rest changes nothing. */
async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function headersTimeout(exchange: Exchange, url: URL): FetchFailure {
  return new FetchFailure(
    'timeout',
    `The server at ${url.host} did not answer within ${formatSeconds(exchange.options.timeoutMs)}`,
  );
}

async function send(exchange: Exchange, url: URL): Promise<Response> {
  const { options, fetchImpl, signal } = exchange;
  try {
    return await fetchImpl(url.href, { method: 'GET', headers: requestHeaders(options), redirect: 'manual', signal });
  } catch (error) {
    if (signal.aborted) throw headersTimeout(exchange, url);
    const failure = await diagnoseNetworkError(error, url, fetchImpl, signal);
    throw signal.aborted ? headersTimeout(exchange, url) : failure;
  }
}

async function nextHop(exchange: Exchange, from: URL, location: string): Promise<URL> {
  let target: string;
  try {
    target = new URL(location, from).href;
  } catch {
    throw new FetchFailure('invalid-url', `${from.host} redirected to an invalid address (${location.slice(0, 200)})`);
  }
  try {
    return await guardedUrl(target, exchange.options);
  } catch (error) {
    if (error instanceof FetchFailure)
      throw new FetchFailure(error.code, `Redirect to ${target} refused: ${error.message}`);
    throw error;
  }
}

async function settle(
  exchange: Exchange,
  response: Response,
  url: URL,
  permanentUrl: string | null,
): Promise<FetchOutcome> {
  const { headers, status } = response;
  if (status === 304) {
    await discardBody(response);
    return { kind: 'not-modified', url: url.href, permanentUrl, headers };
  }
  if (response.ok) {
    const { maxBytes, timeoutMs, resourceName = 'response' } = exchange.options;
    const body = await readCappedBody(response, { maxBytes, timeoutMs, resourceName }, exchange.signal);
    return { kind: 'ok', status, url: url.href, permanentUrl, headers, body };
  }
  await discardBody(response);
  const now = exchange.options.now?.() ?? Date.now();
  return {
    kind: 'http-error',
    status,
    url: url.href,
    permanentUrl,
    headers,
    retryAfterMs: parseRetryAfter(headers.get('retry-after'), now),
  };
}

/**
 * Fetches `url` politely. Resolves with the server's answer (including 304 and HTTP errors); throws FetchFailure
 * when there is no usable answer. `permanentUrl` is where the resource now lives when every redirect on the way
 * was permanent (301/308), so the caller can move its subscription there.
 */
export async function politeFetch(url: string, options: PoliteFetchOptions): Promise<FetchOutcome> {
  let current = await guardedUrl(url, options);
  const exchange: Exchange = {
    options,
    fetchImpl: options.fetchImpl ?? fetch,
    signal: AbortSignal.timeout(options.timeoutMs),
  };
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const visited = new Set([current.href]);
  let onlyPermanent = true;

  for (let redirects = 0; ; redirects += 1) {
    const response = await send(exchange, current);
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
    if (location === null)
      return settle(exchange, response, current, redirects > 0 && onlyPermanent ? current.href : null);

    await discardBody(response);
    const next = await nextHop(exchange, current, location);
    if (visited.has(next.href))
      throw new FetchFailure('redirect-loop', `Redirect loop: ${current.href} leads back to ${next.href}`);
    if (redirects >= maxRedirects)
      throw new FetchFailure('too-many-redirects', `Redirected more than ${maxRedirects} times`);
    visited.add(next.href);
    onlyPermanent &&= PERMANENT_REDIRECT_STATUSES.has(response.status);
    current = next;
  }
}
