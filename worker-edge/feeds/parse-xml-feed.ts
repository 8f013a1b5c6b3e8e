// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 → FeedDraft. The repaired text is parsed strictly (sax, no DTD
// processing) into a tree; the channel and its items are picked out here, and the format readers take it from there.
import { atomDraft } from './atom-draft.ts';
import type { FeedDraft } from './feed-draft.ts';
import { FeedParseError } from './feed-parse-error.ts';
import { repairFeedXml } from './repair-feed-xml.ts';
import { rssDraft } from './rss-draft.ts';
import { children } from './xml-node.ts';
import { count, MAX_XML_DEPTH, MAX_XML_ELEMENTS, parseXmlTree, tooComplex } from './xml-tree.ts';

export async function parseXmlFeed(text: string, feedUrl: string): Promise<FeedDraft> {
  const { root, rootName, format } = treeOf(text);
  if (format === 'atom') return atomDraft(root, children(root, 'entry'), feedUrl);
  const channel = children(root, 'channel')[0];
  if (channel === undefined) throw new FeedParseError(`Not a feed: <${rootName}> has no <channel>`);
  // RSS puts its items in the channel; RSS 1.0 puts them next to it.
  return rssDraft(format, root, children(format === 'rdf' ? root : channel, 'item'), feedUrl);
}

/** The tree of the repaired document. A function of its own, so the repaired text is garbage once the tree is built. */
function treeOf(text: string): { root: unknown; rootName: string | null; format: 'rss' | 'rdf' | 'atom' } {
  const repaired = repairFeedXml(text);
  const format = formatOfRoot(repaired.rootName);
  // Refused before parsing, with the real figures; the tree enforces the same limits on what it reads.
  if (repaired.depth > MAX_XML_DEPTH) throw tooComplex(`nests elements ${count(repaired.depth)} deep`, MAX_XML_DEPTH);
  if (repaired.elements > MAX_XML_ELEMENTS)
    throw tooComplex(`has ${count(repaired.elements)} elements`, MAX_XML_ELEMENTS);
  try {
    return { root: parseXmlTree(repaired.xml), rootName: repaired.rootName, format };
  } catch (error) {
    throw readableError(error);
  }
}

function formatOfRoot(rootName: string | null): 'rss' | 'rdf' | 'atom' {
  if (rootName === 'rss') return 'rss';
  if (rootName === 'rdf:RDF') return 'rdf';
  if (rootName === 'feed') return 'atom';
  if (rootName && /^(?:html|head|body)$/i.test(rootName))
    throw new FeedParseError('Not a feed: the server sent an HTML page');
  if (!rootName) throw new FeedParseError('Malformed XML: no root element');
  throw new FeedParseError(`Not a feed: the XML document is a <${rootName}>, not <rss>, <feed> or <rdf:RDF>`);
}

/** What sax calls the buffers it refuses to grow past 64 KB, in words. */
const SAX_BUFFERS: Record<string, string> = {
  attribName: 'an attribute name',
  attribValue: 'an attribute value',
  tagName: 'an element name',
  comment: 'a comment',
  sgmlDecl: 'a declaration',
  doctype: 'a DOCTYPE',
  procInstName: 'a processing instruction',
  procInstBody: 'a processing instruction',
  entity: 'an entity reference',
  script: 'a script',
};

function readableError(error: unknown): FeedParseError {
  if (error instanceof FeedParseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // sax reports "Reason\nLine: n\nColumn: n\nChar: c", with lines counted from zero.
  const sax = /^(.*)\nLine: (\d+)\nColumn: \d+/.exec(message);
  const buffer = /^Max buffer length exceeded: (\w+)/.exec(sax?.[1] ?? '')?.[1];
  if (sax && buffer) {
    return new FeedParseError(
      `Too complex to read: ${SAX_BUFFERS[buffer] ?? buffer} at line ${Number(sax[2]) + 1} is longer than 64 KB; the reader reads at most 64 KB`,
    );
  }
  if (sax) return new FeedParseError(`Malformed XML at line ${Number(sax[2]) + 1}: ${sax[1]?.replace(/\.$/, '')}`);
  return new FeedParseError(`Unreadable feed: ${message}`);
}
