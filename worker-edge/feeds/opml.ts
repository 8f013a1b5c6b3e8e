// OPML subscription lists: import (parseOpml) and export (renderOpml).
// Parsing uses sax in strict mode: it rejects what is not well-formed, and it knows only XML's and HTML's named
// entities, so entities declared in a DTD are never expanded (no billion laughs, no XXE) and nothing is fetched.
import sax, { type SaxParser, type SaxTag } from 'sax';
import { folderFromCategory, folderFromPath, folderPath } from './folder-name.ts';

export class OpmlParseError extends Error {
  override name = 'OpmlParseError';
}

export interface OpmlOutline {
  /** Absolute http(s) feed URL, normalised by the URL parser. */
  xmlUrl: string;
  title: string | null;
  htmlUrl: string | null;
  /**
   * The folder the feed sits in: the path of its enclosing folder outlines joined with " / " ("News / World"), so
   * two "World" folders in different places stay two, and an export nests them again as they were. A feed at the top
   * level is filed by its `category` attribute instead (folder-name.ts); the enclosing outlines win over it.
   */
  folder: string | null;
}

export interface ParsedOpml {
  title: string | null;
  /** Feeds in document order, each URL once. */
  outlines: OpmlOutline[];
  /** Feed outlines skipped because their xmlUrl is not an absolute http(s) URL. */
  invalid: number;
}

/** Outline types that name a feed; readers write "rss" for Atom too, and some leave the type out. */
const FEED_TYPES = new Set(['', 'rss', 'atom']);

function cleanText(value: string | undefined): string | null {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text : null;
}

function httpUrl(raw: string): string | null {
  if (!URL.canParse(raw)) return null;
  const url = new URL(raw);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? url.href : null;
}

/** `feed://host/x` and `feed:https://host/x` are old browser conventions for "this is a feed"; the URL is plain http(s). */
function feedUrl(raw: string): string | null {
  const trimmed = raw.trim();
  const match = /^feed:(.*)$/i.exec(trimmed);
  if (!match) return httpUrl(trimmed);
  const rest = match[1] ?? '';
  return httpUrl(rest.startsWith('//') ? `http:${rest}` : rest);
}

/** OPML is case-sensitive, but exports in the wild spell attributes `xmlUrl`, `xmlurl` or `XMLURL`. */
function lowerCaseKeys(attributes: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(attributes).map(([name, value]) => [name.toLowerCase(), value]));
}

function describeSaxError(parser: SaxParser, error: Error): string {
  const reason = error.message.split('\n')[0] ?? 'unreadable XML';
  return `not well-formed XML at line ${parser.line + 1}, column ${parser.column}: ${reason}`;
}

export function parseOpml(text: string): ParsedOpml {
  const source = text.replace(/^\uFEFF/, '');
  if (source.trim() === '') throw new OpmlParseError('the file is empty');

  const parser = sax.parser(true, { position: true });
  // The open elements; an outline also carries the folder name it gives its children (null for a feed outline).
  const open: Array<{ name: string; folder: string | null }> = [];
  const outlines: OpmlOutline[] = [];
  const seen = new Set<string>();
  let invalid = 0;
  let title = '';
  let sawRoot = false;

  const inBody = () => open[1]?.name === 'body';
  const inHeadTitle = () => open.length === 3 && open[1]?.name === 'head' && open[2]?.name === 'title';

  /** Returns the folder name the outline gives its children, and records it when it is a feed. */
  const readOutline = (tag: SaxTag): string | null => {
    const attributes = lowerCaseKeys(tag.attributes);
    const name = cleanText(attributes.get('title')) ?? cleanText(attributes.get('text'));
    const rawXmlUrl = attributes.get('xmlurl');
    const type = (attributes.get('type') ?? '').trim().toLowerCase();
    if (rawXmlUrl === undefined || !FEED_TYPES.has(type)) return name;

    const xmlUrl = feedUrl(rawXmlUrl);
    if (!xmlUrl) invalid += 1;
    else if (!seen.has(xmlUrl)) {
      seen.add(xmlUrl);
      const htmlUrl = attributes.get('htmlurl');
      outlines.push({
        xmlUrl,
        title: name,
        htmlUrl: htmlUrl === undefined ? null : httpUrl(htmlUrl.trim()),
        folder:
          folderFromPath(open.flatMap((element) => (element.folder === null ? [] : [element.folder]))) ??
          folderFromCategory(attributes.get('category')),
      });
    }
    return null;
  };

  parser.onerror = (error) => {
    throw new OpmlParseError(describeSaxError(parser, error));
  };
  parser.onopentag = (tag) => {
    const name = tag.name.toLowerCase();
    if (open.length === 0) {
      // sax lets a second root element through; XML does not.
      if (sawRoot) throw new OpmlParseError(`not well-formed XML: a second root element <${tag.name}> follows </opml>`);
      if (name !== 'opml') throw new OpmlParseError(`not an OPML document: the root element is <${tag.name}>`);
      sawRoot = true;
    }
    open.push({ name, folder: name === 'outline' && inBody() ? readOutline(tag) : null });
  };
  parser.onclosetag = () => {
    open.pop();
  };
  parser.ontext = parser.oncdata = (chunk) => {
    if (inHeadTitle()) title += chunk;
  };

  parser.write(source).close();
  if (!sawRoot) throw new OpmlParseError('not an OPML document: there is no root element');
  return { title: cleanText(title), outlines, invalid };
}

/** Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are dropped. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Escaped so that attribute-value normalisation does not turn them into spaces on the way back in.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function escapeXml(value: string): string {
  return value.replace(NOT_XML_CHAR, '').replace(/[&<>"'\t\n\r]/g, (char) => XML_ESCAPES[char] ?? char);
}

export interface OpmlFeed {
  url: string;
  title: string;
  siteUrl: string | null;
  folder?: string | null;
}

/** Folders as nested outlines: a folder's feeds, then its subfolders, by name. */
interface FolderNode {
  feeds: OpmlFeed[];
  children: Map<string, FolderNode>;
}

const newNode = (): FolderNode => ({ feeds: [], children: new Map() });

function folderTree(feeds: readonly OpmlFeed[]): FolderNode {
  const root = newNode();
  for (const feed of feeds) {
    let node = root;
    for (const name of feed.folder ? folderPath(feed.folder) : []) {
      const child = node.children.get(name) ?? newNode();
      node.children.set(name, child);
      node = child;
    }
    node.feeds.push(feed);
  }
  return root;
}

function renderNode(node: FolderNode, depth: number): string[] {
  const indent = '  '.repeat(depth + 2);
  const feeds = node.feeds.map((feed) => {
    // `text` is the one attribute OPML requires; a feed without a title is shown by its URL.
    const label = escapeXml(feed.title.trim() || feed.url);
    const siteUrl = feed.siteUrl ? ` htmlUrl="${escapeXml(feed.siteUrl)}"` : '';
    return `${indent}<outline type="rss" text="${label}" title="${label}" xmlUrl="${escapeXml(feed.url)}"${siteUrl}/>`;
  });
  const folders = [...node.children]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { sensitivity: 'base' }) || (a < b ? -1 : 1))
    .flatMap(([name, child]) => [
      `${indent}<outline text="${escapeXml(name)}" title="${escapeXml(name)}">`,
      ...renderNode(child, depth + 1),
      `${indent}</outline>`,
    ]);
  return [...feeds, ...folders];
}

export function renderOpml(feeds: readonly OpmlFeed[], title: string): string {
  const outlines = renderNode(folderTree(feeds), 0);
  // No dateCreated: the same subscriptions always render the same bytes, so exports can be compared and cached.
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(title)}</title>`,
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
