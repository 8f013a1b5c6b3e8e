// Reading the xml2js-shaped tree xml-tree.ts builds: every child is an array, an element with attributes or with
// children is an object ({ _: text, $: attributes, child: [...] }), a text-only element is a bare string, and an
// empty one is "". Feeds put anything anywhere, so every reader here takes `unknown` and checks what it finds.

type XmlObject = Record<string, unknown>;

function asObject(node: unknown): XmlObject | null {
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as XmlObject) : null;
}

/** The nodes of a field (repeated elements are kept as arrays). */
export function nodeList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** Child elements named `name` (qualified, e.g. "media:content"). */
export function children(node: unknown, name: string): unknown[] {
  return nodeList(asObject(node)?.[name]);
}

/** The element's own text (character data and CDATA), or null when it has none. */
export function textOf(node: unknown): string | null {
  if (typeof node === 'string') return node;
  const text = asObject(node)?._;
  return typeof text === 'string' ? text : null;
}

/** Text of the first child named `name` that has some. */
export function childText(node: unknown, name: string): string | null {
  for (const child of children(node, name)) {
    const text = textOf(child)?.trim();
    if (text) return text;
  }
  return null;
}

export function attribute(node: unknown, name: string): string | null {
  const value = asObject(asObject(node)?.$)?.[name];
  return typeof value === 'string' ? value : null;
}
