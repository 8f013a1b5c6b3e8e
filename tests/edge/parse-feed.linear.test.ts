// Every parsing step is linear in its input: each hostile family (tests/fixture-origin/hostile-bodies.ts) at 3.9 MB,
// just under the 4 MB body cap, parses or is refused with a readable FeedParseError within a bound that the
// quadratic versions (15 s for 80 KB of spaces in a start tag; minutes for deep nesting) blow by far.
// Also: what lenient readers recover (stray end tags, elements left open) yields its items.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../worker-edge/feeds/parse-feed.ts';
import { HOSTILE_FAMILIES } from '../fixture-origin/hostile-bodies.ts';
import { realisticFeed } from '../e2e/support/realistic-feed.ts';

const FEED_URL = 'https://feeds.example.net/feed';
const SIZE = 3.9 * 1024 * 1024;
const BOUND_MS = 8_000;
/** A loaded machine slows every parse alike: the bound grows with a well-formed feed of the same size, timed here. */
const BASELINE_FACTOR = 10;

describe('hostile input at 3.9 MB ends in bounded time', () => {
  let boundMs = BOUND_MS;
  beforeAll(async () => {
    const wellFormed = realisticFeed(1500);
    await parseFeed(wellFormed, FEED_URL);
    const started = performance.now();
    await parseFeed(wellFormed, FEED_URL);
    boundMs = Math.max(BOUND_MS, BASELINE_FACTOR * (performance.now() - started));
  });

  for (const [name, family] of Object.entries(HOSTILE_FAMILIES)) {
    it(name, { timeout: 30_000 }, async () => {
      const body = family.make(SIZE);
      expect(body.length).toBeGreaterThan(SIZE * 0.9);
      const started = performance.now();
      const outcome = await parseFeed(body, FEED_URL).then(
        (feed) => ({ feed }),
        (error: unknown) => ({ error }),
      );
      const ms = performance.now() - started;
      expect(ms, `${name} took ${Math.round(ms)} ms (bound ${Math.round(boundMs)} ms)`).toBeLessThan(boundMs);
      if ('recovered' in family.outcome) {
        if ('error' in outcome) throw outcome.error;
        expect(outcome.feed.items.map((item) => item.title)).toEqual(['one']);
      } else {
        expect('error' in outcome && outcome.error).toBeInstanceOf(FeedParseError);
        expect('error' in outcome && (outcome.error as Error).message).toMatch(family.outcome.refused);
      }
    });
  }

  it('the fixture origin serves the same bodies, sized by ?bytes=', async () => {
    const response = await fetch(`${env.FIXTURE_ORIGIN}/local/hostile/space-before-attribute?bytes=100000`);
    expect(response.headers.get('content-type')).toBe('application/rss+xml');
    const text = await response.text();
    expect(text).toBe(HOSTILE_FAMILIES['space-before-attribute']!.make(100_000));
    expect((await parseFeed(text, FEED_URL)).items[0]?.summary).toBe('x');
  });
});

const rss = (channel: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Lenient</title>${channel}`;
const items = (...titles: string[]) =>
  titles.map((title) => `<item><title>${title}</title><link>https://example.org/${title}</link></item>`).join('');

describe('lenient XML: read what feedparser and htmlparser2 read', () => {
  it.each([
    ['a stray </p> in the channel', rss(`</p>${items('a', 'b')}</channel></rss>`), ['a', 'b']],
    ['a stray </div> between items', rss(`${items('a')}</div>${items('b')}</channel></rss>`), ['a', 'b']],
    ['a doubled </item>', rss(`<item><title>a</title></item></item>${items('b')}</channel></rss>`), ['a', 'b']],
    ['a stray end tag after the root', rss(`${items('a')}</channel></rss></rss>`), ['a']],
    ['cut off after the last complete item', rss(items('a', 'b')), ['a', 'b']],
    [
      'cut off inside an item, after its title',
      rss(`${items('a')}<item><title>b</title><link>https://example.org/b`),
      ['a', 'b'],
    ],
    ['an item left open until the channel closes', rss(`<item><title>a</title><category>x</channel></rss>`), ['a']],
    [
      'a stray </p> inside an unescaped description',
      rss(`<item><title>a</title><description>one</p> two</description></item></channel></rss>`),
      ['a'],
    ],
  ])('%s', async (_name, xml, titles) => {
    const feed = await parseFeed(xml, FEED_URL);
    expect(feed.title).toBe('Lenient');
    expect(feed.items.map((item) => item.title)).toEqual(titles);
  });

  it('a stray </p> in a description stays out of its text', async () => {
    const feed = await parseFeed(
      rss(`<item><title>a</title><description>one</p> two</description></item></channel></rss>`),
      FEED_URL,
    );
    expect(feed.items[0]?.summary).toBe('one two');
  });

  it.each([
    ['a text element closed by its parent', rss(`<item><title>Unclosed</item></channel></rss>`)],
    ['a text element cut off', rss(`<item><title>cut off`)],
    ['a misspelt end tag inside a title', rss(`<title>x</titel></channel></rss>`)],
  ])('still refuses %s, saying where', async (_name, xml) => {
    await expect(parseFeed(xml, FEED_URL)).rejects.toThrow(/^Malformed XML at line \d+: /);
  });
});
