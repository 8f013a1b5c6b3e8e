import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { OpmlParseError, parseOpml, renderOpml } from '../../worker-edge/feeds/opml.ts';
import defaultFeedsOpml from '../../worker-edge/seed/default-feeds.opml';

async function listShared(dir: string): Promise<string[]> {
  const res = await fetch(`${env.FIXTURE_ORIGIN}/__list/shared/${dir}`);
  expect(res.status).toBe(200);
  return (await res.json()) as string[];
}

/** Fixtures are bytes; decode them as their XML declaration says (several say ISO-8859-1). */
async function readShared(path: string): Promise<string> {
  const bytes = await (await fetch(`${env.FIXTURE_ORIGIN}/shared/${path}`)).arrayBuffer();
  const head = new TextDecoder('windows-1252').decode(bytes.slice(0, 200));
  const encoding = /<\?xml[^>]*encoding=["']([\w.:-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  return new TextDecoder(encoding).decode(bytes);
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.replace(/^#x/i, '0x').replace('#', '')));
    return XML_ENTITIES[ref] ?? whole;
  });
}

/**
 * What the parser should find, read independently of it: every <outline> start tag with an xmlUrl attribute (any
 * case) and a feed type, de-duplicated; the ones whose URL is not absolute http(s) are counted as invalid.
 */
function expectedFeeds(text: string) {
  const feeds: Array<{ xmlUrl: string; title: string | null }> = [];
  let invalid = 0;
  for (const [tag] of text.matchAll(/<outline\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi)) {
    const attributes = new Map(
      [...tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((m) => [
        (m[1] ?? '').toLowerCase(),
        decodeXmlAttribute(m[2] ?? m[3] ?? ''),
      ]),
    );
    const xmlUrl = attributes.get('xmlurl');
    const type = attributes.get('type')?.toLowerCase();
    if (xmlUrl === undefined || (type !== undefined && type !== 'rss' && type !== 'atom')) continue;
    const url = URL.canParse(xmlUrl.trim()) ? new URL(xmlUrl.trim()) : null;
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
      invalid += 1;
      continue;
    }
    if (feeds.some((feed) => feed.xmlUrl === url.href)) continue;
    const title = (attributes.get('title') || attributes.get('text'))?.replace(/\s+/g, ' ').trim() || null;
    feeds.push({ xmlUrl: url.href, title });
  }
  return { feeds, invalid };
}

describe('parseOpml over the shared OPML fixtures', async () => {
  const files = (await listShared('opml')).filter((name) => name.endsWith('.opml'));

  it('finds fixtures of every kind, with well over a hundred feeds between them', async () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(files.some((name) => name.includes('malformed'))).toBe(true);
    const texts = await Promise.all(files.map((name) => readShared(`opml/${name}`)));
    expect(texts.reduce((sum, text) => sum + expectedFeeds(text).feeds.length, 0)).toBeGreaterThan(120);
  });

  it.each(files.filter((name) => !name.includes('malformed')))(
    '%s: the feeds a plain reading of the file finds',
    async (name) => {
      const text = await readShared(`opml/${name}`);
      const parsed = parseOpml(text);
      const expected = expectedFeeds(text);

      expect(parsed.outlines.map(({ xmlUrl, title }) => ({ xmlUrl, title }))).toEqual(expected.feeds);
      expect(parsed.invalid).toBe(expected.invalid);
      const headTitle = /<head>[\s\S]*?<title>([^<]*)<\/title>[\s\S]*?<\/head>/.exec(text)?.[1];
      expect(parsed.title).toBe(headTitle ? decodeXmlAttribute(headTitle).trim() || null : null);

      // Each step of a feed's folder is the title of a folder outline (one without xmlUrl) of the same file.
      const folders = new Set(
        [...text.matchAll(/<outline\b(?![^>]*xmlUrl)[^>]*\b(?:title|text)="([^"]*)"/gi)].map((m) => m[1]),
      );
      for (const outline of parsed.outlines) {
        for (const step of outline.folder?.split(' / ') ?? []) expect(folders).toContain(step);
        if (outline.htmlUrl !== null) expect(outline.htmlUrl).toMatch(/^https?:\/\//);
      }
    },
  );

  it.each(files.filter((name) => name.includes('malformed')))('%s: refused with an OpmlParseError', async (name) => {
    const text = await readShared(`opml/${name}`);
    expect(() => parseOpml(text)).toThrow(OpmlParseError);
  });

  it('keeps the folders of reader exports', async () => {
    const feedly = parseOpml(await readShared('opml/opml-go/feedreader/feedly.opml'));
    const newsblur = parseOpml(await readShared('opml/opml-go/feedreader/newsblur.opml'));
    expect(feedly.outlines.map((o) => [o.title, o.folder])).toEqual([
      ['Elixir Lang', 'Programming'],
      ['Zephyr Project', 'Programming'],
      ['Python Insider', 'Programming'],
      ['BeamNG.drive', 'Games'],
      ['Vintage Story', 'Games'],
    ]);
    expect(newsblur.outlines.map((o) => o.folder)).toEqual([
      'Security',
      'Security',
      'Security',
      'Programming',
      'Programming',
    ]);
    const top100 = parseOpml(await readShared('opml/node-opmlparser/top100.opml'));
    expect(top100.outlines.every((o) => o.folder === null)).toBe(true);
  });
});

describe('the bundled default subscriptions', () => {
  it('are a dozen-ish distinct public https feeds, sorted into folders', () => {
    const parsed = parseOpml(defaultFeedsOpml);
    expect(parsed.invalid).toBe(0);
    expect(parsed.outlines.length).toBeGreaterThanOrEqual(8);
    expect(parsed.outlines.length).toBeLessThanOrEqual(12);
    expect(parsed.outlines.length).toBe(expectedFeeds(defaultFeedsOpml).feeds.length);
    expect(new Set(parsed.outlines.map((o) => new URL(o.xmlUrl).hostname)).size).toBe(parsed.outlines.length);
    for (const outline of parsed.outlines) {
      expect(outline.xmlUrl).toMatch(/^https:\/\//);
      expect(outline.htmlUrl).toMatch(/^https:\/\//);
      expect(outline.title).toBeTruthy();
      expect(outline.folder).toBeTruthy();
    }
  });
});

describe('parseOpml on hand-written lists', () => {
  const opml = (body: string, head = '<head><title>Mine</title></head>') =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">${head}<body>${body}</body></opml>`;

  it('flattens nested folders, naming each feed by the path of its folders', () => {
    const parsed = parseOpml(
      opml(`
        <outline text="Top feed" type="rss" xmlUrl="https://a.example/feed"/>
        <outline text="News">
          <outline text="World" title="World news">
            <outline text="Deep" type="rss" xmlUrl="https://b.example/rss.xml" htmlUrl="https://b.example/"/>
          </outline>
          <outline text="Shallow" xmlUrl="https://c.example/atom.xml"/>
        </outline>`),
    );
    expect(parsed).toEqual({
      title: 'Mine',
      invalid: 0,
      outlines: [
        { xmlUrl: 'https://a.example/feed', title: 'Top feed', htmlUrl: null, folder: null },
        {
          xmlUrl: 'https://b.example/rss.xml',
          title: 'Deep',
          htmlUrl: 'https://b.example/',
          folder: 'News / World news',
        },
        { xmlUrl: 'https://c.example/atom.xml', title: 'Shallow', htmlUrl: null, folder: 'News' },
      ],
    });
  });

  it('reads xmlUrl in any case, skips non-feed outlines, removes duplicates and counts invalid URLs', () => {
    const parsed = parseOpml(
      opml(`
        <outline text="lower" type="rss" xmlurl="https://a.example/feed" htmlurl="https://a.example/"/>
        <outline text="upper" type="RSS" XMLURL="https://b.example/feed"/>
        <outline text="again" type="rss" xmlUrl="https://A.example/feed"/>
        <outline text="a link" type="link" url="https://c.example/list.opml" xmlUrl="https://c.example/x"/>
        <outline text="include" type="include" url="https://d.example/more.opml"/>
        <outline text="relative" type="rss" xmlUrl="/feed.xml"/>
        <outline text="script" type="rss" xmlUrl="javascript:alert(1)"/>
        <outline text="ftp" type="rss" xmlUrl="ftp://e.example/feed"/>
        <outline text="empty" type="rss" xmlUrl=""/>
        <outline text="old scheme" type="rss" xmlUrl="feed://f.example/rss"/>
        <outline text="old scheme, https" type="rss" xmlUrl="feed:https://g.example/rss"/>
        <outline title="  spaced \n title " text="ignored" xmlUrl="https://h.example/feed" htmlUrl="tag:h.example,2013:blog"/>`),
    );
    expect(parsed.outlines.map((o) => [o.xmlUrl, o.title, o.htmlUrl])).toEqual([
      ['https://a.example/feed', 'lower', 'https://a.example/'],
      ['https://b.example/feed', 'upper', null],
      ['http://f.example/rss', 'old scheme', null],
      ['https://g.example/rss', 'old scheme, https', null],
      ['https://h.example/feed', 'spaced title', null],
    ]);
    expect(parsed.invalid).toBe(4);
  });

  it('decodes entities and keeps non-ASCII titles', () => {
    const parsed = parseOpml(
      opml(
        `<outline text="Caf&#233; &amp; Cr&egrave;me &#x1F680;" xmlUrl="https://a.example/rss?a=1&amp;b=2"/>`,
        '<head><title>Z&#252;rich</title></head>',
      ),
    );
    expect(parsed.title).toBe('Zürich');
    expect(parsed.outlines[0]).toMatchObject({ title: 'Café & Crème 🚀', xmlUrl: 'https://a.example/rss?a=1&b=2' });
  });

  it('accepts an empty body, a missing head and a byte-order mark', () => {
    expect(parseOpml('\uFEFF<opml version="1.0"><body/></opml>')).toEqual({ title: null, outlines: [], invalid: 0 });
  });

  it.each([
    ['an empty file', ''],
    ['only whitespace', ' \n\t'],
    ['an HTML page', '<!DOCTYPE html><html><head><title>Hi</title></head><body><p>Hello</p></body></html>'],
    ['an RSS feed', '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'],
    ['JSON', '{"version":"https://jsonfeed.org/version/1.1","items":[]}'],
    ['plain text', 'https://a.example/feed\nhttps://b.example/feed'],
    [
      'a truncated file',
      '<opml version="2.0"><head><title>x</title></head><body><outline text="a" xmlUrl="https://a.example/f',
    ],
    ['an unclosed outline', '<opml version="2.0"><body><outline text="a"></body></opml>'],
    ['an unquoted attribute', '<opml version="2.0"><body><outline text=a xmlUrl="https://a.example/"/></body></opml>'],
    ['an undeclared entity', '<opml version="2.0"><head><title>&bogus;</title></head><body/></opml>'],
    ['two roots', '<opml version="2.0"><body/></opml><opml version="2.0"><body/></opml>'],
  ])('refuses %s with a readable OpmlParseError', (_, text) => {
    let caught: unknown;
    try {
      parseOpml(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OpmlParseError);
    expect((caught as Error).message).toMatch(/^[a-z][^\n]{10,}$/);
  });

  it('says where malformed XML breaks', () => {
    expect(() => parseOpml('<opml version="2.0">\n<body>\n<outline text="a"></body></opml>')).toThrow(/line 3/);
  });
});

describe('parseOpml against hostile XML', async () => {
  const files = (await listShared('hostile-xml')).filter((name) => /\.(xml|xsd|xsl)$/.test(name));

  it.each(files)('%s: refused as not OPML', async (name) => {
    const text = await readShared(`hostile-xml/${name}`);
    const started = Date.now();
    expect(() => parseOpml(text)).toThrow(OpmlParseError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  // The fixtures' DTDs grafted onto an OPML document: the entities they declare must never be expanded.
  const withDtds = await Promise.all(
    files.map(async (name) => ({ name, text: await readShared(`hostile-xml/${name}`) })),
  );
  const subsets = withDtds.flatMap(({ name, text }) => {
    const subset = /<!DOCTYPE\s+[\w:-]+\s*\[([\s\S]*?)\]\s*>/.exec(text)?.[1];
    const entities = subset ? [...subset.matchAll(/<!ENTITY\s+([\w.-]+)/g)].map((m) => m[1] ?? '') : [];
    return subset && entities.length > 0 ? [{ name, subset, entities }] : [];
  });

  it('has DTD attacks to graft', () => {
    expect(subsets.map((s) => s.name)).toEqual(
      expect.arrayContaining(['xmlbomb.xml', 'external.xml', 'quadratic.xml']),
    );
  });

  it.each(subsets)('$name: its entities are refused, not expanded, inside OPML', ({ subset, entities }) => {
    const document = (use: string) =>
      `<?xml version="1.0"?>\n<!DOCTYPE opml [${subset}]>\n<opml version="2.0"><head><title>T${use}</title></head>` +
      `<body><outline text="x${use}" type="rss" xmlUrl="https://a.example/feed${use}"/></body></opml>`;
    // Declared but unused: the DTD is skipped, nothing of it leaks into the result.
    expect(parseOpml(document(''))).toEqual({
      title: 'T',
      invalid: 0,
      outlines: [{ xmlUrl: 'https://a.example/feed', title: 'x', htmlUrl: null, folder: null }],
    });
    for (const entity of entities) {
      const started = Date.now();
      expect(() => parseOpml(document(`&${entity};`))).toThrow(OpmlParseError);
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });
});

describe('renderOpml', () => {
  const feeds = [
    {
      url: 'https://a.example/feed?x=1&y=2',
      title: `Tom & Jerry <"quoted"> 'single'`,
      siteUrl: 'https://a.example/?a=1&b=2',
    },
    { url: 'https://b.example/rss', title: 'Café Ünïcödé — 日本語 🚀', siteUrl: null },
    { url: 'https://c.example/atom.xml', title: 'Line\nbreak\tand tab', siteUrl: 'https://c.example/' },
  ];

  it('round-trips titles and URLs through parseOpml', () => {
    const text = renderOpml(feeds, 'Subscriptions & <friends>');
    const parsed = parseOpml(text);
    expect(parsed.title).toBe('Subscriptions & <friends>');
    expect(parsed.invalid).toBe(0);
    expect(parsed.outlines).toEqual([
      { xmlUrl: feeds[0]!.url, title: feeds[0]!.title, htmlUrl: feeds[0]!.siteUrl, folder: null },
      { xmlUrl: feeds[1]!.url, title: feeds[1]!.title, htmlUrl: null, folder: null },
      // Whitespace inside a title is collapsed on the way in, as for any imported list.
      { xmlUrl: feeds[2]!.url, title: 'Line break and tab', htmlUrl: feeds[2]!.siteUrl, folder: null },
    ]);
  });

  it('writes OPML 2.0 with every markup character escaped', () => {
    const text = renderOpml(feeds, 'Mine');
    expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<opml version="2\.0">/);
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#\d+;)/);
    for (const outline of text.match(/<outline [^>]*\/>/g) ?? []) {
      expect(outline).toMatch(
        /^<outline type="rss" text="[^"<>]+" title="[^"<>]+" xmlUrl="[^"<>]+"( htmlUrl="[^"<>]+")?\/>$/,
      );
    }
    expect(text.match(/<outline /g)).toHaveLength(3);
  });

  it('drops characters XML cannot carry and names untitled feeds by their URL', () => {
    const text = renderOpml(
      [
        { url: 'https://d.example/feed', title: 'Bell\u0007 \uD800ok\uFFFE', siteUrl: null },
        { url: 'https://e.example/feed', title: ' ', siteUrl: null },
      ],
      'x\u0000',
    );
    const parsed = parseOpml(text);
    expect(parsed.title).toBe('x');
    expect(parsed.outlines.map((o) => o.title)).toEqual(['Bell ok', 'https://e.example/feed']);
  });

  it('round-trips a reader export', async () => {
    const original = parseOpml(await readShared('opml/opml-go/feedreader/newsblur.opml'));
    const again = parseOpml(
      renderOpml(
        original.outlines.map((o) => ({ url: o.xmlUrl, title: o.title ?? '', siteUrl: o.htmlUrl })),
        'again',
      ),
    );
    expect(again.outlines.map(({ xmlUrl, title, htmlUrl }) => ({ xmlUrl, title, htmlUrl }))).toEqual(
      original.outlines.map(({ xmlUrl, title, htmlUrl }) => ({ xmlUrl, title, htmlUrl })),
    );
  });

  it('renders an empty list', () => {
    expect(parseOpml(renderOpml([], 'Nothing yet'))).toEqual({ title: 'Nothing yet', outlines: [], invalid: 0 });
  });
});
