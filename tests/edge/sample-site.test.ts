// The sample site the demo, benchmarks and tests read: every feed is served with its absolute links pointing at the
// origin, every article a feed links to exists, and every image a feed or a page shows is a real image.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { discoverFeedLinks, looksLikeHtml } from '../../worker-edge/feeds/autodiscover.ts';
import { parseOpml } from '../../worker-edge/feeds/opml.ts';

const origin = env.FIXTURE_ORIGIN;
const home = `${origin}/site/`;

interface FeedReading {
  url: string;
  /** Absolute URLs of the items' pages. */
  articles: string[];
  /** Absolute URLs of every image the feed mentions (thumbnails, enclosures, icons, <img> in content). */
  images: string[];
}

const IMAGE_URL = /\.(?:png|jpe?g|gif|webp)(?:\?[^"'\s]*)?$/i;

function resolved(href: string, base: string): string | null {
  const value = href.trim().replaceAll('&amp;', '&');
  if (!URL.canParse(value, base)) return null;
  const url = new URL(value, base);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** Image URLs in markup or escaped markup: src, url and href attributes whose value names an image file. */
function imageAttributes(text: string, base: string): string[] {
  return [...text.matchAll(/\b(?:src|url|href)=(["'])(.*?)\1/g)]
    .map((m) => m[2] ?? '')
    .filter((value) => IMAGE_URL.test(value))
    .flatMap((value) => resolved(value, base) ?? []);
}

function xmlBase(tag: string, parent: string): string {
  const base = /\bxml:base=["']([^"']*)["']/.exec(tag)?.[1];
  return base === undefined ? parent : (resolved(base, parent) ?? parent);
}

/** Reads a feed with regular expressions, independently of the parsers under test. */
function readFeed(url: string, text: string): FeedReading {
  if (text.trimStart().startsWith('{')) {
    const feed = JSON.parse(text) as {
      icon?: string;
      favicon?: string;
      authors?: Array<{ avatar?: string }>;
      items: Array<Record<string, unknown>>;
    };
    const strings = (values: unknown[]) => values.filter((value): value is string => typeof value === 'string');
    return {
      url,
      articles: strings(feed.items.map((item) => item.url)).flatMap((link) => resolved(link, url) ?? []),
      images: [
        ...strings([feed.icon, feed.favicon, ...(feed.authors ?? []).map((a) => a.avatar)]),
        ...feed.items.flatMap((item) => strings([item.image, item.banner_image])),
      ]
        .flatMap((link) => resolved(link, url) ?? [])
        .concat(
          feed.items.flatMap((item) =>
            typeof item.content_html === 'string' ? imageAttributes(item.content_html, url) : [],
          ),
        ),
    };
  }
  const feedBase = xmlBase(/<(?:feed|rss|rdf:RDF)\b[^>]*>/.exec(text)?.[0] ?? '', url);
  const [head = '', ...items] = text.split(/(?=<(?:item|entry)[\s>])/);
  const articles: string[] = [];
  const images = imageAttributes(head, feedBase).concat(
    [...head.matchAll(/<(?:url|icon|logo)>([^<]+)<\/(?:url|icon|logo)>/g)].flatMap(
      (m) => resolved(m[1] ?? '', feedBase) ?? [],
    ),
  );
  for (const item of items) {
    const base = xmlBase(/^<[^>]*>/.exec(item)?.[0] ?? '', feedBase);
    const rssLink = /<link>([^<]+)<\/link>/.exec(item)?.[1];
    const atomLink = [...item.matchAll(/<link\b[^>]*>/g)]
      .map((m) => m[0])
      .find((tag) => /\brel=["']alternate["']/.test(tag) || !/\brel=/.test(tag));
    const href = rssLink ?? (atomLink ? /\bhref=["']([^"']*)["']/.exec(atomLink)?.[1] : undefined);
    if (href !== undefined) articles.push(resolved(href, base) ?? `unresolvable: ${href}`);
    images.push(...imageAttributes(item, base));
  }
  return { url, articles, images };
}

/** The http(s) image URLs a page shows, resolved against its <base href> when it has an http(s) one, as a browser would. */
async function pageImages(html: string, pageUrl: string): Promise<{ base: string; images: string[] }> {
  const found: string[] = [];
  let baseHref: string | null = null;
  const keep = (value: string | null) => {
    if (value !== null && !value.startsWith('data:')) found.push(value);
  };
  const keepSrcset = (value: string | null) => {
    for (const candidate of value?.split(',') ?? []) keep(candidate.trim().split(/\s+/)[0] ?? null);
  };
  await new HTMLRewriter()
    .on('base[href]', { element: (e) => void (baseHref ??= e.getAttribute('href')) })
    .on('img, source', {
      element(e) {
        keep(e.getAttribute('src'));
        keep(e.getAttribute('data-src'));
        keepSrcset(e.getAttribute('srcset'));
        keepSrcset(e.getAttribute('data-srcset'));
      },
    })
    .on('meta[property="og:image"]', { element: (e) => keep(e.getAttribute('content')) })
    .on('link[rel~="icon"]', { element: (e) => keep(e.getAttribute('href')) })
    .transform(new Response(html))
    .text();
  const base = (baseHref !== null && resolved(baseHref, pageUrl)) || pageUrl;
  // A javascript: candidate in a hostile srcset is not an image to fetch.
  return { base, images: found.flatMap((value) => resolved(value, base) ?? []) };
}

async function expectImage(url: string) {
  expect(new URL(url).origin, url).toBe(origin);
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  expect(res.headers.get('content-type'), url).toMatch(/^image\//);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // Magic numbers: the file is really the kind of image its name says.
  const signature = Array.from(bytes.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
  expect(signature, url).toMatch(/^(89504e47|ffd8ff..|47494638|52494646)$/);
}

/** UTF-8, or the one feed that declares windows-1252 (its URLs are ASCII either way). */
function decodeFeed(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** A publication's home page: the first folder of its articles' paths. */
function sectionOf(feed: FeedReading): string {
  return `${origin}/site/${new URL(feed.articles[0] ?? home).pathname.split('/')[2]}/`;
}

const homeHtml = await (await fetch(home)).text();
const announced = discoverFeedLinks(homeHtml, home);
const feeds: FeedReading[] = await Promise.all(
  announced.map(async ({ url }) => readFeed(url, decodeFeed(await (await fetch(url)).arrayBuffer()))),
);

describe('the sample site', () => {
  it('announces six feeds, one of each kind, on its home page', () => {
    expect(looksLikeHtml(homeHtml)).toBe(true);
    expect(announced.map((feed) => feed.type).sort()).toEqual([
      'application/atom+xml',
      'application/atom+xml',
      'application/feed+json',
      'application/rdf+xml',
      'application/rss+xml',
      'application/rss+xml',
    ]);
    for (const feed of announced) expect(feed.url.startsWith(`${origin}/site/feeds/`)).toBe(true);
  });

  it.each(announced)('serves $url as $type', async ({ url, type }) => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    const bytes = new Uint8Array(await res.arrayBuffer());
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // The one legacy-encoded feed: it says so, and it only uses links that need no origin.
      text = new TextDecoder('windows-1252').decode(bytes);
      expect(text).toMatch(/^<\?xml version="1\.0" encoding="windows-1252"\?>/);
      expect(text).toMatch(/Café.*€|€.*Café/s);
      expect(text).not.toMatch(/https?:\/\/[^"'<\s]*\/site\//);
    }
    expect(text).not.toContain('{{ORIGIN}}');
    expect(looksLikeHtml(text)).toBe(false);
  });

  it('gives every feed five to ten items, each linking to a page of the site', () => {
    for (const feed of feeds) {
      expect(feed.articles.length, feed.url).toBeGreaterThanOrEqual(5);
      expect(feed.articles.length, feed.url).toBeLessThanOrEqual(10);
      expect(new Set(feed.articles).size, feed.url).toBe(feed.articles.length);
      for (const article of feed.articles) expect(article.startsWith(`${origin}/site/`), article).toBe(true);
    }
  });

  it('has a page behind every feed item, with its absolute links pointing back at this origin', async () => {
    const articles = feeds.flatMap((feed) => feed.articles);
    expect(articles.length).toBeGreaterThanOrEqual(30);
    for (const article of articles) {
      const res = await fetch(article);
      expect(res.status, article).toBe(200);
      expect(res.headers.get('content-type'), article).toBe('text/html; charset=utf-8');
      const html = await res.text();
      expect(looksLikeHtml(html), article).toBe(true);
      expect(html, article).not.toContain('{{ORIGIN}}');
      expect(/<link rel="canonical" href="([^"]+)">/.exec(html)?.[1], article).toBe(article);
    }
  });

  it('serves every image the feeds mention', async () => {
    const images = new Set(feeds.flatMap((feed) => feed.images));
    expect(images.size).toBeGreaterThanOrEqual(30);
    for (const image of images) await expectImage(image);
  });

  it('serves every image the pages show, even on a page whose <base> points elsewhere', async () => {
    const pages = [home, ...feeds.map(sectionOf)];
    const articles = feeds.flatMap((feed) => feed.articles);
    const seen = new Set<string>();
    let foreignBases = 0;
    for (const page of [...pages, ...articles]) {
      const { base, images } = await pageImages(await (await fetch(page)).text(), page);
      if (new URL(base).origin !== origin) foreignBases += 1;
      expect(images.length, page).toBeGreaterThan(0);
      for (const image of images) {
        if (seen.has(image)) continue;
        seen.add(image);
        await expectImage(image);
      }
    }
    expect(foreignBases).toBeGreaterThanOrEqual(1);
    expect(seen.size).toBeGreaterThanOrEqual(60);
  });

  it('announces each publication feed on the publication home page', async () => {
    for (const feed of feeds) {
      const section = sectionOf(feed);
      const found = discoverFeedLinks(await (await fetch(section)).text(), section);
      expect(
        found.map((f) => f.url),
        section,
      ).toEqual([feed.url]);
    }
  });

  it('lists the same six feeds in demo.opml, with the origin filled in', async () => {
    const res = await fetch(`${origin}/site/demo.opml`);
    expect(res.status).toBe(200);
    const parsed = parseOpml(await res.text());
    expect(parsed.invalid).toBe(0);
    expect(parsed.outlines.map((o) => o.xmlUrl).sort()).toEqual(announced.map((f) => f.url).sort());
    for (const outline of parsed.outlines) {
      expect(outline.title).toBeTruthy();
      expect(outline.htmlUrl?.startsWith(`${origin}/site/`)).toBe(true);
    }
  });

  it('redirects a folder to its trailing-slash URL and keeps requests inside the site', async () => {
    const folder = feeds.flatMap((feed) => feed.articles).find((article) => article.endsWith('/'));
    expect(folder).toBeDefined();
    const res = await fetch(folder!.slice(0, -1), { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(new URL(res.headers.get('location')!, origin).href).toBe(folder);
    expect((await fetch(`${origin}/site/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${origin}/site/no-such-page.html`)).status).toBe(404);
  });
});
