// Feed HTML is sanitised once, when its feed is refreshed (normalise → sanitise → store, Miniflux's pipeline): what
// is stored is what the item API, its article and its page serve, pictures aside (those go through /img).
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleView, ItemDetail } from '../../contract/http.ts';
import { proxiedImageUrl } from '../../contract/paths.ts';
import { renderArticleHtml, renderStoredFeedHtml } from '../../worker-edge/articles/render-article-html.ts';
import { decodeFeedBytes } from '../../worker-edge/feeds/decode-feed-bytes.ts';
import { parseFeed } from '../../worker-edge/feeds/parse-feed.ts';
import { callApp } from '../support/call-app.ts';
import { siteUrl, subscribeSampleFeeds } from '../support/sample-site.ts';
import { fixtureBody, fixtureList } from './feed-fixtures.ts';

const FEED = 'feeds/harbour-courier.rss';

interface StoredItem {
  id: string;
  url: string;
  content_html: string;
}

describe('feed HTML is sanitised once, when its feed is refreshed', () => {
  let stored: StoredItem[];

  beforeAll(async () => {
    await subscribeSampleFeeds([FEED]);
    ({ results: stored } = await env.DB.prepare('SELECT id, url, content_html FROM items').all<StoredItem>());
  });

  it('stores what normalisation made, with the pictures it found as the item’s image references', async () => {
    const { bytes, contentType } = await fixtureBody(`site/${FEED}`);
    const parsed = await parseFeed(decodeFeedBytes(bytes, contentType), siteUrl(FEED));
    expect(stored.length).toBe(parsed.items.length);
    for (const item of parsed.items) {
      const row = stored.find((candidate) => candidate.url === item.url)!;
      expect(row.content_html).toBe(item.contentHtml);
      const { results } = await env.DB.prepare('SELECT url FROM image_refs WHERE item_id = ?')
        .bind(row.id)
        .all<{ url: string }>();
      expect(results.map((ref) => ref.url).sort()).toEqual([...item.imageSources].sort());
    }
  });

  it('and serves it as stored: the item, its article from the feed copy and its page', async () => {
    const [item] = stored;
    // A class is something the sanitiser drops: kept, it shows nothing sanitised the stored HTML again.
    const html = `${item!.content_html}<p class="stored">as stored</p>`;
    // Without a link, the feed's copy is the article.
    await env.DB.prepare('UPDATE items SET url = NULL, content_html = ? WHERE id = ?').bind(html, item!.id).run();

    const detail = (await (await callApp(`/api/items/${item!.id}`)).json()) as ItemDetail;
    expect(detail.contentHtml).toBe(html);
    const article = (await (await callApp(`/api/articles/${item!.id}`)).json()) as ArticleView;
    expect(article.source).toBe('feed');
    expect(article.contentHtml).toBe(renderStoredFeedHtml(html).contentHtml);
    expect(article.contentHtml).toContain('<p class="stored">as stored</p>');
    expect(article.contentHtml).toContain(
      `<img loading="lazy" src="${proxiedImageUrl(siteUrl('images/harbour-footbridge.jpg'))}"`,
    );
    expect(await (await callApp(`/read/${item!.id}`)).text()).toContain('<p class="stored">as stored</p>');
  });
});

describe('stored feed HTML made ready to serve', () => {
  it('is what a second sanitiser pass made of it, for every item of the fixture feeds and the XSS feeds', async () => {
    const gofeed = (await fixtureList('shared/gofeed/testdata'))
      .filter((file) => /\.(xml|json)$/.test(file) && !file.endsWith('_expected.json'))
      .map((file) => `shared/gofeed/testdata/${file}`);
    const ours = [
      'local/sample-site/feeds/harbour-courier.rss',
      'local/sample-site/feeds/cafe-europa.rss',
      'local/sample-site/feeds/slow-kitchen.json',
    ];
    const xss = ['xss/feed.rss', 'xss/feed.atom', 'xss/feed-xhtml.atom', 'xss/feed.json'];
    let compared = 0;
    for (const file of [...gofeed, ...ours, ...xss]) {
      const { bytes, contentType, url } = await fixtureBody(file);
      const parsed = await parseFeed(decodeFeedBytes(bytes, contentType), url).catch(() => null);
      for (const item of parsed?.items ?? []) {
        expect(renderStoredFeedHtml(item.contentHtml), file).toEqual(renderArticleHtml(item.contentHtml, url));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(400);
  });
});
