// Feed autodiscovery: a site's pages name their feeds with <link rel="alternate" type="application/rss+xml" href>.
// A small scanner that tokenizes tags the way HTML does (any quoting, any case), skipping comments and the raw text
// of <script>, <style> and the like, so markup inside them is never taken for a link. Synchronous and DOM-free, so
// it runs the same in workerd and in Node.
import { decodeHTML } from 'entities';

export interface DiscoveredFeed {
  /** Absolute http(s) URL of the feed. */
  url: string;
  title: string | null;
  /** The declared media type, lower-cased, without parameters. */
  type: string;
}

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  // JSON Feed's first publishers (micro.blog among them) announced it as plain JSON.
  'application/json',
]);

/** Elements whose content is text to an HTML parser, not markup. */
const RAW_TEXT_ELEMENTS = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'template',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
]);

const HTML_SPACE = /[\t\n\f\r ]/;

interface Tag {
  name: string;
  attributes: Map<string, string>;
  /** Index just past the tag's closing `>`. */
  end: number;
}

/** Character references as HTML reads them in attributes: a bare `&notify=1` in a URL stays as it is. */
function decodeAttribute(value: string): string {
  return value.replace(/&(?:#\d+;?|#x[0-9a-f]+;?|[a-z][a-z0-9]*;|(?:amp|lt|gt|quot)(?![a-z0-9=]))/gi, (reference) =>
    decodeHTML(reference),
  );
}

/** Reads the attributes of the start tag whose name ends at `from`, following HTML's tokenizer states. */
function readTag(html: string, name: string, from: number): Tag {
  const attributes = new Map<string, string>();
  let i = from;
  while (i < html.length) {
    const char = html[i]!;
    if (char === '>') return { name, attributes, end: i + 1 };
    if (char === '/' || HTML_SPACE.test(char)) {
      i += 1;
      continue;
    }
    const nameStart = i;
    i += 1;
    while (i < html.length && !/[\t\n\f\r />=]/.test(html[i]!)) i += 1;
    const attributeName = html.slice(nameStart, i).toLowerCase();
    while (i < html.length && HTML_SPACE.test(html[i]!)) i += 1;
    let value = '';
    if (html[i] === '=') {
      i += 1;
      while (i < html.length && HTML_SPACE.test(html[i]!)) i += 1;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        const valueEnd = close === -1 ? html.length : close;
        value = html.slice(i + 1, valueEnd);
        i = valueEnd + 1;
      } else {
        const valueStart = i;
        while (i < html.length && !/[\t\n\f\r >]/.test(html[i]!)) i += 1;
        value = html.slice(valueStart, i);
      }
    }
    // HTML keeps the first of repeated attributes.
    if (!attributes.has(attributeName)) attributes.set(attributeName, decodeAttribute(value));
  }
  return { name, attributes, end: html.length };
}

/** The <link> and <base> start tags of a page, in document order. */
function* linkAndBaseTags(html: string): Generator<Tag> {
  const tagName = /<([a-zA-Z][^\t\n\f\r />]*)/y;
  let i = html.indexOf('<');
  while (i !== -1 && i < html.length) {
    if (html.startsWith('<!--', i)) {
      const close = html.indexOf('-->', i + 4);
      i = close === -1 ? -1 : html.indexOf('<', close + 3);
      continue;
    }
    tagName.lastIndex = i;
    const match = tagName.exec(html);
    if (!match) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    const name = match[1]!.toLowerCase();
    const tag = readTag(html, name, tagName.lastIndex);
    if (name === 'link' || name === 'base') yield tag;
    let next = tag.end;
    if (RAW_TEXT_ELEMENTS.has(name)) {
      const closing = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'gi');
      closing.lastIndex = tag.end;
      next = closing.exec(html)?.index ?? html.length;
    }
    i = html.indexOf('<', next);
  }
}

/** WordPress announces each page's REST API resource as rel="alternate" type="application/json": not a feed. */
function isWordPressApi(url: string): boolean {
  const { pathname, searchParams } = new URL(url);
  return pathname.includes('/wp-json/') || searchParams.has('rest_route');
}

function httpUrl(href: string, base: string): string | null {
  const trimmed = href.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
  if (!trimmed || !URL.canParse(trimmed, base)) return null;
  const url = new URL(trimmed, base);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** The feeds a page announces, in page order, each URL once, resolved against its <base href> (when http(s)). */
export function discoverFeedLinks(html: string, pageUrl: string): DiscoveredFeed[] {
  const links: Tag[] = [];
  let baseHref: string | undefined;
  for (const tag of linkAndBaseTags(html)) {
    if (tag.name === 'link') links.push(tag);
    // The first <base> with an href sets the base for the whole document, links before it included.
    else if (baseHref === undefined && tag.attributes.has('href')) baseHref = tag.attributes.get('href');
  }
  const base = (baseHref !== undefined && httpUrl(baseHref, pageUrl)) || pageUrl;

  const feeds: DiscoveredFeed[] = [];
  for (const { attributes } of links) {
    const rel = (attributes.get('rel') ?? '').toLowerCase().split(/[\t\n\f\r ]+/);
    const type = (attributes.get('type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!rel.includes('alternate') || !FEED_TYPES.has(type)) continue;
    const url = httpUrl(attributes.get('href') ?? '', base);
    if (!url || feeds.some((feed) => feed.url === url)) continue;
    if (type === 'application/json' && isWordPressApi(url)) continue;
    const title = (attributes.get('title') ?? '').replace(/\s+/g, ' ').trim();
    feeds.push({ url, title: title || null, type });
  }
  return feeds;
}

/** Elements that can open an HTML document (tag soup included) but never a feed. */
const HTML_OPENERS = new Set([
  'html',
  'head',
  'body',
  'meta',
  'title',
  'link',
  'base',
  'script',
  'style',
  'noscript',
  'div',
  'p',
  'span',
  'a',
  'img',
  'br',
  'table',
  'form',
  'iframe',
  'center',
  'font',
  'pre',
  'ul',
  'ol',
  'header',
  'nav',
  'main',
  'article',
  'section',
  'footer',
  'h1',
  'h2',
  'h3',
]);

/**
 * Whether a response body is a web page rather than a feed. Looks past a byte-order mark, an XML declaration,
 * processing instructions and comments at the first doctype or element: feeds open with <rss>, <feed>, <rdf:RDF>
 * (or `{` for JSON Feed), pages with an HTML doctype or an HTML element.
 */
export function looksLikeHtml(text: string): boolean {
  const start = text.slice(0, 8192).replace(/^\uFEFF/, '');
  const prolog = /^(?:[\t\n\f\r ]+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/.exec(start)?.[0] ?? '';
  const rest = start.slice(prolog.length);
  if (/^<!doctype\s+html\b/i.test(rest)) return true;
  const first = /^<([a-zA-Z][\w:.-]*)/.exec(rest)?.[1];
  return first !== undefined && HTML_OPENERS.has(first.toLowerCase());
}
