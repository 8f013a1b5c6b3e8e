// Bad API input: each request gets the right 4xx with a readable `{ error: { code, message } }`, and nothing in
// storage changes.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, FeedCreated } from '../../contract/http.ts';
import { SEEDED_KEY } from '../../worker-edge/jobs/seed-default-feeds.ts';
import { setMeta } from '../../worker-edge/store/meta-store.ts';
import { adminHeaders, callApp, publicOnly } from '../support/call-app.ts';
import { resetDatabase } from '../support/reset-database.ts';

const origin = env.FIXTURE_ORIGIN;
let feedId: number;

async function snapshot(): Promise<string> {
  const tables = ['feeds', 'items', 'host_backoff', 'articles', 'image_refs'];
  const rows = await Promise.all(tables.map((t) => env.DB.prepare(`SELECT * FROM "${t}" ORDER BY 1`).all()));
  return JSON.stringify(rows.map((r) => r.results));
}

beforeAll(async () => {
  await resetDatabase();
  await setMeta(env.DB, SEEDED_KEY, '1');
  await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
  const res = await callApp('/api/feeds', {
    method: 'POST',
    headers: adminHeaders,
    body: JSON.stringify({ url: `${origin}/local/refresh/three-items.rss` }),
  });
  feedId = ((await res.json()) as FeedCreated).feed.id;
});

const json = (body: unknown) => ({ method: 'POST', headers: adminHeaders, body: JSON.stringify(body) });
const wrongToken = { Authorization: 'Bearer wrong', 'content-type': 'application/json' };

const cases: Array<[string, string, () => RequestInit, number, string, Env?]> = [
  [
    'malformed JSON',
    '/api/feeds',
    () => ({ method: 'POST', headers: adminHeaders, body: '{"url": ' }),
    400,
    'bad_request',
  ],
  [
    'JSON that is a string',
    '/api/feeds',
    () => ({ method: 'POST', headers: adminHeaders, body: '"http://x"' }),
    400,
    'bad_request',
  ],
  ['empty body', '/api/feeds', () => ({ method: 'POST', headers: adminHeaders, body: '' }), 400, 'bad_request'],
  [
    'a huge body',
    '/api/feeds',
    () => json({ url: 'http://example.com', pad: 'x'.repeat(2 * 1024 * 1024) }),
    413,
    'payload_too_large',
  ],
  [
    'a huge OPML',
    '/api/opml',
    () => ({ method: 'POST', headers: adminHeaders, body: `<opml>${'<outline/>'.repeat(200_000)}</opml>` }),
    413,
    'payload_too_large',
  ],
  ['url of the wrong type', '/api/feeds', () => json({ url: 42 }), 400, 'invalid_url'],
  ['a relative url', '/api/feeds', () => json({ url: '/feed.xml' }), 400, 'invalid_url'],
  ['a file: url', '/api/feeds', () => json({ url: 'file:///etc/passwd' }), 400, 'invalid_url'],
  [
    'a url with credentials',
    '/api/feeds',
    () => json({ url: 'http://user:pass@example.com/feed' }),
    400,
    'invalid_url',
  ],
  [
    'a metadata address',
    '/api/feeds',
    () => json({ url: 'http://169.254.169.254/latest/meta-data/' }),
    400,
    'blocked_address',
    publicOnly,
  ],
  ['a private address', '/api/feeds', () => json({ url: 'http://10.0.0.1/feed' }), 400, 'blocked_address', publicOnly],
  [
    'loopback in decimal',
    '/api/feeds',
    () => json({ url: 'http://2130706433/feed' }),
    400,
    'blocked_address',
    publicOnly,
  ],
  [
    'IPv4-mapped IPv6 loopback',
    '/api/feeds',
    () => json({ url: 'http://[::ffff:127.0.0.1]/feed' }),
    400,
    'blocked_address',
    publicOnly,
  ],
  ['no token', '/api/feeds', () => ({ method: 'POST', body: '{}' }), 401, 'unauthorized'],
  [
    'a wrong token',
    '/api/feeds',
    () => ({ method: 'POST', headers: wrongToken, body: JSON.stringify({ url: `${origin}/x.xml` }) }),
    401,
    'unauthorized',
  ],
  ['a wrong token on delete', '/api/feeds/1', () => ({ method: 'DELETE', headers: wrongToken }), 401, 'unauthorized'],
  [
    'a wrong token on refresh',
    '/api/refresh?force=1',
    () => ({ method: 'POST', headers: wrongToken }),
    401,
    'unauthorized',
  ],
  [
    'a wrong token on OPML import',
    '/api/opml',
    () => ({ method: 'POST', headers: wrongToken, body: '<opml/>' }),
    401,
    'unauthorized',
  ],
  ['an unknown feed id', '/api/feeds/999999', () => ({ method: 'DELETE', headers: adminHeaders }), 404, 'not_found'],
  [
    'a feed id that is not a number',
    '/api/feeds/1%20OR%201=1',
    () => ({ method: 'DELETE', headers: adminHeaders }),
    404,
    'not_found',
  ],
  ['an unknown item id', '/api/items/%27%3B%20DROP%20TABLE%20items%3B--', () => ({}), 404, 'not_found'],
  ['an unknown article id', '/api/articles/0000000000000000', () => ({}), 404, 'not_found'],
  ['a bad paging cursor', '/api/items?before=%00%ff', () => ({}), 400, 'bad_request'],
  ['a negative limit', '/api/items?limit=-5', () => ({}), 400, 'bad_request'],
  ['an article for a bad url', '/api/articles?url=javascript:alert(1)', () => ({}), 400, 'invalid_url'],
  [
    'an article for a private address',
    '/api/articles?url=http://192.168.1.1/',
    () => ({}),
    400,
    'blocked_address',
    publicOnly,
  ],
  [
    'an image that no item references',
    `/img?u=${encodeURIComponent('https://example.com/x.png')}`,
    () => ({}),
    404,
    'not_found',
  ],
];

describe('bad API input', () => {
  it.each(cases)('%s: the right 4xx, and nothing changes', async (_name, path, init, status, code, bindings) => {
    const before = await snapshot();
    const res = await callApp(path, init(), bindings ?? env);
    expect(res.status).toBe(status);
    const body = (await res.json()) as ApiError;
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(await snapshot()).toBe(before);
  });

  it('leaves the one real subscription intact after all of that', async () => {
    const feed = await env.DB.prepare('SELECT status FROM feeds WHERE id = ?').bind(feedId).first<{ status: string }>();
    expect(feed?.status).toBe('ok');
  });
});
