// The fixture origin's faults that the fetcher tests do not already exercise, seen from workerd's plain fetch.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const origin = env.FIXTURE_ORIGIN;
const FEED = '/shared/hostile-xml/xmlbomb.xml';
let unique = 0;
const fresh = (path: string) => `${origin}${path}${path.includes('?') ? '&' : '?'}t=${++unique}`;
const get = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', ...init });

describe('fixture origin faults', () => {
  it('overrides Content-Type, Cache-Control and Expires', async () => {
    const expires = 'Sat, 21 Nov 2026 13:00:00 GMT';
    const res = await get(
      fresh(
        `${FEED}?contentType=text/html&cacheControl=${encodeURIComponent('max-age=600, public')}&expires=${encodeURIComponent(expires)}`,
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('cache-control')).toBe('max-age=600, public');
    expect(res.headers.get('expires')).toBe(expires);
    expect((await res.arrayBuffer()).byteLength).toBe(183);
  });

  it('sends relative Locations along a redirect chain and an explicit target verbatim', async () => {
    const chain = await get(`${origin}${FEED}?redirect=2&t=${++unique}`);
    expect(chain.status).toBe(302);
    expect(chain.headers.get('location')).toBe(`${FEED}?redirect=1&t=${unique}`);
    await chain.body?.cancel();

    const elsewhere = await get(
      fresh(`${FEED}?redirectTo=${encodeURIComponent('https://elsewhere.example/feed')}&redirectStatus=307`),
    );
    expect(elsewhere.status).toBe(307);
    expect(elsewhere.headers.get('location')).toBe('https://elsewhere.example/feed');
    await elsewhere.body?.cancel();
  });

  it('answers HEAD with the headers only', async () => {
    const res = await get(fresh(FEED), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('183');
    expect(await res.text()).toBe('');
  });

  it('lets If-None-Match decide alone when both validators are sent', async () => {
    const lastModified = 'Wed, 21 Oct 2026 07:28:00 GMT';
    const url = fresh(`${FEED}?etag=1&lastModified=${encodeURIComponent(lastModified)}`);
    const first = await get(url);
    const etag = first.headers.get('etag') ?? '';
    await first.body?.cancel();
    const stale = await get(url, { headers: { 'if-none-match': '"old"', 'if-modified-since': lastModified } });
    expect(stale.status).toBe(200);
    await stale.body?.cancel();
    const fresh304 = await get(url, {
      headers: { 'if-none-match': `W/${etag}`, 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' },
    });
    expect(fresh304.status).toBe(304);
  });

  it('injects errors even where no fixture exists, and 404s unknown paths otherwise', async () => {
    expect((await get(fresh('/nowhere/feed.xml'))).status).toBe(404);
    expect((await get(fresh('/local/missing.xml'))).status).toBe(404);
    const res = await get(fresh('/local/missing.xml?status=503&retryAfter=60'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('60');
  });

  it('generates a small padded body that is still exactly the size asked for', async () => {
    for (const size of [0, 10, 200, 70_000]) {
      const res = await get(fresh(`/local/pad.xml?size=${size}`));
      expect(res.headers.get('content-length')).toBeNull();
      expect((await res.arrayBuffer()).byteLength).toBe(size);
    }
  });

  it('refuses a malformed script, and reports hits only for the exact path and query', async () => {
    const bad = await fetch(`${origin}/__script`, {
      method: 'POST',
      body: JSON.stringify({ path: 'no-slash', responses: [] }),
    });
    expect(bad.status).toBe(400);
    const badStatus = await fetch(`${origin}/__script`, {
      method: 'POST',
      body: JSON.stringify({ path: '/x', responses: [{ status: 'x' }] }),
    });
    expect(badStatus.status).toBe(400);
    expect((await fetch(`${origin}/__hits`)).status).toBe(400);

    const url = fresh(FEED);
    await (await get(url)).arrayBuffer();
    const exact = await (
      await fetch(`${origin}/__hits?path=${encodeURIComponent(new URL(url).pathname + new URL(url).search)}`)
    ).json();
    expect(exact).toMatchObject({ count: 1, lastMethod: 'GET', lastBodyBytes: 183, lastOutcome: 'finished' });
    const other = await (
      await fetch(`${origin}/__hits?path=${encodeURIComponent(`${FEED}?t=never-${unique}`)}`)
    ).json();
    expect(other).toMatchObject({ count: 0 });
  });
});
