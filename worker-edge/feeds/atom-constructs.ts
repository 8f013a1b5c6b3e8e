// Atom's building blocks, read from the xml2js tree. Also used for atom:* elements embedded in RSS items.
import type { FeedText } from './feed-draft.ts';
import { resolveBaseUrl, resolveHttpUrl } from './resolve-url.ts';
import { attribute, childText, textOf } from './xml-node.ts';

/**
 * A text construct (title, summary, content...) as HTML or plain text.
 * Atom 1.0: type="text" | "html" | "xhtml" (inline XHTML, which repairFeedXml has already turned into html) or, for
 * content, a media type: text/* is text, other non-XML types are base64. Atom 0.3: a type plus mode="escaped"
 * (HTML in practice), "base64" or "xml".
 */
export function atomText(node: unknown, parentBase: string): FeedText | null {
  const raw = textOf(node);
  if (raw === null || node === undefined) return null;
  const type = (attribute(node, 'type') ?? '').trim().toLowerCase();
  const mode = (attribute(node, 'mode') ?? '').trim().toLowerCase();
  const isBase64 = mode === 'base64' || (type.includes('/') && !type.startsWith('text/') && !/[+/]xml$/.test(type));
  // Text that does not decode to UTF-8 was not base64 after all (a title with a made-up type): keep it as it is.
  const value = isBase64 ? (decodeBase64Text(raw) ?? raw) : raw;
  if (!value.trim()) return null;
  return {
    value,
    isHtml: type.includes('html') || mode === 'escaped',
    baseUrl: resolveBaseUrl(attribute(node, 'xml:base'), parentBase),
  };
}

/** The text constructs among `nodes` that have something in them. */
export function atomTexts(nodes: unknown[], parentBase: string): FeedText[] {
  return nodes.map((node) => atomText(node, parentBase)).filter((text): text is FeedText => text !== null);
}

/** Base64 that decodes to valid UTF-8 text, or null. */
function decodeBase64Text(raw: string): string | null {
  try {
    const bytes = Uint8Array.from(atob(raw.replace(/\s+/g, '')), (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/** Relations that name the entry's own page: an explicit "alternate", or none at all (Atom's default). */
function isAlternate(link: unknown): boolean {
  const rel = attribute(link, 'rel')?.trim().toLowerCase();
  return !rel || rel === 'alternate' || rel === 'http://www.iana.org/assignments/relation/alternate';
}

/**
 * Absolute hrefs of the page links among Atom <link> elements: alternates first (HTML ones before others), then
 * "related" and "via" pages for entries without one. Never self, edit, enclosure or replies: those are not the page.
 */
export function atomPageLinks(links: unknown[], base: string): string[] {
  const hrefOf = (link: unknown) =>
    resolveHttpUrl(attribute(link, 'href') ?? textOf(link), resolveBaseUrl(attribute(link, 'xml:base'), base));
  const isHtml = (link: unknown) => /html/i.test(attribute(link, 'type') ?? 'text/html');
  const alternates = links.filter(isAlternate);
  const others = links.filter(
    (link) => !isAlternate(link) && /^(?:related|via)$/i.test(attribute(link, 'rel')?.trim() ?? ''),
  );
  return [...alternates.filter(isHtml), ...alternates.filter((link) => !isHtml(link)), ...others]
    .map(hrefOf)
    .filter((href): href is string => href !== null);
}

/** Links with rel="enclosure" and an image type: the entry's picture. */
export function atomImageEnclosures(links: unknown[], base: string): string[] {
  return links
    .filter(
      (link) =>
        attribute(link, 'rel')?.trim().toLowerCase() === 'enclosure' && /^image\//i.test(attribute(link, 'type') ?? ''),
    )
    .map((link) => resolveHttpUrl(attribute(link, 'href'), base))
    .filter((href): href is string => href !== null);
}

/** Names of Atom persons (<author>, <contributor>); a person with only an e-mail address has no name to show. */
export function atomPersonNames(persons: unknown[]): string[] {
  // Inside RSS the Atom elements carry their prefix all the way down: <atom:author><atom:name>.
  return persons.map((person) => childText(person, 'name') ?? childText(person, 'atom:name') ?? '').filter(Boolean);
}
