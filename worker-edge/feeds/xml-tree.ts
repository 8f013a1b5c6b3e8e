// Repaired XML → the tree xml-node.ts reads (xml2js's default shape), built straight from sax's events: xml2js and
// rss-parser were super-linear in hostile input. A 4 MB body needs a fraction of the isolate's 128 MB: sax gets 64 KB
// chunks (so its buffer limit applies), kept strings are flattened, and depth, elements and attributes are capped.
import sax from 'sax';
import { FeedParseError } from './feed-parse-error.ts';

/** No feed format reads deeper than rss/channel/item/media:group/media:content; a few hundred is generous. */
export const MAX_XML_DEPTH = 256;
/**
 * 4 MB of 14,000 short items (title, link, guid, date, two categories, an enclosure, a description) is 126,000
 * elements and 42,000 attributes. At these limits the tree takes about 150 bytes an element: the document, with
 * every element nested or carrying attributes, parses within 64 MB.
 */
export const MAX_XML_ELEMENTS = 200_000;
export const MAX_XML_ATTRIBUTES = 200_000;
const CHUNK_CHARS = 64 * 1024;

type XmlObject = Record<string, unknown>;

interface OpenElement {
  name: string;
  node: XmlObject;
  text: string[];
  hasCdata: boolean;
}

/**
 * The root element's node, from the document's pieces in order. Throws sax's error ("Reason\nLine: n\nColumn: n\nChar:
 * c") on malformed XML, and a FeedParseError for a document over the limits.
 */
export function parseXmlTree(xml: readonly string[]): unknown {
  const parser = sax.parser(true, {});
  const open: OpenElement[] = [];
  let root: unknown = null;
  let elements = 0;
  let attributes = 0;
  parser.onerror = (error) => {
    throw error;
  };
  parser.onattribute = () => {
    if (++attributes > MAX_XML_ATTRIBUTES)
      throw tooComplex(`has more than ${count(MAX_XML_ATTRIBUTES)} attributes`, MAX_XML_ATTRIBUTES);
  };
  parser.onopentag = (tag) => {
    if (++elements > MAX_XML_ELEMENTS)
      throw tooComplex(`has more than ${count(MAX_XML_ELEMENTS)} elements`, MAX_XML_ELEMENTS);
    if (open.length >= MAX_XML_DEPTH)
      throw tooComplex(`nests elements more than ${count(MAX_XML_DEPTH)} deep`, MAX_XML_DEPTH);
    const node = emptyObject();
    const names = Object.keys(tag.attributes);
    if (names.length) {
      const values = (node.$ = emptyObject());
      for (const name of names) values[name] = flat(tag.attributes[name] ?? '');
    }
    open.push({ name: tag.name, node, text: [], hasCdata: false });
  };
  const addText = (text: string) => open.at(-1)?.text.push(flat(text));
  parser.ontext = addText;
  parser.oncdata = (text) => {
    addText(text);
    const element = open.at(-1);
    if (element) element.hasCdata = true;
  };
  parser.onclosetag = () => {
    const element = open.pop();
    if (!element) return;
    const value = closedValue(element);
    const parent = open.at(-1)?.node;
    if (parent) appendChild(parent, element.name, value);
    else root ??= value;
  };
  for (const piece of xml)
    for (let at = 0; at < piece.length; at += CHUNK_CHARS) parser.write(piece.slice(at, at + CHUNK_CHARS));
  parser.close();
  return root;
}

/** The refusal for a document over one of the limits: the limit is in the message, so is what to do about it. */
export function tooComplex(what: string, limit: number): FeedParseError {
  return new FeedParseError(`Too complex to read: the feed ${what}; the reader reads at most ${count(limit)}`);
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * An object without a prototype: attribute and element names come from the document, and a "__proto__" or a
 * "constructor" is just a name. Not Object.create(null), which V8 keeps in dictionary mode at three times the size
 * (190 bytes for an element's three attributes, against 60).
 */
function emptyObject(): XmlObject {
  return Object.setPrototypeOf({}, null) as XmlObject;
}

/**
 * The same string, stored as one piece. A regular expression only runs on a flat string, so V8 flattens a
 * `+=`-built one in place first (reading a character does not, for short strings: a 33-character URL read from an
 * attribute stays 20 pieces, 760 bytes, instead of 70).
 */
function flat(text: string): string {
  ANYTHING.test(text);
  return text;
}

const ANYTHING = /^/;

/** What xml2js makes of a closed element: whitespace-only text is dropped, unless it came from CDATA. */
function closedValue({ node, text, hasCdata }: OpenElement): unknown {
  const joined = text.length === 1 ? text[0]! : text.join('');
  const hasOtherKeys = Object.keys(node).length > 0;
  if (!hasCdata && joined.trim() === '') return hasOtherKeys ? node : joined;
  if (!hasOtherKeys) return joined;
  node._ = joined;
  return node;
}

function appendChild(parent: XmlObject, name: string, value: unknown): void {
  const existing = parent[name];
  if (existing === undefined) parent[name] = [value];
  else if (Array.isArray(existing)) existing.push(value);
  else parent[name] = [existing, value];
}
