// One page or feed item registers at most MAX_IMAGES_PER_OWNER pictures with the image proxy; the pictures past the
// cap are left out of what is stored and shown, so no /img link points at a picture the proxy would refuse.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArticleView } from '../../contract/http.ts';
import { MAX_IMAGES_PER_OWNER } from '../../worker-edge/images/capped-image-set.ts';
import { proxiedImageUrl } from '../../contract/paths.ts';
import { addFeeds, getFeedByUrl } from '../../worker-edge/store/feeds-store.ts';
import { callApp } from '../support/call-app.ts';
import { hits, scriptResponses } from '../support/origin-control.ts';
import { refreshFeed, refreshSettings } from '../support/refresh-one.ts';
import { resetDatabase } from '../support/reset-database.ts';

const origin = env.FIXTURE_ORIGIN;
const PICTURES = 3_001;
// The edge cache outlives a test run's URLs: a run of its own keeps them unseen.
const run = crypto.randomUUID().slice(0, 8);
let unique = 0;
const fresh = (path: string) => `${origin}${path}${path.includes('?') ? '&' : '?'}run=${run}&n=${++unique}`;
const picture = (page: string, k: number) => `${origin}/site/images/pixel.gif?page=${page}&k=${k}`;

beforeEach(resetDatabase);

const imgSources = (html: string) =>
  [...html.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

async function refCount(column: 'article_id' | 'item_id', id: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM image_refs WHERE ${column} = ?`)
    .bind(id)
    .first<{ n: number }>();
  return row!.n;
}

/** Every /img link in the HTML is one the proxy answers (the picture is registered), not a broken image. */
async function expectEveryImageServed(html: string): Promise<void> {
  const sources = imgSources(html);
  expect(sources.every((src) => src.startsWith('/img?u='))).toBe(true);
  for (const src of sources) expect((await callApp(src)).status, src).toBe(200);
}

describe('the cap on pictures a page or item registers', () => {
  it(`a page read by its address with ${PICTURES} pictures registers and shows the first ${MAX_IMAGES_PER_OWNER}`, async () => {
    const page = fresh('/local/many-pictures.html');
    const tag = `p${unique}`;
    const figures = Array.from(
      { length: PICTURES },
      (_, k) =>
        `<p>Paragraph ${k} of a long picture essay, with some words in it.</p><img src="${picture(tag, k)}" width="320" height="200" alt="Picture ${k}">`,
    );
    const html = `<!doctype html><html><head><title>Pictures</title></head><body><article><h1>Pictures</h1>${figures.join('')}</article></body></html>`;
    await scriptResponses(page, [{ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html }]);

    const res = await callApp(`/api/articles?url=${encodeURIComponent(page)}`);
    expect(res.status).toBe(200);
    const article = (await res.json()) as ArticleView;
    expect(article.images).toHaveLength(MAX_IMAGES_PER_OWNER);
    expect(article.images).toEqual(
      Array.from({ length: MAX_IMAGES_PER_OWNER }, (_, k) => proxiedImageUrl(picture(tag, k))),
    );
    expect(await refCount('article_id', article.id)).toBe(MAX_IMAGES_PER_OWNER);
    // The text is all there; the pictures past the cap are left out, not left broken.
    expect(article.contentHtml).toContain(`Paragraph ${PICTURES - 1} of a long picture essay`);
    expect(imgSources(article.contentHtml)).toHaveLength(MAX_IMAGES_PER_OWNER);
    await expectEveryImageServed(article.contentHtml);

    const beyond = picture(tag, MAX_IMAGES_PER_OWNER);
    expect((await callApp(proxiedImageUrl(beyond))).status).toBe(404);
    expect((await hits(beyond)).count).toBe(0);
  });

  it(`a feed item with a lead picture and ${PICTURES} in its content registers ${MAX_IMAGES_PER_OWNER}, the lead first`, async () => {
    const feedUrl = fresh('/local/refresh/three-items.rss');
    const tag = `f${unique}`;
    const lead = `${origin}/site/images/harbour-ferry.jpg?lead=${tag}`;
    const content = Array.from(
      { length: PICTURES },
      (_, k) => `&lt;p&gt;Line ${k}&lt;img src="${picture(tag, k)}"&gt;&lt;/p&gt;`,
    ).join('');
    const rss =
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Pictures</title><link>${origin}/</link>` +
      `<item><guid>pictures-1</guid><title>Many pictures</title><enclosure url="${lead}" type="image/jpeg" length="1"/>` +
      `<description>${content}</description></item></channel></rss>`;
    await scriptResponses(feedUrl, [{ status: 200, headers: { 'content-type': 'application/rss+xml' }, body: rss }]);
    await addFeeds(env.DB, [{ url: feedUrl }], Date.now());
    const feedId = (await getFeedByUrl(env.DB, feedUrl))!.id;
    expect((await refreshFeed(env.DB, feedId, Date.now(), refreshSettings(env))).kind).toBe('refreshed');

    const item = await env.DB.prepare('SELECT id, image_url, content_html FROM items WHERE feed_id = ?')
      .bind(feedId)
      .first<{ id: string; image_url: string; content_html: string }>();
    expect(item!.image_url).toBe(lead);
    expect(await refCount('item_id', item!.id)).toBe(MAX_IMAGES_PER_OWNER);
    expect(imgSources(item!.content_html)).toEqual(
      Array.from({ length: MAX_IMAGES_PER_OWNER - 1 }, (_, k) => picture(tag, k)),
    );
    expect(item!.content_html).toContain(`Line ${PICTURES - 1}`);

    // Its readable article (the feed's copy: the item has no link) shows exactly the registered pictures.
    const article = (await (await callApp(`/api/articles/${item!.id}`)).json()) as ArticleView;
    expect(article.images).toHaveLength(MAX_IMAGES_PER_OWNER - 1);
    await expectEveryImageServed(article.contentHtml);
    expect((await callApp(proxiedImageUrl(lead))).status).toBe(200);
  });
});
