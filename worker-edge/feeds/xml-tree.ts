// Repaired XML → the tree xml-node.ts reads: the shape xml2js gives with its defaults (children in arrays, text in
// `_`, attributes in `$`, a text-only element as a bare string), built straight from sax's events. rss-parser and
// xml2js used to build it, but xml2js joins the whole element path for every element it closes (quadratic in the
// nesting depth) and rss-parser runs a backtracking regex over every description: both super-linear in hostile input.
import sax from 'sax';

type XmlObject = Record<string, unknown>;

interface OpenElement {
  name: string;
  node: XmlObject;
  text: string[];
  hasCdata: boolean;
}

/** The root element's node. Throws sax's error ("Reason\nLine: n\nColumn: n\nChar: c") on malformed XML. */
export function parseXmlTree(xml: string): unknown {
  const parser = sax.parser(true, {});
  const open: OpenElement[] = [];
  let root: unknown = null;
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (tag) => {
    const node: XmlObject = Object.create(null) as XmlObject;
    // Dictionary-mode objects: attribute and element names come from the document (a "__proto__" is just a name).
    if (Object.keys(tag.attributes).length) node.$ = Object.assign(Object.create(null) as XmlObject, tag.attributes);
    open.push({ name: tag.name, node, text: [], hasCdata: false });
  };
  const addText = (text: string) => open.at(-1)?.text.push(text);
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
  parser.write(xml).close();
  return root;
}

/** What xml2js makes of a closed element: whitespace-only text is dropped, unless it came from CDATA. */
function closedValue({ node, text, hasCdata }: OpenElement): unknown {
  const joined = text.join('');
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
