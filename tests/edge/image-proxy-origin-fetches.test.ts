// What /img costs the image hosts, counted at the fixture origin: a picture is fetched once however many readers
// ask (the edge cache, caches.default, keeps the answer; identical requests at once share one fetch), refusals for
// good are kept briefly and passing failures not at all, and a picture no stored content shows is never fetched.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../contract/http.ts';
import { edgeCacheKey } from '../../worker-edge/api/image-edge-cache.ts';
import { proxiedImageUrl } from '../../contract/paths.ts';
import { callApp } from '../support/call-app.ts';
import { hits, scriptResponses } from '../support/origin-control.ts';
import { siteUrl } from '../support/sample-site.ts';

const REPEATS = 20;
const ARTICLE_ID = 'page-with-pictures';
// The edge cache outlives a test run's URLs: a run of its own keeps them unseen.
const run = crypto.randomUUID().slice(0, 8);
let unique = 0;
const fresh = (path: string) => siteUrl(`${path}${path.includes('?') ? '&' : '?'}run=${run}&n=${++unique}`);

async function reference(url: string, articleId = ARTICLE_ID): Promise<void> {
  await env.DB.prepare('INSERT OR IGNORE INTO image_refs (url, article_id) VALUES (?, ?)').bind(url, articleId).run();
}

function insertArticle(id: string) {
  return env.DB.prepare(
    `INSERT INTO articles (id, item_id, url, version, title, content_html, word_count, images, source, etag, extracted_at)
     VALUES (?, NULL, ?, 'v1', 'Pictures', '<p>text</p>', 1, '[]', 'page', 'etag', ?)`,
  ).bind(id, `https://pages.example/${id}`, Date.now());
}

/** workerd's caches.default (the DOM types these tests compile with do not know it). */
const edgeCache = () => (caches as CacheStorage & { default: Cache }).default;
const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const codeOf = async (res: Response) => ((await res.json()) as ApiError).error.code;

beforeAll(async () => {
  await insertArticle(ARTICLE_ID).run();
});

describe('a picture is fetched from its host once', () => {
  it(`${REPEATS} requests one after another cost 1 origin fetch: the answer is kept in caches.default`, async () => {
    const url = fresh('images/harbour-ferry.jpg');
    await reference(url);
    const answers = [];
    for (let i = 0; i < REPEATS; i += 1) answers.push(await callApp(proxiedImageUrl(url)));
    expect(answers.map((res) => res.status)).toEqual(Array(REPEATS).fill(200));
    expect((await hits(url)).count).toBe(1);
    const original = await bytesOf(await fetch(url));
    for (const res of answers) expect(await bytesOf(res)).toEqual(original);
    // Kept in the real Cache API of workerd, under the normalised image URL.
    const kept = await edgeCache().match(edgeCacheKey(new URL(url), 'http://localhost/img'));
    expect(kept?.status).toBe(200);
    expect(await bytesOf(kept!)).toEqual(original);
  });

  it(`${REPEATS} identical requests at once share 1 origin fetch, every reader getting the whole picture`, async () => {
    const url = fresh('images/harbour-storm.jpg?delayMs=300');
    await reference(url);
    const answers = await Promise.all(Array.from({ length: REPEATS }, () => callApp(proxiedImageUrl(url))));
    expect(answers.map((res) => res.status)).toEqual(Array(REPEATS).fill(200));
    const original = await bytesOf(await fetch(url));
    for (const res of answers) expect(await bytesOf(res)).toEqual(original);
    expect((await hits(url)).count).toBe(2); // our one fetch, and the test's own direct one above
  });

  it('a 4 MB picture asked for 5 times leaves its host once, 4 MB in all', async () => {
    const url = fresh('images/harbour-library.jpg?size=4000000&contentType=image/jpeg');
    await reference(url);
    for (let i = 0; i < 5; i += 1) {
      const res = await callApp(proxiedImageUrl(url));
      expect(res.status).toBe(200);
      expect((await bytesOf(res)).byteLength).toBe(4_000_000);
    }
    const origin = await hits(url);
    expect(origin.count).toBe(1);
    expect(origin.lastBodyBytes).toBe(4_000_000);
  });

  it('the same picture written differently is one cache entry: the key is the normalised URL, without fragment', async () => {
    const url = fresh('images/notes-moon.jpg');
    const variants = [
      url,
      `${url}#top`,
      url.replace('/images/', '/images/./'),
      url.replace('/site/', '/site/images/../'),
    ];
    for (const variant of variants) await reference(new URL(variant).href);
    for (const variant of variants) expect((await callApp(proxiedImageUrl(variant))).status, variant).toBe(200);
    expect((await hits(url)).count).toBe(1);
  });
});

describe('failures', () => {
  it('a refusal for good (404, too large) is kept briefly: asked 3 times, fetched once', async () => {
    const missing = fresh('images/harbour-library.jpg?status=404');
    const huge = fresh('images/harbour-library.jpg?size=6000000&contentType=image/jpeg');
    for (const url of [missing, huge]) await reference(url);
    for (let i = 0; i < 3; i += 1) {
      const gone = await callApp(proxiedImageUrl(missing));
      expect(gone.status).toBe(404);
      expect(await codeOf(gone)).toBe('gone');
      // The reader's copy is told nothing about keeping it: the edge keeps it for minutes, not the browser.
      expect(gone.headers.get('cache-control')).toBeNull();
      const tooLarge = await callApp(proxiedImageUrl(huge));
      expect(tooLarge.status).toBe(422);
      expect(await codeOf(tooLarge)).toBe('too_large');
    }
    expect((await hits(missing)).count).toBe(1);
    expect((await hits(huge)).count).toBe(1);
    for (const url of [missing, huge]) {
      const kept = await edgeCache().match(edgeCacheKey(new URL(url), 'http://localhost/img'));
      expect(kept?.headers.get('cache-control')).toBe('max-age=300');
    }
  });

  it('a passing failure (503) is never kept: each request asks again, and the picture is served once it is back', async () => {
    const failing = fresh('images/harbour-library.jpg');
    const busy = { status: 503, headers: { 'retry-after': '30' }, body: 'busy' };
    await scriptResponses(failing, [busy, busy, busy]);
    await reference(failing);
    for (let i = 0; i < 3; i += 1) {
      const res = await callApp(proxiedImageUrl(failing));
      expect(res.status).toBe(502);
      expect(res.headers.get('retry-after')).toBe('30');
    }
    expect((await callApp(proxiedImageUrl(failing))).status).toBe(200);
    expect((await callApp(proxiedImageUrl(failing))).status).toBe(200);
    expect((await hits(failing)).count).toBe(4);
  });
});

describe('pictures no stored content shows', () => {
  it(`are refused without any origin fetch, ${REPEATS} times over`, async () => {
    const url = fresh('images/harbour-ferry.jpg?shown-by=nobody');
    for (let i = 0; i < REPEATS; i += 1) {
      const res = await callApp(proxiedImageUrl(url));
      expect(res.status).toBe(404);
      expect(await codeOf(res)).toBe('not_found');
    }
    expect((await hits(url)).count).toBe(0);
  });

  it('go with their article: once its row is deleted its pictures are refused, even those in the edge cache', async () => {
    const articleId = `deleted-${run}`;
    await insertArticle(articleId).run();
    const url = fresh('images/kitchen-dal.jpg');
    await reference(url, articleId);
    expect((await callApp(proxiedImageUrl(url))).status).toBe(200);

    // Deleting the article row is all it takes: image_refs.article_id is ON DELETE CASCADE.
    await env.DB.prepare('DELETE FROM articles WHERE id = ?').bind(articleId).run();
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM image_refs WHERE article_id = ?')
      .bind(articleId)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
    const res = await callApp(proxiedImageUrl(url));
    expect(res.status).toBe(404);
    expect(await codeOf(res)).toBe('not_found');
    expect((await hits(url)).count).toBe(1);
  });
});
