// RSS 0.9x/2.0 and RSS 1.0 (RDF) → FeedDraft. RSS says nothing of HTML in titles and descriptions, and feeds use it
// in both, so every RSS text is read as HTML (plain text reads the same). Atom elements embedded in items count too.
import { atomPageLinks, atomPersonNames, atomText, atomTexts } from './atom-constructs.ts';
import type { FeedDraft, FeedText, ItemDraft } from './feed-draft.ts';
import { extensionImages, mediaDescriptions, scheduleHints, textsOf } from './feed-extensions.ts';
import { resolveBaseUrl } from './resolve-url.ts';
import { attribute, childText, children, textOf } from './xml-node.ts';

const PUBLISHED = ['pubDate', 'dc:date', 'atom:published', 'dcterms:issued', 'dcterms:created', 'published', 'issued'];
const MODIFIED = ['atom:updated', 'dcterms:modified', 'updated', 'modified'];

export function rssDraft(format: 'rss' | 'rdf', root: unknown, items: unknown[], feedUrl: string): FeedDraft {
  const channel = children(root, 'channel')[0];
  const baseUrl = resolveBaseUrl(attribute(channel, 'xml:base'), resolveBaseUrl(attribute(root, 'xml:base'), feedUrl));
  return {
    format,
    baseUrl,
    title: html(childText(channel, 'title') ?? childText(channel, 'dc:title'), baseUrl),
    siteUrls: [...linkTexts(channel), ...atomPageLinks(children(channel, 'atom:link'), baseUrl)],
    hints: scheduleHints(channel),
    items: items.map((item) => rssItemDraft(item, baseUrl)),
  };
}

function rssItemDraft(item: unknown, feedBase: string): ItemDraft {
  const baseUrl = resolveBaseUrl(attribute(item, 'xml:base'), feedBase);
  const guid = children(item, 'guid')[0];
  const about = attribute(item, 'rdf:about');
  return {
    guid: textOf(guid)?.trim() || childText(item, 'atom:id') || about?.trim() || null,
    baseUrl,
    links: [
      ...linkTexts(item),
      ...atomPageLinks(children(item, 'atom:link'), baseUrl),
      // RSS 2.0: a guid is the item's permalink unless isPermaLink="false"; RDF: rdf:about names the item.
      ...[attribute(guid, 'isPermaLink')?.trim() === 'false' ? null : textOf(guid), about].filter(isAbsoluteHttp),
    ],
    title:
      html(childText(item, 'title'), baseUrl) ??
      html(childText(item, 'dc:title'), baseUrl) ??
      atomText(children(item, 'atom:title')[0], baseUrl),
    authors: [
      ...textsOf(item, ['author', 'dc:creator', 'dc:author']),
      ...atomPersonNames(children(item, 'atom:author')),
      ...textsOf(item, ['itunes:author']),
    ],
    dates: textsOf(item, [...PUBLISHED, ...MODIFIED]),
    contents: [
      ...textsOf(item, ['content:encoded']).map((value) => ({ value, isHtml: true, baseUrl })),
      ...atomTexts(children(item, 'atom:content'), baseUrl),
    ],
    summaries: [
      ...textsOf(item, ['description', 'dc:description']).map((value) => ({ value, isHtml: true, baseUrl })),
      ...atomTexts(children(item, 'atom:summary'), baseUrl),
      ...[...textsOf(item, ['itunes:summary']), ...mediaDescriptions(item)].map((value) => ({
        value,
        isHtml: false,
        baseUrl,
      })),
    ],
    images: extensionImages(item, baseUrl),
  };
}

function html(value: string | null, baseUrl: string): FeedText | null {
  return value ? { value, isHtml: true, baseUrl } : null;
}

/** <link> children: text in RSS, but feeds also write <link href="..."/>. */
function linkTexts(node: unknown): string[] {
  return children(node, 'link')
    .map((link) => (textOf(link) ?? attribute(link, 'href') ?? '').trim())
    .filter(Boolean);
}

function isAbsoluteHttp(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && /^\s*https?:\/\//i.test(value);
}
