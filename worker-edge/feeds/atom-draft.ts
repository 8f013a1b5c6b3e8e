// Atom 1.0 and 0.3 → FeedDraft. Atom is explicit about what is HTML (type="html"/"xhtml") and what is plain text,
// and about inheritance: an entry without an author has the feed's.
import { atomImageEnclosures, atomPageLinks, atomPersonNames, atomText, atomTexts } from './atom-constructs.ts';
import type { FeedDraft, ItemDraft } from './feed-draft.ts';
import { extensionImages, mediaDescriptions, scheduleHints, textsOf } from './feed-extensions.ts';
import { resolveBaseUrl } from './resolve-url.ts';
import { attribute, childText, children } from './xml-node.ts';

// Atom 0.3 said issued/created/modified where 1.0 says published/updated.
const PUBLISHED = ['published', 'issued', 'created', 'dc:date', 'dcterms:issued'];
const MODIFIED = ['updated', 'modified', 'dcterms:modified'];

export function atomDraft(feed: unknown, entries: unknown[], feedUrl: string): FeedDraft {
  const baseUrl = resolveBaseUrl(attribute(feed, 'xml:base'), feedUrl);
  const feedAuthors = atomPersonNames(children(feed, 'author'));
  return {
    format: 'atom',
    baseUrl,
    title: atomText(children(feed, 'title')[0], baseUrl),
    siteUrls: atomPageLinks(children(feed, 'link'), baseUrl),
    hints: scheduleHints(feed),
    items: entries.map((entry) => atomEntryDraft(entry, baseUrl, feedAuthors)),
  };
}

function atomEntryDraft(entry: unknown, feedBase: string, feedAuthors: string[]): ItemDraft {
  const baseUrl = resolveBaseUrl(attribute(entry, 'xml:base'), feedBase);
  const links = children(entry, 'link');
  const ownAuthors = atomPersonNames(children(entry, 'author'));
  const sourceAuthors = children(entry, 'source').flatMap((source) => atomPersonNames(children(source, 'author')));
  const content = children(entry, 'content')[0];
  return {
    guid: childText(entry, 'id'),
    baseUrl,
    links: atomPageLinks(links, baseUrl),
    title: atomText(children(entry, 'title')[0], baseUrl),
    authors: ownAuthors.length ? ownAuthors : sourceAuthors.length ? sourceAuthors : feedAuthors,
    dates: textsOf(entry, [...PUBLISHED, ...MODIFIED]),
    // Content with src="..." lives elsewhere; there is nothing inline to show.
    contents: attribute(content, 'src') ? [] : atomTexts([content], baseUrl),
    summaries: [
      ...atomTexts(children(entry, 'summary'), baseUrl),
      ...mediaDescriptions(entry).map((value) => ({ value, isHtml: false, baseUrl })),
    ],
    images: [...extensionImages(entry, baseUrl), ...atomImageEnclosures(links, baseUrl)],
  };
}
