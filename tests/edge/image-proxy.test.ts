// GET /img?u=: serves the images stored items and articles show, byte for byte and cacheable for a month, and
// refuses everything else: unreferenced URLs, non-images, oversized images, private addresses, at every redirect hop.
// (What it costs the image hosts is counted in image-proxy-origin-fetches.test.ts.)
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, ArticleView, ItemSummary } from '../../contract/http.ts';
import { fetchImageAnswer } from '../../worker-edge/api/fetch-image-answer.ts';
import type { ImageAnswer } from '../../worker-edge/api/image-answer.ts';
import { callApp, publicOnly } from '../support/call-app.ts';
import { hits } from '../support/origin-control.ts';
import { allItems, itemFor, siteUrl, subscribeSampleFeeds } from '../support/sample-site.ts';

const proxy = (url: string) => `/img?u=${encodeURIComponent(url)}`;
// The edge cache outlives a test run's URLs: a run of its own keeps them unseen.
const run = crypto.randomUUID().slice(0, 8);
let unique = 0;
const fresh = (path: string) => siteUrl(`${path}${path.includes('?') ? '&' : '?'}run=${run}&n=${++unique}`);

async function expectError(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(((await res.json()) as ApiError).error.code).toBe(code);
}

async function expectImage(res: Response, original: string): Promise<void> {
  expect(res.status, original).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^image\//);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
  const cacheControl = res.headers.get('cache-control') ?? '';
  expect(cacheControl).toContain('immutable');
  expect(Number(/max-age=(\d+)/.exec(cacheControl)?.[1])).toBeGreaterThanOrEqual(30 * 24 * 3600);
  const direct = await fetch(original);
  expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array(await direct.arrayBuffer()));
}

/** Makes `url` an image the stored article for `articleId` shows, as extraction would have recorded it. */
async function reference(url: string, articleId: string): Promise<void> {
  await env.DB.prepare('INSERT OR IGNORE INTO image_refs (url, article_id) VALUES (?, ?)').bind(url, articleId).run();
}

let article: ArticleView;
let items: ItemSummary[];

beforeAll(async () => {
  await subscribeSampleFeeds(['feeds/harbour-courier.rss', 'feeds/slow-kitchen.json']);
  items = await allItems();
  article = (await (
    await callApp(`/api/articles/${(await itemFor('harbour/2026/11/library-hours.html')).id}`)
  ).json()) as ArticleView;
});

describe('serving', () => {
  it('serves every image an extracted article shows, as the origin sent it', async () => {
    expect(article.images.length).toBeGreaterThan(0);
    for (const path of article.images) {
      const original = decodeURIComponent(path.slice('/img?u='.length));
      await expectImage(await callApp(path), original);
    }
  });

  it("serves the images the feeds' items show (lead images and images in their content)", async () => {
    const lead = items.map((item) => item.imageUrl).filter((url): url is string => url !== null);
    expect(lead.length).toBeGreaterThan(0);
    for (const url of lead) await expectImage(await callApp(proxy(url)), url);
    const kitchen = await itemFor('kitchen/recipes/weeknight-dal.html');
    const detail = (await (await callApp(`/api/items/${kitchen.id}`)).json()) as { contentHtml: string };
    const inContent = [...detail.contentHtml.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) =>
      m[1]!.replaceAll('&amp;', '&'),
    );
    expect(inContent.length).toBeGreaterThan(0);
    for (const url of inContent) await expectImage(await callApp(proxy(url)), url);
  });

  it('serves SVG only as a sandboxed document that can run nothing', async () => {
    const svg = siteUrl('images/pixel.gif?contentType=image/svg%2Bxml');
    await reference(svg, article.id);
    const res = await callApp(proxy(svg));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
  });
});

describe('refusing', () => {
  it('refuses an image no stored item or article shows, without fetching it', async () => {
    const url = siteUrl('images/harbour-ferry.jpg?shown-by=nobody');
    await expectError(await callApp(proxy(url)), 404, 'not_found');
    expect((await hits(url)).count).toBe(0);
  });

  it('refuses what is not an image', async () => {
    const url = siteUrl('harbour/2026/11/library-hours.html');
    await reference(url, article.id);
    await expectError(await callApp(proxy(url)), 415, 'unsupported_media_type');
  });

  it('refuses an image larger than 5 MB, for good (a 4xx, never retried)', async () => {
    const url = siteUrl('images/harbour-library.jpg?size=6000000&contentType=image/jpeg');
    await reference(url, article.id);
    const res = await callApp(proxy(url));
    await expectError(res, 422, 'too_large');
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('passes on a host refusing an image (403) as a refusal, not as a passing failure', async () => {
    const forbidden = siteUrl('images/harbour-library.jpg?status=403');
    await reference(forbidden, article.id);
    const res = await callApp(proxy(forbidden));
    await expectError(res, 422, 'not_readable');
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('answers for an image host that fails: gone, or upstream with Retry-After', async () => {
    const missing = siteUrl('images/harbour-library.jpg?status=404');
    const failing = siteUrl('images/harbour-library.jpg?status=503&retryAfter=90');
    await reference(missing, article.id);
    await reference(failing, article.id);
    await expectError(await callApp(proxy(missing)), 404, 'gone');
    const res = await callApp(proxy(failing));
    await expectError(res, 502, 'upstream');
    expect(res.headers.get('retry-after')).toBe('90');
  });

  it('refuses private addresses unless ALLOW_PRIVATE_NETWORK is set, even for a referenced image', async () => {
    const url = decodeURIComponent(article.images[0]!.slice('/img?u='.length));
    await expectError(await callApp(proxy(url), {}, publicOnly), 400, 'blocked_address');
    await expectError(
      await callApp(proxy('http://169.254.169.254/latest/meta-data/x.png'), {}, publicOnly),
      400,
      'blocked_address',
    );
  });

  it.each([
    ['no address', '/img'],
    ['an empty address', '/img?u='],
    ['not a URL', '/img?u=not%20a%20url'],
    ['a data: URL', `/img?u=${encodeURIComponent('data:image/png;base64,iVBORw0KGgo=')}`],
    ['a javascript: URL', `/img?u=${encodeURIComponent('javascript:alert(1)')}`],
  ])('answers %s with 400 invalid_url', async (_name, path) => {
    await expectError(await callApp(path), 400, 'invalid_url');
  });
});

describe('redirects: every hop and the answer at the end are checked', () => {
  it('serves a referenced picture that redirects to another image (the final URL need not be referenced)', async () => {
    const target = fresh('images/harbour-rowing.jpg');
    const url = fresh(`images/harbour-ferry.jpg?redirectTo=${encodeURIComponent(target)}`);
    await reference(url, article.id);
    const res = await callApp(proxy(url));
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array(await (await fetch(target)).arrayBuffer()));
  });

  it.each([
    ['a page that is not an image', () => fresh('harbour/2026/11/library-hours.html'), 415, 'unsupported_media_type'],
    [
      'an image over 5 MB',
      () => fresh('images/harbour-library.jpg?size=6000000&contentType=image/jpeg'),
      422,
      'too_large',
    ],
    ['a chain longer than 5 hops', () => fresh('images/harbour-library.jpg?redirect=6'), 422, 'not_readable'],
    ['an address that is gone', () => fresh('images/harbour-library.jpg?status=410'), 404, 'gone'],
  ])('refuses a referenced picture that redirects to %s', async (_name, target, status, code) => {
    const url = fresh(`images/harbour-ferry.jpg?redirectTo=${encodeURIComponent(target())}`);
    await reference(url, article.id);
    await expectError(await callApp(proxy(url)), status, code);
  });

  describe('with private networks refused, as in production', () => {
    // A public-looking host served by the fixture origin, so the guard sees a public address and then a redirect.
    const publicHost = 'http://images.public.example';
    const viaPublicHost = ((input: RequestInfo | URL, init?: RequestInit) =>
      fetch(String(input).replace(publicHost, env.FIXTURE_ORIGIN), init)) as typeof fetch;
    const strictFetch = (url: string) =>
      fetchImageAnswer(url, { allowPrivateNetwork: false, fetchImpl: viaPublicHost });
    const onPublicHost = (url: string) => url.replace(env.FIXTURE_ORIGIN, publicHost);
    const redirectingTo = (target: string) =>
      onPublicHost(fresh(`images/harbour-ferry.jpg?redirectTo=${encodeURIComponent(target)}`));
    const codeOf = (answer: ImageAnswer) => (JSON.parse(new TextDecoder().decode(answer.body)) as ApiError).error;

    it.each([
      [
        'the loopback fixture origin itself',
        () => fresh('images/harbour-rowing.jpg'),
        /127\.0\.0\.1 is a loopback address/,
      ],
      ['the cloud metadata service', () => 'http://169.254.169.254/latest/meta-data/iam.png', /link-local/],
      ['an IPv4-mapped loopback address', () => 'http://[::ffff:127.0.0.1]/x.png', /IPv4-mapped form of 127\.0\.0\.1/],
      ['localhost with trailing dots', () => 'http://localhost../x.png', /a name for this machine/],
      ['a Teredo address', () => 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x.png', /Teredo/],
    ])('refuses a hop to %s before asking it', async (_name, target, reason) => {
      const inner = target();
      const answer = await strictFetch(redirectingTo(inner));
      expect(answer.status).toBe(400);
      expect(codeOf(answer).code).toBe('blocked_address');
      expect(codeOf(answer).message).toMatch(/^Redirect to .* refused: /);
      expect(codeOf(answer).message).toMatch(reason);
      if (inner.startsWith(env.FIXTURE_ORIGIN)) expect((await hits(inner)).count).toBe(0);
    });

    it('follows hops that stay public, and still checks the answer at the end', async () => {
      const image = await strictFetch(redirectingTo(onPublicHost(fresh('images/harbour-rowing.jpg'))));
      expect(image.status).toBe(200);
      expect(image.headers['Content-Type']).toBe('image/jpeg');
      const page = await strictFetch(redirectingTo(onPublicHost(fresh('harbour/2026/11/library-hours.html'))));
      expect([page.status, codeOf(page).code]).toEqual([415, 'unsupported_media_type']);
      const huge = await strictFetch(
        redirectingTo(onPublicHost(fresh('images/harbour-library.jpg?size=6000000&contentType=image/jpeg'))),
      );
      expect([huge.status, codeOf(huge).code]).toEqual([422, 'too_large']);
    });
  });
});
