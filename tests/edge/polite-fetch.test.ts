// The polite fetcher against real sockets: workerd's own fetch talking to the loopback fixture origin,
// which misbehaves on request (tests/fixture-origin/faults.ts).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_USER_AGENT,
  FetchFailure,
  politeFetch,
  type FetchOutcome,
  type PoliteFetchOptions,
} from '../../worker-edge/net/polite-fetch.ts';
import type { HitSummary } from '../fixture-origin/request-log.ts';
import { scriptResponses } from '../support/origin-control.ts';

const origin = env.FIXTURE_ORIGIN;
const FEED = '/shared/hostile-xml/xmlbomb.xml';
const FEED_BYTES = 183;

// Each test gets its own URLs on the origin, so hit counts and scripts never collide.
let unique = 0;
const fresh = (path: string) => `${origin}${path}${path.includes('?') ? '&' : '?'}t=${++unique}`;

const options = (overrides: Partial<PoliteFetchOptions> = {}): PoliteFetchOptions => ({
  accept: 'application/rss+xml, application/xml;q=0.9',
  maxBytes: 1024 * 1024,
  timeoutMs: 5_000,
  allowPrivateNetwork: true,
  ...overrides,
});

async function hits(url: string): Promise<HitSummary> {
  const { pathname, search } = new URL(url);
  return (await fetch(`${origin}/__hits?path=${encodeURIComponent(pathname + search)}`)).json();
}

/** The origin learns that a client went away a moment after it happens. */
async function settledHits(url: string): Promise<HitSummary> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const summary = await hits(url);
    if (summary.lastOutcome !== 'pending') return summary;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the origin still thinks ${url} is in flight`);
}

async function failureOf(pending: Promise<FetchOutcome>): Promise<FetchFailure> {
  const error = await pending.then(
    (outcome) => new Error(`expected a FetchFailure, got ${outcome.kind}`),
    (thrown: unknown) => thrown,
  );
  if (error instanceof FetchFailure) return error;
  throw error;
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await run();
  return { result, ms: Date.now() - started };
}

function expectKind<K extends FetchOutcome['kind']>(
  outcome: FetchOutcome,
  kind: K,
): Extract<FetchOutcome, { kind: K }> {
  expect(outcome.kind).toBe(kind);
  return outcome as Extract<FetchOutcome, { kind: K }>;
}

describe('a plain fetch', () => {
  it('returns the bytes, status and final URL, and sends a polite, explicit request', async () => {
    const url = fresh(FEED);
    const outcome = expectKind(await politeFetch(url, options()), 'ok');
    expect(outcome).toMatchObject({ status: 200, url, permanentUrl: null });
    expect(outcome.body.byteLength).toBe(FEED_BYTES);
    expect(new TextDecoder().decode(outcome.body)).toContain('<!ENTITY');
    expect(outcome.headers.get('content-type')).toBe('application/xml');

    const seen = await hits(url);
    expect(seen.count).toBe(1);
    expect(seen.lastHeaders).toMatchObject({
      'user-agent': DEFAULT_USER_AGENT,
      accept: 'application/rss+xml, application/xml;q=0.9',
      'accept-encoding': 'gzip, br',
    });
    expect(seen.lastHeaders).not.toHaveProperty('if-none-match');
    expect(seen.lastHeaders).not.toHaveProperty('if-modified-since');
  });

  it('sends the User-Agent it is given', async () => {
    const url = fresh(FEED);
    await politeFetch(url, options({ userAgent: 'OfflineReader/0.1 (image proxy)' }));
    expect((await hits(url)).lastHeaders['user-agent']).toBe('OfflineReader/0.1 (image proxy)');
  });

  it('refuses a bad address before sending anything', async () => {
    const fetchImpl = (() => {
      throw new Error('must not be called');
    }) as typeof fetch;
    expect(await failureOf(politeFetch('ftp://example.com/feed', options({ fetchImpl })))).toMatchObject({
      code: 'invalid-url',
    });
    expect(await failureOf(politeFetch('not a url', options({ fetchImpl })))).toMatchObject({ code: 'invalid-url' });

    const url = fresh(FEED);
    const failure = await failureOf(politeFetch(url, options({ allowPrivateNetwork: false })));
    expect(failure.code).toBe('blocked-address');
    expect(failure.message).toMatch(/^127\.0\.0\.1 is a loopback address/);
    expect((await hits(url)).count).toBe(0);
  });
});

describe('conditional requests', () => {
  it('sends If-None-Match and reports 304 as not-modified', async () => {
    const url = fresh(`${FEED}?etag=1`);
    const first = expectKind(await politeFetch(url, options()), 'ok');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+"$/);

    const second = expectKind(await politeFetch(url, options({ etag })), 'not-modified');
    expect(second).toMatchObject({ url, permanentUrl: null });
    expect(second.headers.get('etag')).toBe(etag);
    const seen = await hits(url);
    expect(seen.count).toBe(2);
    expect(seen.lastHeaders['if-none-match']).toBe(etag);

    expectKind(await politeFetch(url, options({ etag: '"something-else"' })), 'ok');
  });

  it('sends If-Modified-Since and reports 304 as not-modified', async () => {
    const lastModified = 'Wed, 21 Oct 2026 07:28:00 GMT';
    const url = fresh(`${FEED}?lastModified=${encodeURIComponent(lastModified)}`);
    const first = expectKind(await politeFetch(url, options()), 'ok');
    expect(first.headers.get('last-modified')).toBe(lastModified);

    expectKind(await politeFetch(url, options({ lastModified })), 'not-modified');
    expect((await hits(url)).lastHeaders['if-modified-since']).toBe(lastModified);
    expectKind(await politeFetch(url, options({ lastModified: 'Tue, 20 Oct 2026 07:28:00 GMT' })), 'ok');
  });
});

describe('redirects', () => {
  it('reports the new address when every hop was permanent (301, 308)', async () => {
    for (const status of [301, 308]) {
      const url = fresh(`${FEED}?redirect=2&redirectStatus=${status}`);
      const outcome = expectKind(await politeFetch(url, options()), 'ok');
      expect(outcome.url).not.toBe(url);
      expect(outcome.url).not.toContain('redirect=');
      expect(outcome.permanentUrl).toBe(outcome.url);
      expect(outcome.body.byteLength).toBe(FEED_BYTES);
      expect((await hits(outcome.url)).count).toBe(1);
    }
  });

  it('follows temporary redirects (302, 303, 307) without reporting a new address', async () => {
    for (const status of [302, 303, 307]) {
      const url = fresh(`${FEED}?redirect=2&redirectStatus=${status}`);
      const outcome = expectKind(await politeFetch(url, options()), 'ok');
      expect(outcome.url).not.toContain('redirect=');
      expect(outcome.permanentUrl).toBeNull();
    }
  });

  it('reports no new address when a permanent hop is mixed with a temporary one', async () => {
    const target = fresh(FEED);
    const temporaryThenPermanent = fresh(
      `${FEED}?redirectStatus=302&redirectTo=${encodeURIComponent(fresh(`${FEED}?redirectStatus=301&redirectTo=${encodeURIComponent(target)}`))}`,
    );
    const permanentThenTemporary = fresh(
      `${FEED}?redirectStatus=301&redirectTo=${encodeURIComponent(fresh(`${FEED}?redirectStatus=302&redirectTo=${encodeURIComponent(target)}`))}`,
    );
    for (const url of [temporaryThenPermanent, permanentThenTemporary]) {
      const outcome = expectKind(await politeFetch(url, options()), 'ok');
      expect(outcome).toMatchObject({ url: target, permanentUrl: null });
    }
  });

  it('carries the new address on not-modified and HTTP-error outcomes too', async () => {
    const moved = fresh(`${FEED}?redirect=1&redirectStatus=308&etag=1`);
    const first = expectKind(await politeFetch(moved, options()), 'ok');
    const again = expectKind(await politeFetch(moved, options({ etag: first.headers.get('etag') })), 'not-modified');
    expect(again.permanentUrl).toBe(first.url);

    const gone = expectKind(
      await politeFetch(fresh(`${FEED}?redirect=1&redirectStatus=301&status=410`), options()),
      'http-error',
    );
    expect(gone.status).toBe(410);
    expect(gone.permanentUrl).toBe(gone.url);
  });

  it('stops a redirect loop', async () => {
    const failure = await failureOf(politeFetch(fresh(`${FEED}?loop=1`), options()));
    expect(failure.code).toBe('redirect-loop');
    expect(failure.message).toMatch(/^Redirect loop: .*loop=2.* leads back to .*loop=1/);
  });

  it('follows at most maxRedirects hops (default 5)', async () => {
    expectKind(await politeFetch(fresh(`${FEED}?redirect=5`), options()), 'ok');
    const failure = await failureOf(politeFetch(fresh(`${FEED}?redirect=6`), options()));
    expect(failure).toMatchObject({ code: 'too-many-redirects', message: 'Redirected more than 5 times' });
    expect(await failureOf(politeFetch(fresh(`${FEED}?redirect=1`), options({ maxRedirects: 0 })))).toMatchObject({
      code: 'too-many-redirects',
      message: 'Redirected more than 0 times',
    });
  });

  it('checks every hop: a public feed that redirects inwards is refused before the inner address is asked', async () => {
    // A public-looking host served by the fixture origin, so the guard sees a public address and then a redirect.
    const publicHost = 'http://feeds.public.example';
    const viaPublicHost = ((input: RequestInfo | URL, init?: RequestInit) =>
      fetch(String(input).replace(publicHost, origin), init)) as typeof fetch;
    const strict = options({ allowPrivateNetwork: false, fetchImpl: viaPublicHost });

    const inner = fresh(FEED);
    const outer = `${publicHost}${FEED}?redirectTo=${encodeURIComponent(inner)}&t=${++unique}`;
    const failure = await failureOf(politeFetch(outer, strict));
    expect(failure.code).toBe('blocked-address');
    expect(failure.message).toMatch(
      /^Redirect to http:\/\/127\.0\.0\.1:\d+\/.* refused: 127\.0\.0\.1 is a loopback address/,
    );
    expect((await hits(inner)).count).toBe(0);

    const metadata = `${publicHost}${FEED}?redirectTo=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}&t=${++unique}`;
    expect((await failureOf(politeFetch(metadata, strict))).message).toMatch(
      /169\.254\.169\.254 is a link-local address/,
    );

    const toFile = `${publicHost}${FEED}?redirectTo=${encodeURIComponent('file:///etc/passwd')}&t=${++unique}`;
    expect(await failureOf(politeFetch(toFile, strict))).toMatchObject({ code: 'invalid-url' });

    const fine = `${publicHost}${FEED}?redirectTo=${encodeURIComponent(`${publicHost}${FEED}?t=${++unique}`)}&t=${++unique}`;
    expectKind(await politeFetch(fine, strict), 'ok');
  });

  it("checks each hop's DNS answer when a resolver is given", async () => {
    const publicHost = 'http://feeds.public.example';
    const viaPublicHost = ((input: RequestInfo | URL, init?: RequestInit) =>
      fetch(String(input).replace(publicHost, origin), init)) as typeof fetch;
    const url = `${publicHost}${FEED}?t=${++unique}`;
    const resolvingTo = (address: string) =>
      options({ allowPrivateNetwork: false, fetchImpl: viaPublicHost, resolveHost: async () => [address] });

    const failure = await failureOf(politeFetch(url, resolvingTo('10.1.2.3')));
    expect(failure.code).toBe('blocked-address');
    expect(failure.message).toMatch(/^feeds\.public\.example resolves to 10\.1\.2\.3, which is a private address/);
    expect((await hits(`${origin}${FEED}?t=${unique}`)).count).toBe(0);
    expectKind(await politeFetch(url, resolvingTo('93.184.215.14')), 'ok');
  });
});

describe('one deadline for the whole exchange', () => {
  it('gives up on a server that does not send headers in time', async () => {
    const url = fresh(`${FEED}?delayMs=10000`);
    const { result: failure, ms } = await timed(() => failureOf(politeFetch(url, options({ timeoutMs: 300 }))));
    expect(failure.code).toBe('timeout');
    expect(failure.message).toMatch(/^The server at 127\.0\.0\.1:\d+ did not answer within 0\.3 s$/);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1_500);
  });

  it('gives up on a body that drips too slowly, and hangs up on it', async () => {
    const url = fresh(`${FEED}?dripMs=100&dripBytes=1`);
    const { result: failure, ms } = await timed(() => failureOf(politeFetch(url, options({ timeoutMs: 500 }))));
    expect(failure.code).toBe('timeout');
    expect(failure.message).toMatch(/^The server did not finish sending within 0\.5 s \(got \d+ B of 183 B\)$/);
    expect(ms).toBeLessThan(1_700);
    const seen = await settledHits(url);
    expect(seen.lastOutcome).toBe('aborted');
    expect(seen.lastBodyBytes).toBeLessThan(FEED_BYTES);
  });

  it('counts every redirect hop against the same deadline', async () => {
    // Four requests of 200 ms each: every one is well within 500 ms, together they are not.
    const url = fresh(`${FEED}?redirect=3&delayMs=200`);
    const { result: failure, ms } = await timed(() => failureOf(politeFetch(url, options({ timeoutMs: 500 }))));
    expect(failure.code).toBe('timeout');
    expect(ms).toBeLessThan(1_700);
    expectKind(await politeFetch(fresh(`${FEED}?redirect=3&delayMs=200`), options({ timeoutMs: 3_000 })), 'ok');
  });
});

describe('the body-size cap', () => {
  it('stops reading a huge streamed body as soon as it passes the cap', async () => {
    const url = fresh('/local/huge.xml?size=50000000');
    const { result: failure, ms } = await timed(() =>
      failureOf(politeFetch(url, options({ maxBytes: 256 * 1024, resourceName: 'feed' }))),
    );
    expect(failure).toMatchObject({ code: 'too-large', message: 'The feed is larger than 256 KB' });
    expect(ms).toBeLessThan(2_000);
    // The origin saw the client hang up long before the 50 MB were written: the body was never held whole.
    const seen = await settledHits(url);
    expect(seen.lastOutcome).toBe('aborted');
    expect(seen.lastBodyBytes).toBeLessThan(10_000_000);
  });

  it('refuses at once a body whose Content-Length is over the cap', async () => {
    const failure = await failureOf(politeFetch(fresh(FEED), options({ maxBytes: 100 })));
    expect(failure).toMatchObject({
      code: 'too-large',
      message: 'The response is larger than 100 B (the server announced 183 B)',
    });
  });

  it('accepts a body of exactly the cap, and not one byte more', async () => {
    const exact = expectKind(await politeFetch(fresh('/local/x.xml?size=4096'), options({ maxBytes: 4096 })), 'ok');
    expect(exact.body.byteLength).toBe(4096);
    expect(new TextDecoder().decode(exact.body)).toMatch(/^<\?xml[\s\S]*<\/rss>\n$/);
    expect(await failureOf(politeFetch(fresh('/local/x.xml?size=4097'), options({ maxBytes: 4096 })))).toMatchObject({
      code: 'too-large',
    });
  });
});

describe('connections that break', () => {
  it('reports a body cut short (Content-Length not reached) as truncated', async () => {
    const failure = await failureOf(politeFetch(fresh(`${FEED}?truncate=50`), options()));
    expect(failure.code).toBe('truncated');
    expect(failure.message).toMatch(
      /^The connection was cut before the whole response arrived \(got \d+ B of 183 B\)$/,
    );
  });

  it('reports a connection reset in the middle of the body as truncated', async () => {
    expect(await failureOf(politeFetch(fresh(`${FEED}?resetAfterBytes=50`), options()))).toMatchObject({
      code: 'truncated',
    });
  });

  it('reports a connection reset before any answer as a connection failure', async () => {
    const failure = await failureOf(politeFetch(fresh(`${FEED}?reset=1`), options()));
    expect(failure.code).toBe('connection');
    expect(failure.message).toMatch(
      /^Could not connect to 127\.0\.0\.1:\d+ \(connection refused, or closed before answering\)$/,
    );
  });

  it('reports a refused connection as a connection failure', async () => {
    const { port } = (await (await fetch(`${origin}/__unused-port`)).json()) as { port: number };
    const failure = await failureOf(politeFetch(`http://127.0.0.1:${port}/feed.xml`, options()));
    expect(failure).toMatchObject({
      code: 'connection',
      message: `Could not connect to 127.0.0.1:${port} (connection refused, or closed before answering)`,
    });
  });

  it('reports a name that does not resolve as a DNS failure, over http and https', async () => {
    expect(await failureOf(politeFetch('http://feed.nonexistent.invalid/rss', options()))).toMatchObject({
      code: 'dns',
      message: 'DNS lookup failed for feed.nonexistent.invalid',
    });
    expect(await failureOf(politeFetch('https://feed.nonexistent.invalid/rss', options()))).toMatchObject({
      code: 'dns',
    });
  });

  it('reports a failed TLS handshake as a TLS failure, for an address and for a name', async () => {
    const { port } = new URL(origin);
    const failure = await failureOf(politeFetch(`https://127.0.0.1:${port}${FEED}`, options()));
    expect(failure).toMatchObject({
      code: 'tls',
      message: `The secure connection to 127.0.0.1:${port} failed (TLS handshake or certificate problem)`,
    });
    expect(await failureOf(politeFetch(`https://localhost:${port}${FEED}`, options()))).toMatchObject({ code: 'tls' });
  });

  it("reads other runtimes' error codes (Node's fetch puts them in error.cause)", async () => {
    const throwing = (code: string) =>
      (async () => {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
      }) as typeof fetch;
    const cases: Array<[string, string]> = [
      ['ENOTFOUND', 'dns'],
      ['EAI_AGAIN', 'dns'],
      ['ECONNREFUSED', 'connection'],
      ['ECONNRESET', 'connection'],
      ['CERT_HAS_EXPIRED', 'tls'],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ];
    for (const [code, kind] of cases) {
      expect(
        await failureOf(politeFetch('https://feeds.example.com/rss', options({ fetchImpl: throwing(code) }))),
      ).toMatchObject({ code: kind });
    }
    const odd = (async () => {
      throw new Error('something odd');
    }) as typeof fetch;
    expect(await failureOf(politeFetch('https://feeds.example.com/rss', options({ fetchImpl: odd })))).toMatchObject({
      code: 'network',
      message: 'Could not fetch from feeds.example.com: something odd',
    });
  });
});

describe('HTTP errors', () => {
  it('turns Retry-After in seconds into milliseconds (429)', async () => {
    const outcome = expectKind(await politeFetch(fresh(`${FEED}?status=429&retryAfter=120`), options()), 'http-error');
    expect(outcome).toMatchObject({ status: 429, retryAfterMs: 120_000, permanentUrl: null });
  });

  it('turns a Retry-After date into milliseconds from now (503)', async () => {
    const now = Date.UTC(2026, 10, 21, 12, 0, 0);
    const at = new Date(now + 90_000).toUTCString();
    const outcome = expectKind(
      await politeFetch(fresh(`${FEED}?status=503&retryAfter=${encodeURIComponent(at)}`), options({ now: () => now })),
      'http-error',
    );
    expect(outcome).toMatchObject({ status: 503, retryAfterMs: 90_000 });
  });

  it('reports no wait when the server gives none', async () => {
    const outcome = expectKind(await politeFetch(fresh(`${FEED}?status=500`), options()), 'http-error');
    expect(outcome).toMatchObject({ status: 500, retryAfterMs: null });
  });

  it('answers a scripted sequence in order, then the file (what retry tests rely on)', async () => {
    const url = fresh(FEED);
    await scriptResponses(url, [{ status: 503, headers: { 'retry-after': '30' }, body: 'busy' }, { status: 429 }]);
    expect(await politeFetch(url, options())).toMatchObject({ kind: 'http-error', status: 503, retryAfterMs: 30_000 });
    expect(await politeFetch(url, options())).toMatchObject({ kind: 'http-error', status: 429, retryAfterMs: null });
    expect(await politeFetch(url, options())).toMatchObject({ kind: 'ok', status: 200 });
    expect((await hits(url)).count).toBe(3);
  });
});
