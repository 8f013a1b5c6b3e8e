// parseFeed on feeds written for one rule each: what it refuses and how it says so, how it repairs real-world XML,
// and how every NormalisedItem field is chosen.
import { describe, expect, it } from 'vitest';
import type { NormalisedFeed } from '../../worker-edge/model/feed.ts';
import { FeedParseError, parseFeed } from '../../worker-edge/feeds/parse-feed.ts';

const FEED_URL = 'https://news.example.org/feeds/main.xml';

const rss = (
  items: string,
  channel = '<title>Channel</title><link>https://news.example.org/</link>',
  rssAttributes = '',
) =>
  `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"${rssAttributes}>
<channel>${channel}${items}</channel></rss>`;

const atom = (entries: string, feedChildren = '<title>Atom feed</title>', feedAttributes = '') =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"${feedAttributes}>${feedChildren}${entries}</feed>`;

async function firstItem(xml: string) {
  const feed = await parseFeed(xml, FEED_URL);
  const item = feed.items[0];
  if (!item) throw new Error('no item');
  return item;
}

async function refusal(text: string): Promise<string> {
  const error = await parseFeed(text, FEED_URL).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FeedParseError);
  return (error as Error).message;
}

describe('parseFeed refuses what is not a feed, saying why', () => {
  it.each([
    ['', 'Empty response'],
    ['  \n\t ', 'Empty response'],
    ['\uFEFF', 'Empty response'],
    [
      '<!DOCTYPE html><html><head><title>Hi</title></head><body><p>Hello</body></html>',
      'Not a feed: the server sent an HTML page',
    ],
    ['<html lang="en"><body>x</body></html>', 'Not a feed: the server sent an HTML page'],
    [
      '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"/>',
      'Not a feed: the server sent an HTML page',
    ],
    ['<note><to>Tove</to></note>', 'Not a feed: the XML document is a <note>, not <rss>, <feed> or <rdf:RDF>'],
    ['<?xml version="1.0"?><!-- nothing else -->', 'Malformed XML: no root element'],
    ['Just some text', 'Not a feed: the response is neither XML nor JSON'],
    ['<rss version="2.0"><item><title>x</title></item></rss>', 'Not a feed: <rss> has no <channel>'],
  ])('%j', async (text, message) => {
    expect(await refusal(text)).toBe(message);
  });

  it('points at the line of malformed XML', async () => {
    expect(await refusal('<rss version="2.0">\n<channel>\n<title>x</titel>\n</channel></rss>')).toBe(
      'Malformed XML at line 3: Unexpected close tag',
    );
    expect(await refusal(rss('<item><title>cut off'))).toMatch(/^Malformed XML at line \d+: /);
  });

  it('keeps line numbers true when a DOCTYPE spanning lines was dropped', async () => {
    const xml =
      '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "b">\n]>\n<rss version="2.0"><channel>\n<title>x</titel></channel></rss>';
    expect(await refusal(xml)).toBe('Malformed XML at line 6: Unexpected close tag');
  });
});

describe('parseFeed repairs real-world XML', () => {
  it('reads HTML named entities, which strict XML does not define', async () => {
    const item = await firstItem(
      rss(
        '<item><title>Caf&eacute;&nbsp;&ndash; &ldquo;Na&iuml;ve&rdquo;&hellip; &NotEqualTilde;</title><description>&lt;p&gt;caf&amp;eacute;&lt;/p&gt;</description></item>',
      ),
    );
    expect(item.title).toBe('Café – “Naïve”… ≂̸');
    expect(item.summary).toBe('café');
  });

  it('escapes ampersands that start no reference, in text and in URLs, without eating &copy=2', async () => {
    const item = await firstItem(
      rss(
        '<item><title>Fish & Chips &amp; more &lt;3</title><link>https://news.example.org/?page=1&copy=2&x=y</link></item>',
      ),
    );
    expect(item.title).toBe('Fish & Chips & more <3');
    expect(item.url).toBe('https://news.example.org/?page=1&copy=2&x=y');
  });

  it('reads numeric references 128–159 as windows-1252, as HTML does, and drops invalid ones', async () => {
    const item = await firstItem(
      rss('<item><title>It&#146;s &#147;quoted&#148; &#8212; &#x2603;&#0;&#xD800;</title></item>'),
    );
    expect(item.title).toBe('It’s “quoted” — ☃\uFFFD\uFFFD');
  });

  it('removes control characters XML forbids', async () => {
    const item = await firstItem(rss('<item><title>ab\u0008cd\u0001e\u000bf</title></item>'));
    expect(item.title).toBe('abcdef');
  });

  it('keeps the order of inline XHTML in Atom content and titles', async () => {
    const item = await firstItem(
      atom(`<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <em>big</em> day</div></title>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Example <a href="test.html">test</a> and <b>more</b> text &amp; <![CDATA[<not-a-tag>]]></div></content></entry>`),
    );
    expect(item.title).toBe('A big day');
    expect(item.contentHtml).toBe(
      'Example <a href="https://news.example.org/feeds/test.html" rel="noopener noreferrer nofollow">test</a> and <b>more</b> text &amp; &lt;not-a-tag&gt;',
    );
  });

  it('keeps the order of unescaped HTML in RSS descriptions, CDATA included', async () => {
    const item = await firstItem(
      rss(
        '<item><title>t</title><description>Breaking: <![CDATA[<b>Big News</b>]]> today, <i>really</i><br> more</description></item>',
      ),
    );
    expect(item.contentHtml).toBe('Breaking: <b>Big News</b> today, <i>really</i><br /> more');
    expect(item.summary).toBe('Breaking: Big News today, really more');
  });

  it('reads Atom base64 text constructs (Atom 0.3 mode="base64")', async () => {
    const item = await firstItem(
      '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title mode="base64">RW50cnkgVGl0bGU=</title></entry></feed>',
    );
    expect(item.title).toBe('Entry Title');
  });

  it('reads <rss> without a version as RSS 2.0', async () => {
    const feed = await parseFeed(
      '<rss><channel><title>No version</title><item><title>i</title></item></channel></rss>',
      FEED_URL,
    );
    expect(feed).toMatchObject({ format: 'rss', title: 'No version', items: [{ title: 'i' }] });
  });

  it('does not fail a whole Atom feed over one bad date or a link without attributes', async () => {
    const feed = await parseFeed(
      atom(`<entry><title>a</title><published>not a date</published><updated>2024-05-01T10:00:00Z</updated><link>https://news.example.org/a</link></entry>
<entry><title>b</title><published>Wed, 01 May 2024 10:00:00 CEST</published><link href="/b"/></entry>`),
      FEED_URL,
    );
    expect(feed.items.map((item) => [item.title, item.publishedAt, item.url])).toEqual([
      ['a', Date.parse('2024-05-01T10:00:00Z'), 'https://news.example.org/a'],
      ['b', Date.parse('2024-05-01T08:00:00Z'), 'https://news.example.org/b'],
    ]);
  });
});

describe('parseFeed chooses each field', () => {
  it('knows the format', async () => {
    const formats = await Promise.all([
      parseFeed(rss(''), FEED_URL),
      parseFeed(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>r</title></channel></rdf:RDF>',
        FEED_URL,
      ),
      parseFeed(atom(''), FEED_URL),
      parseFeed('{"version":"https://jsonfeed.org/version/1.1","items":[]}', FEED_URL),
    ]);
    expect(formats.map((feed: NormalisedFeed) => feed.format)).toEqual(['rss', 'rdf', 'atom', 'json']);
  });

  it('titles are plain text; Atom type="text" keeps what looks like markup', async () => {
    expect((await firstItem(rss('<item><title>  &lt;b&gt;Bold&lt;/b&gt;\n   move </title></item>'))).title).toBe(
      'Bold move',
    );
    expect((await firstItem(atom('<entry><title type="text">Use &lt;b&gt; for bold</title></entry>'))).title).toBe(
      'Use <b> for bold',
    );
    expect(
      (await firstItem(atom('<entry><title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; co</title></entry>'))).title,
    ).toBe('Bold & co');
  });

  it('an item without a title is named by the start of its text', async () => {
    const item = await firstItem(
      rss(`<item><description>&lt;p&gt;${'word '.repeat(60)}&lt;/p&gt;</description></item>`),
    );
    expect(item.title.length).toBeLessThanOrEqual(100);
    expect(item.title).toMatch(/^word word .*…$/);
  });

  it('links are absolute http(s): relative ones resolved, hostile ones dropped', async () => {
    expect((await firstItem(rss('<item><link> /2024/post </link></item>'))).url).toBe(
      'https://news.example.org/2024/post',
    );
    expect(
      (await firstItem(rss('<item><link>javascript:alert(1)</link><guid isPermaLink="false">x</guid></item>'))).url,
    ).toBeNull();
    expect(
      (await firstItem(rss('<item><link>javascript:alert(1)</link><link>https://ok.example/</link></item>'))).url,
    ).toBe('https://ok.example/');
    expect((await firstItem(rss('<item><guid>https://news.example.org/p/1</guid></item>'))).url).toBe(
      'https://news.example.org/p/1',
    );
    expect((await firstItem(rss('<item><guid>p/1</guid></item>'))).url).toBeNull();
    expect((await firstItem(rss('<item><atom:link rel="alternate" href="/from-atom"/></item>'))).url).toBe(
      'https://news.example.org/from-atom',
    );
  });

  it('resolves against entry xml:base, then feed xml:base, then the feed URL', async () => {
    const feed = await parseFeed(
      atom(
        `<entry xml:base="entries/"><link href="one.html"/><content type="html" xml:base="/content/">&lt;a href="x.html"&gt;x&lt;/a&gt;</content></entry>
<entry><link href="two.html"/></entry>`,
        '<title>t</title><link rel="alternate" type="text/html" href="./"/><link rel="self" href="feed.xml"/>',
        ' xml:base="https://base.example/blog/"',
      ),
      FEED_URL,
    );
    expect(feed.siteUrl).toBe('https://base.example/blog/');
    expect(feed.items.map((item) => item.url)).toEqual([
      'https://base.example/blog/entries/one.html',
      'https://base.example/blog/two.html',
    ]);
    expect(feed.items[0]?.contentHtml).toBe(
      '<a href="https://base.example/content/x.html" rel="noopener noreferrer nofollow">x</a>',
    );
    const rssFeed = await parseFeed(
      rss(
        '<item><link>post/1</link></item>',
        '<title>t</title><link>/</link>',
        ' xml:base="https://other.example/feeds/"',
      ),
      FEED_URL,
    );
    expect([rssFeed.siteUrl, rssFeed.items[0]?.url]).toEqual([
      'https://other.example/',
      'https://other.example/feeds/post/1',
    ]);
  });

  it('prefers the alternate HTML link of an Atom entry, never self, edit or enclosure', async () => {
    const item = await firstItem(
      atom(
        '<entry><link rel="self" href="/self"/><link rel="enclosure" type="audio/mpeg" href="/a.mp3"/><link rel="alternate" type="application/json" href="/json"/><link rel="alternate" type="text/html" href="/html"/></entry>',
      ),
    );
    expect(item.url).toBe('https://news.example.org/html');
    expect((await firstItem(atom('<entry><link rel="edit" href="/edit"/></entry>'))).url).toBeNull();
  });

  it('trims guids and takes Atom ids and rdf:about', async () => {
    expect((await firstItem(rss('<item><guid isPermaLink="false">\n  abc-123 \n</guid></item>'))).guid).toBe('abc-123');
    expect((await firstItem(atom('<entry><id> tag:example.org,2024:1 </id></entry>'))).guid).toBe(
      'tag:example.org,2024:1',
    );
    const rdf = await parseFeed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>r</title><link>https://r.example/</link></channel><item rdf:about="https://r.example/1"><title>one</title></item></rdf:RDF>',
      FEED_URL,
    );
    expect(rdf.items[0]).toMatchObject({ guid: 'https://r.example/1', url: 'https://r.example/1', title: 'one' });
  });

  it('authors are names: e-mail forms unwrapped, several joined, Atom entries inherit the feed author', async () => {
    expect((await firstItem(rss('<item><author>jane@example.org (Jane Doe)</author></item>'))).author).toBe('Jane Doe');
    expect((await firstItem(rss('<item><author>Jane Doe &lt;jane@example.org&gt;</author></item>'))).author).toBe(
      'Jane Doe',
    );
    expect((await firstItem(rss('<item><author>jane@example.org</author></item>'))).author).toBeNull();
    expect(
      (
        await firstItem(
          rss('<item><dc:creator>Ann</dc:creator><dc:creator>Bob</dc:creator><dc:creator>Ann</dc:creator></item>'),
        )
      ).author,
    ).toBe('Ann, Bob');
    const feed = await parseFeed(
      atom(
        '<entry><title>a</title></entry><entry><author><name>Own</name></author></entry>',
        '<title>t</title><author><name>Feed Author</name></author>',
      ),
      FEED_URL,
    );
    expect(feed.items.map((item) => item.author)).toEqual(['Feed Author', 'Own']);
  });

  it('content is the richest there is, summary is short plain text cut at a word', async () => {
    const long = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(12);
    const item = await firstItem(
      rss(
        `<item><title>t</title><description>&lt;p&gt;${long}&lt;/p&gt;</description><content:encoded><![CDATA[<h2>Full</h2><p>Full <script>x()</script>text</p>]]></content:encoded></item>`,
      ),
    );
    expect(item.contentHtml).toBe('<h2>Full</h2><p>Full text</p>');
    expect(item.summary.length).toBeLessThanOrEqual(300);
    expect(item.summary).toMatch(/^Lorem ipsum .*[a-z]…$/);
    expect(long.startsWith(item.summary.slice(0, -1))).toBe(true);
    const atomItem = await firstItem(
      atom('<entry><summary>Short</summary><content type="html">&lt;p&gt;Long&lt;/p&gt;</content></entry>'),
    );
    expect([atomItem.contentHtml, atomItem.summary]).toEqual(['<p>Long</p>', 'Short']);
  });

  it('plain-text content becomes escaped paragraphs', async () => {
    const item = await firstItem(atom('<entry><content type="text">a &lt; b\nline two\n\nsecond</content></entry>'));
    expect(item.contentHtml).toBe('<p>a &lt; b<br />line two</p><p>second</p>');
  });

  it('image: media thumbnail, then image media:content, image enclosure, itunes:image, then the first real <img>', async () => {
    const media =
      '<media:content url="/video.mp4" type="video/mp4"><media:thumbnail url="/thumb-in-content.jpg"/></media:content><media:content url="/photo.jpg" medium="image"/>';
    const cases: [string, string | null][] = [
      [`<media:thumbnail url="/thumb.jpg"/>${media}`, 'https://news.example.org/thumb.jpg'],
      [media, 'https://news.example.org/thumb-in-content.jpg'],
      [
        '<media:content url="/video.mp4" type="video/mp4"/><media:content url="/photo.jpg" medium="image"/>',
        'https://news.example.org/photo.jpg',
      ],
      ['<media:group><media:thumbnail url="https://i.example/yt.jpg"/></media:group>', 'https://i.example/yt.jpg'],
      [
        '<enclosure url="/ep.mp3" type="audio/mpeg"/><enclosure url="/cover.png" type="image/png"/>',
        'https://news.example.org/cover.png',
      ],
      ['<itunes:image href="https://cdn.example/ep.jpg"/>', 'https://cdn.example/ep.jpg'],
      [
        '<description>&lt;img src="/pixel.gif" width="1" height="1"&gt;&lt;img src="javascript:x"&gt;&lt;img src="/first.jpg?a=1&amp;amp;b=2"&gt;</description>',
        'https://news.example.org/first.jpg?a=1&b=2',
      ],
      ['<media:thumbnail url="javascript:alert(1)"/>', null],
    ];
    for (const [elements, image] of cases)
      expect((await firstItem(rss(`<item><title>t</title>${elements}</item>`))).imageUrl, elements).toBe(image);
  });

  it('YouTube-style Atom: media:group carries the description and the thumbnail', async () => {
    const item = await firstItem(
      atom(
        '<entry><title>Video</title><link rel="alternate" href="https://www.youtube.com/watch?v=x"/><media:group><media:thumbnail url="https://i.ytimg.com/vi/x/hq.jpg"/><media:description>Line one\nLine two</media:description></media:group></entry>',
      ),
    );
    expect(item).toMatchObject({
      imageUrl: 'https://i.ytimg.com/vi/x/hq.jpg',
      summary: 'Line one Line two',
      contentHtml: '<p>Line one<br />Line two</p>',
    });
  });

  it('schedule hints: ttl and sy:updatePeriod / sy:updateFrequency, when they make sense', async () => {
    const hinted = await parseFeed(
      rss(
        '',
        '<title>t</title><ttl>60</ttl><sy:updatePeriod> Daily </sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>',
      ),
      FEED_URL,
    );
    expect(hinted.hints).toEqual({ ttlMinutes: 60, updatePeriod: 'daily', updateFrequency: 4 });
    const nonsense = await parseFeed(
      rss(
        '',
        '<title>t</title><ttl>-5</ttl><sy:updatePeriod>fortnightly</sy:updatePeriod><sy:updateFrequency>often</sy:updateFrequency>',
      ),
      FEED_URL,
    );
    expect(nonsense.hints).toEqual({ ttlMinutes: null, updatePeriod: null, updateFrequency: null });
  });

  it('feed title and site: plain text, absolute', async () => {
    const feed = await parseFeed(
      rss('', '<title>News &amp;amp; &lt;i&gt;Views&lt;/i&gt;</title><link>/home</link>'),
      FEED_URL,
    );
    expect([feed.title, feed.siteUrl]).toEqual(['News & Views', 'https://news.example.org/home']);
    const atomFeed = await parseFeed(
      atom('', '<title type="text">A &lt;tag&gt; title</title><link href="https://site.example/"/>'),
      FEED_URL,
    );
    expect([atomFeed.title, atomFeed.siteUrl]).toEqual(['A <tag> title', 'https://site.example/']);
  });
});
