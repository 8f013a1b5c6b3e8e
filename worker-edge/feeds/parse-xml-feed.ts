// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 → FeedDraft. rss-parser parses (xml2js over sax, strict, no DTD
// processing) and picks out the channel and its items; for each item it hands over, through customFields, the raw
// elements we read ourselves, because its own fields drop what we need: attributes (xml:base, Atom's type and rel),
// repeated elements, media extensions.
import Parser from 'rss-parser';
import { atomDraft } from './atom-draft.ts';
import type { FeedDraft } from './feed-draft.ts';
import { FeedParseError } from './feed-parse-error.ts';
import { repairFeedXml } from './repair-feed-xml.ts';
import { rssDraft } from './rss-draft.ts';

/** Item-level elements (RSS, RDF and Atom alike) that normalisation reads from the raw tree. */
const ITEM_ELEMENTS = [
  '$', 'title', 'link', 'guid', 'id', 'description', 'summary', 'content', 'content:encoded', 'source',
  'author', 'dc:creator', 'dc:author', 'itunes:author', 'dc:title', 'dc:description', 'itunes:summary',
  'pubDate', 'published', 'updated', 'issued', 'created', 'modified', 'dc:date', 'dcterms:issued', 'dcterms:created',
  'dcterms:modified', 'atom:link', 'atom:id', 'atom:title', 'atom:content', 'atom:summary', 'atom:author',
  'atom:published', 'atom:updated', 'enclosure', 'itunes:image', 'media:content', 'media:thumbnail', 'media:group',
  'media:description',
];
const RAW_PREFIX = 'raw:';

export async function parseXmlFeed(text: string, feedUrl: string): Promise<FeedDraft> {
  const { xml, rootName } = repairFeedXml(text);
  const format = formatOfRoot(rootName);
  let root: unknown = null;
  const parser = new Parser<Record<string, unknown>, Record<string, unknown>>({
    // <rss> without a version attribute is read as RSS 2.0, its superset.
    defaultRSS: 2,
    customFields: { item: ITEM_ELEMENTS.map((name) => [name, RAW_PREFIX + name, { keepArray: true }]) },
    xml2js: {
      validator: (xpath: string, _previous: unknown, node: unknown) => {
        if (xpath.lastIndexOf('/') === 0) root = node;
        return shieldFromRssParser(xpath, node);
      },
    },
  });
  let items: Record<string, unknown>[];
  try {
    items = (await parser.parseString(xml)).items;
  } catch (error) {
    throw readableError(error, rootName ?? '', root);
  }
  const elements = items.map(rawElement);
  return format === 'atom' ? atomDraft(root, elements, feedUrl) : rssDraft(format, root, elements, feedUrl);
}

function formatOfRoot(rootName: string | null): 'rss' | 'rdf' | 'atom' {
  if (rootName === 'rss') return 'rss';
  if (rootName === 'rdf:RDF') return 'rdf';
  if (rootName === 'feed') return 'atom';
  if (rootName && /^(?:html|head|body)$/i.test(rootName)) throw new FeedParseError('Not a feed: the server sent an HTML page');
  if (!rootName) throw new FeedParseError('Malformed XML: no root element');
  throw new FeedParseError(`Not a feed: the XML document is a <${rootName}>, not <rss>, <feed> or <rdf:RDF>`);
}

/**
 * rss-parser reads an Atom link's rel as link.$.rel without checking there are attributes, and turns entry dates into
 * ISO strings with new Date(...).toISOString(), which throws on any date it cannot read: either fails the whole feed.
 * Links get an (empty) attribute set; entry dates are handed over as { _: text }, which rss-parser leaves alone and
 * we read ourselves.
 */
function shieldFromRssParser(xpath: string, node: unknown): unknown {
  if (!xpath.startsWith('/feed/')) return node;
  if (/^\/feed\/(?:entry\/)?link$/.test(xpath)) {
    if (typeof node === 'string') return { _: node, $: {} };
    return typeof node === 'object' && node !== null && !('$' in node) ? { ...node, $: {} } : node;
  }
  if (/^\/feed\/entry\/(?:published|updated)$/.test(xpath) && typeof node === 'string') return { _: node };
  return node;
}

/** The item's element rebuilt from its raw custom fields, so the same tree readers work at every level. */
function rawElement(item: Record<string, unknown>): Record<string, unknown> {
  const element: Record<string, unknown> = {};
  for (const name of ITEM_ELEMENTS) {
    const value = item[RAW_PREFIX + name];
    if (value !== undefined) element[name] = value;
  }
  return element;
}

function readableError(error: unknown, rootName: string, root: unknown): FeedParseError {
  const message = error instanceof Error ? error.message : String(error);
  // sax reports "Reason\nLine: n\nColumn: n\nChar: c", with lines counted from zero.
  const sax = /^(.*)\nLine: (\d+)\nColumn: \d+/.exec(message);
  if (sax) return new FeedParseError(`Malformed XML at line ${Number(sax[2]) + 1}: ${sax[1]?.replace(/\.$/, '')}`);
  if (rootName !== 'feed' && root !== null && !hasChannel(root)) {
    return new FeedParseError(`Not a feed: <${rootName}> has no <channel>`);
  }
  return new FeedParseError(`Unreadable feed: ${message}`);
}

function hasChannel(root: unknown): boolean {
  return typeof root === 'object' && root !== null && 'channel' in root;
}
