// JSON Feed 1.0 and 1.1: the spec's examples (sonicdoe/jsonfeed-schema) and gofeed's JSON parser fixtures, each
// compared with a plain reading of the same document; then the distrust cases, where fields have the wrong types.
import { describe, expect, it } from 'vitest';
import type { NormalisedFeed } from '../../worker-edge/model/feed.ts';
import { FeedParseError, parseFeed } from '../../worker-edge/feeds/parse-feed.ts';
import { fixtureList, fixtureText } from './feed-fixtures.ts';

const FEED_URL = 'https://feeds.example.net/feed.json';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

function names(holder: Json): string[] {
  const authors = Array.isArray(holder.authors) ? holder.authors : holder.author ? [holder.author] : [];
  return authors.map((author) => str(obj(author).name)).filter((name): name is string => name !== null);
}

/** What a JSON Feed document says, read directly, against what parseFeed made of it. */
function expectFaithful(feed: NormalisedFeed, document: Json, label: string): void {
  expect(feed.format, label).toBe('json');
  expect(feed.title, label).toBe(str(document.title) ?? '');
  expect(feed.siteUrl, label).toBe(str(document.home_page_url) ? new URL(String(document.home_page_url)).href : null);
  const items = Array.isArray(document.items) ? document.items.map(obj) : [];
  expect(feed.items, label).toHaveLength(items.length);
  items.forEach((item, index) => {
    const ours = feed.items[index];
    const where = `${label} item ${index}`;
    expect(ours?.guid, where).toBe(str(item.id) ?? (typeof item.id === 'number' ? String(item.id) : null));
    const url = str(item.url) ?? str(item.external_url);
    expect(ours?.url, where).toBe(url ? new URL(url, FEED_URL).href : null);
    if (str(item.title)) expect(ours?.title, where).toBe(String(item.title));
    const date = str(item.date_published) ?? str(item.date_modified);
    expect(ours?.publishedAt, where).toBe(date ? Date.parse(date) : null);
    const authors = names(item).length ? names(item) : names(document);
    expect(ours?.author, where).toBe(authors.length ? authors.join(', ') : null);
    const image = str(item.image) ?? str(item.banner_image);
    if (image) expect(ours?.imageUrl, where).toBe(new URL(image, FEED_URL).href);
    const hasContent = Boolean(str(item.content_html) ?? str(item.content_text) ?? str(item.summary));
    expect(Boolean(ours?.contentHtml), where).toBe(hasContent);
    if (str(item.summary)) expect(ours?.summary, where).toBe(String(item.summary).trim());
  });
}

describe('JSON Feed', () => {
  it('reads the spec examples, 1.0 and 1.1, as they are written', async () => {
    const files = await fixtureList('shared/jsonfeed/examples');
    expect(files.filter((file) => file.endsWith('.json')).length).toBeGreaterThanOrEqual(6);
    for (const file of files.filter((name) => name.endsWith('.json'))) {
      const text = await fixtureText(`shared/jsonfeed/examples/${file}`);
      expectFaithful(await parseFeed(text, FEED_URL), JSON.parse(text) as Json, file);
    }
  });

  it("reads gofeed's JSON fixtures as their expected documents say", async () => {
    const files = (await fixtureList('shared/gofeed/testdata/parser/json')).filter((file) =>
      file.endsWith('_expected.json'),
    );
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const expectedFile of files) {
      const input = await fixtureText(
        `shared/gofeed/testdata/parser/json/${expectedFile.replace('_expected.json', '.json')}`,
      );
      const expected = JSON.parse(await fixtureText(`shared/gofeed/testdata/parser/json/${expectedFile}`)) as Json;
      expectFaithful(await parseFeed(input, FEED_URL), expected, expectedFile);
    }
  });

  it('survives fields of the wrong type, treating them as absent', async () => {
    const feed = await parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 5,
        home_page_url: { href: 'x' },
        authors: 'me',
        items: [
          {
            id: {},
            title: ['x'],
            url: 7,
            content_html: null,
            content_text: 3,
            date_published: 'yesterday',
            authors: 'me',
            image: {},
            tags: 'a',
          },
          'not an item',
          null,
          42,
          [],
          {
            id: 12,
            url: 'javascript:alert(1)',
            external_url: '/relative',
            title: ' Spaced   title ',
            summary: 7,
            content_text: 'a < b\n\nnext',
          },
        ],
      }),
      FEED_URL,
    );
    expect(feed.title).toBe('');
    expect(feed.siteUrl).toBeNull();
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toEqual({
      guid: null,
      url: null,
      title: '',
      author: null,
      publishedAt: null,
      summary: '',
      contentHtml: '',
      imageUrl: null,
      imageSources: [],
    });
    expect(feed.items[1]).toMatchObject({
      guid: '12',
      url: 'https://feeds.example.net/relative',
      title: 'Spaced title',
      summary: 'a < b next',
      contentHtml: '<p>a &lt; b</p><p>next</p>',
    });
  });

  it('gives items the feed-level authors when they have none (1.1), and reads 1.0 author', async () => {
    const feed = await parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1',
        author: { name: 'Feed Author' },
        items: [
          { id: '1', content_text: 'x' },
          { id: '2', content_text: 'y', author: { name: 'Item Author' } },
        ],
      }),
      FEED_URL,
    );
    expect(feed.items.map((item) => item.author)).toEqual(['Feed Author', 'Item Author']);
  });

  it('takes content_html over content_text, and resolves relative URLs in it against the feed URL', async () => {
    const feed = await parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        items: [{ id: '1', content_text: 'plain', content_html: '<p><a href="/post">read</a><img src="pic.png"></p>' }],
      }),
      FEED_URL,
    );
    expect(feed.items[0]?.contentHtml).toBe(
      '<p><a href="https://feeds.example.net/post" rel="noopener noreferrer nofollow">read</a><img src="https://feeds.example.net/pic.png" /></p>',
    );
    expect(feed.items[0]?.imageUrl).toBe('https://feeds.example.net/pic.png');
    expect(feed.items[0]?.title).toBe('read');
  });

  it.each([
    ['[]', /^Not a feed: JSON without a JSON Feed version or items$/],
    ['{"title":"no items, no version"}', /^Not a feed: JSON without a JSON Feed version or items$/],
    ['{"version": "1.0"', /^Malformed JSON: /],
    ['{"version":"https://jsonfeed.org/version/1.1","items":{}}', null],
  ])('%s', async (text, message) => {
    if (message === null) {
      expect((await parseFeed(text, FEED_URL)).items).toEqual([]);
      return;
    }
    const error = await parseFeed(text, FEED_URL).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as Error).message).toMatch(message);
  });
});
