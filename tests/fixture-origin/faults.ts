// Faults injected through query parameters on any fixture URL. Stateless: everything a response needs is in
// its own URL, so tests running in parallel never disturb each other.
//   status=500 [retryAfter=120 | retryAfter=<http-date>]   answer with that status (and Retry-After)
//   delayMs=N                 wait before sending headers
//   dripMs=N [dripBytes=M]    send the body M bytes (default 1) every N ms
//   truncate=N                announce the full Content-Length, send N bytes, then close the connection
//   reset=1                   reset the connection before answering
//   resetAfterBytes=N         send N body bytes, then reset the connection
//   redirect=N                a chain of N redirects (the same URL with redirect=N-1), then the file
//   redirectTo=<path or URL> [redirectStatus=301|302|303|307|308]   redirect there (default 302)
//   loop=1                    redirect back and forth between loop=1 and loop=2 forever
//   contentType= cacheControl= expires=    override those headers
//   size=N                    N bytes of padded, well-formed XML instead of the file, streamed and chunked
//   etag=1                    strong ETag from the content; If-None-Match that matches gets 304
//   lastModified=<http-date>  Last-Modified; If-Modified-Since at or after it gets 304
// Timing and connection faults apply to every answer, redirect hops included; status, header and validator
// faults shape the content at the end of a redirect chain. Scripted answers (POST /__script) go out as scripted.
import type { IncomingHttpHeaders } from 'node:http';
import { paddedXmlBody, textResponse, type FixtureResponse } from './fixture-response.ts';

export interface Faults {
  status: number | null;
  retryAfter: string | null;
  delayMs: number;
  dripMs: number;
  dripBytes: number;
  truncate: number | null;
  reset: boolean;
  resetAfterBytes: number | null;
  redirect: number;
  redirectTo: string | null;
  redirectStatus: number;
  loop: string | null;
  contentType: string | null;
  cacheControl: string | null;
  expires: string | null;
  size: number | null;
  etag: boolean;
  lastModified: string | null;
}

function count(params: URLSearchParams, name: string): number | null {
  const value = params.get(name);
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}

export function parseFaults(params: URLSearchParams): Faults {
  const status = count(params, 'status');
  const redirectStatus = count(params, 'redirectStatus');
  return {
    status: status !== null && status >= 100 && status <= 599 ? status : null,
    retryAfter: params.get('retryAfter'),
    delayMs: count(params, 'delayMs') ?? 0,
    dripMs: count(params, 'dripMs') ?? 0,
    dripBytes: Math.max(1, count(params, 'dripBytes') ?? 1),
    truncate: count(params, 'truncate'),
    reset: params.get('reset') === '1',
    resetAfterBytes: count(params, 'resetAfterBytes'),
    redirect: count(params, 'redirect') ?? 0,
    redirectTo: params.get('redirectTo'),
    redirectStatus:
      redirectStatus !== null && [301, 302, 303, 307, 308].includes(redirectStatus) ? redirectStatus : 302,
    loop: params.get('loop'),
    contentType: params.get('contentType'),
    cacheControl: params.get('cacheControl'),
    expires: params.get('expires'),
    size: count(params, 'size'),
    etag: params.get('etag') === '1',
    lastModified: params.get('lastModified'),
  };
}

function redirectResponse(status: number, location: string): FixtureResponse {
  const response = textResponse(status, `redirecting to ${location}`);
  response.headers.location = location;
  return response;
}

/** The redirect this URL asks for, if any; Locations are relative, as many real servers send them. */
export function redirectFor(url: URL, faults: Faults): FixtureResponse | null {
  const next = new URL(url);
  if (faults.loop !== null) {
    next.searchParams.set('loop', faults.loop === '1' ? '2' : '1');
    return redirectResponse(faults.redirectStatus, next.pathname + next.search);
  }
  if (faults.redirect > 0) {
    if (faults.redirect === 1) next.searchParams.delete('redirect');
    else next.searchParams.set('redirect', String(faults.redirect - 1));
    return redirectResponse(faults.redirectStatus, next.pathname + next.search);
  }
  return faults.redirectTo === null ? null : redirectResponse(faults.redirectStatus, faults.redirectTo);
}

/** A generated body replaces the file, so caps can be tested without big files in the repo. */
export function generatedFor(faults: Faults): FixtureResponse | null {
  if (faults.size === null) return null;
  return { status: 200, headers: { 'content-type': 'application/rss+xml' }, body: paddedXmlBody(faults.size) };
}

export function withHeaderFaults(response: FixtureResponse, faults: Faults): FixtureResponse {
  const injected =
    faults.status !== null && faults.status >= 300
      ? textResponse(faults.status, `injected status ${faults.status}`)
      : null;
  const result: FixtureResponse = injected ?? {
    ...response,
    status: faults.status ?? response.status,
    headers: { ...response.headers },
  };
  if (faults.retryAfter !== null) result.headers['retry-after'] = faults.retryAfter;
  if (faults.contentType !== null) result.headers['content-type'] = faults.contentType;
  if (faults.cacheControl !== null) result.headers['cache-control'] = faults.cacheControl;
  if (faults.expires !== null) result.headers.expires = faults.expires;
  return result;
}

function etagMatches(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** Adds validators to a 200 and answers 304 when the request's conditions say the client is up to date. */
export function withValidators(
  response: FixtureResponse,
  faults: Faults,
  request: IncomingHttpHeaders,
): FixtureResponse {
  if (response.status !== 200 || !response.body || (!faults.etag && faults.lastModified === null)) return response;
  const headers = { ...response.headers };
  if (faults.etag) headers.etag = `"${response.body.fingerprint().slice(0, 32)}"`;
  if (faults.lastModified !== null) headers['last-modified'] = faults.lastModified;

  const ifNoneMatch = request['if-none-match'];
  const ifModifiedSince = request['if-modified-since'];
  // RFC 9110 §13.2.2: If-None-Match, when sent, decides alone.
  const fresh =
    faults.etag && ifNoneMatch !== undefined
      ? etagMatches(ifNoneMatch, headers.etag ?? '')
      : faults.lastModified !== null &&
        ifModifiedSince !== undefined &&
        Date.parse(ifModifiedSince) >= Date.parse(faults.lastModified);
  return fresh ? { status: 304, headers, body: null } : { ...response, headers };
}
