// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 → FeedDraft. The repaired text is parsed strictly (sax, no DTD
// processing) into a tree; the channel and its items are picked out here, and the format readers take it from there.
import { atomDraft } from './atom-draft.ts';
import type { FeedDraft } from './feed-draft.ts';
import { FeedParseError } from './feed-parse-error.ts';
import { repairFeedXml } from './repair-feed-xml.ts';
import { rssDraft } from './rss-draft.ts';
import { children } from './xml-node.ts';
import { parseXmlTree } from './xml-tree.ts';

export async function parseXmlFeed(text: string, feedUrl: string): Promise<FeedDraft> {
  const { xml, rootName } = repairFeedXml(text);
  const format = formatOfRoot(rootName);
  let root: unknown;
  try {
    root = parseXmlTree(xml);
  } catch (error) {
    throw readableError(error);
  }
  if (format === 'atom') return atomDraft(root, children(root, 'entry'), feedUrl);
  const channel = children(root, 'channel')[0];
  if (channel === undefined) throw new FeedParseError(`Not a feed: <${rootName}> has no <channel>`);
  // RSS puts its items in the channel; RSS 1.0 puts them next to it.
  return rssDraft(format, root, children(format === 'rdf' ? root : channel, 'item'), feedUrl);
}

function formatOfRoot(rootName: string | null): 'rss' | 'rdf' | 'atom' {
  if (rootName === 'rss') return 'rss';
  if (rootName === 'rdf:RDF') return 'rdf';
  if (rootName === 'feed') return 'atom';
  if (rootName && /^(?:html|head|body)$/i.test(rootName)) throw new FeedParseError('Not a feed: the server sent an HTML page');
  if (!rootName) throw new FeedParseError('Malformed XML: no root element');
  throw new FeedParseError(`Not a feed: the XML document is a <${rootName}>, not <rss>, <feed> or <rdf:RDF>`);
}

function readableError(error: unknown): FeedParseError {
  const message = error instanceof Error ? error.message : String(error);
  // sax reports "Reason\nLine: n\nColumn: n\nChar: c", with lines counted from zero.
  const sax = /^(.*)\nLine: (\d+)\nColumn: \d+/.exec(message);
  if (sax) return new FeedParseError(`Malformed XML at line ${Number(sax[2]) + 1}: ${sax[1]?.replace(/\.$/, '')}`);
  return new FeedParseError(`Unreadable feed: ${message}`);
}
