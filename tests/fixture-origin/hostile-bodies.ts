// Generated hostile feed bodies, one family per way of making a parser go super-linear, at any size. Shared by the
// fixture origin (/local/hostile/<family>?bytes=N, see routes.ts) and the edge tests, so both read the same bytes.
// `recovered`: the family parses and yields its one item; otherwise it is refused with a message matching `refused`.
// Every family is also parsed at 3.9 MB inside a heap the size of a Worker's (tests/e2e/feed-memory.test.ts).

export interface HostileFamily {
  make(bytes: number): string;
  contentType: string;
  outcome: { recovered: true } | { refused: RegExp };
}

const RSS = 'application/rss+xml';
const head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><link>https://example.org/</link>';
const tail = '</channel></rss>';
const inItem = (inner: string) =>
  `${head}<item><title>one</title><link>https://example.org/1</link>${inner}</item>${tail}`;
/** `unit` repeated to fill about `bytes`, less what surrounds it. */
const run = (bytes: number, unit: string) => unit.repeat(Math.max(1, Math.floor((bytes - 300) / unit.length)));
const half = (bytes: number) => bytes / 2;
/** Attributes ` a0="1" a1="1" …`, each name its own, filling about `bytes` (names grow, so counted as they go). */
function distinctAttributes(bytes: number): string {
  const parts: string[] = [];
  for (let k = 0, size = 0; size < bytes - 300; k++) {
    const attribute = ` a${k.toString(36)}="1"`;
    parts.push(attribute);
    size += attribute.length;
  }
  return parts.join('');
}

const recovered = (make: (bytes: number) => string, contentType = RSS): HostileFamily => ({
  make,
  contentType,
  outcome: { recovered: true },
});
const refused = (make: (bytes: number) => string, message: RegExp): HostileFamily => ({
  make,
  contentType: RSS,
  outcome: { refused: message },
});

export const HOSTILE_FAMILIES: Record<string, HostileFamily> = {
  // Whitespace runs in start tags of text elements: markedAsHtml's /\s*\/?>$/ was quadratic in them.
  'space-before-attribute': recovered((n) => inItem(`<description${run(n, ' ')}x="1"><b>x</b></description>`)),
  // An attribute value past sax's 64 KB buffer is refused: no feed needs one, and kept it cost 32 bytes a character.
  'space-inside-attribute': refused(
    (n) => inItem(`<description x="${run(n, ' ')}"><b>x</b></description>`),
    /^Too complex to read: an attribute value at line 1 is longer than 64 KB/,
  ),
  'space-around-equals': recovered((n) =>
    inItem(`<description x${run(half(n), ' ')}=${run(half(n), ' ')}"1"><b>x</b></description>`),
  ),
  'space-before-self-close': recovered((n) =>
    inItem(`<enclosure url="https://example.org/a.jpg" type="image/jpeg"${run(n, ' ')}/>`),
  ),
  'many-attributes': refused(
    (n) => inItem(`<description${distinctAttributes(n)}><b>x</b></description>`),
    /^Too complex to read: the feed has more than 200,000 attributes/,
  ),
  // Long runs of one character inside text and CDATA.
  'less-than-run': recovered((n) => inItem(`<description>${run(n, '<')}</description>`)),
  'ampersand-run': recovered((n) => inItem(`<description>${run(n, '&')}</description>`)),
  'bracket-run-in-cdata': recovered((n) => inItem(`<description><![CDATA[${run(n, ']')}]]></description>`)),
  'less-than-run-in-cdata': recovered((n) => inItem(`<description><![CDATA[${run(n, '<p')}]]></description>`)),
  // Deep nesting: xml2js joined the element path per element, htmlparser2 unshifts and searches its stack. Deep XML
  // is refused (each open element holds a node, and no feed nests deeper than a few levels); deep HTML inside a text
  // element is read as its text.
  'deep-xml': refused(
    (n) => inItem(`${run(half(n), '<x>')}${run(half(n), '</x>')}`),
    /^Too complex to read: the feed nests elements [\d,]+ deep; the reader reads at most 256$/,
  ),
  'deep-html': recovered((n) => inItem(`<description>${run(half(n), '<b>')}x${run(half(n), '</b>')}</description>`)),
  'stray-html-under-deep-html': recovered((n) =>
    inItem(`<description>${run(half(n), '<b>')}x${run(half(n), '</i>')}</description>`),
  ),
  'deep-escaped-html': recovered((n) => inItem(`<description>${run(n, '&lt;div&gt;')}x</description>`)),
  'deep-xhtml': recovered(
    (n) =>
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Hostile</title><entry><id>1</id><title>one</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${run(half(n), '<x:b>')}${run(half(n), '</x:b>')}</div></content></entry></feed>`,
    'application/atom+xml',
  ),
  'deep-json-html': recovered(
    (n) =>
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Hostile',
        items: [{ id: '1', title: 'one', content_html: run(n, '<div>') }],
      }),
    'application/feed+json',
  ),
  'author-at-run': recovered((n) => inItem(`<author>x(${run(n, 'a@')}</author>`)),
  // Lenient XML: stray end tags and elements left open are read the way feedparser and htmlparser2 read them.
  'stray-end-tags': recovered((n) => inItem(run(n, '</p>'))),
  // A million elements left open are not a feed cut off after its last item: refused like deep-xml.
  'unclosed-elements': refused(
    (n) => `${head}<item><title>one</title><link>https://example.org/1</link></item>${run(n, '<x>')}`,
    /^Too complex to read: the feed nests elements [\d,]+ deep; the reader reads at most 256$/,
  ),
  // What cannot be read is refused, fast.
  'unclosed-text-element': refused(
    (n) => `${head}<item><title>one</title><description>${run(n, 'a')}`,
    /^Malformed XML at line \d+: /,
  ),
  'dash-run-in-comment': refused(
    (n) => inItem(`<!--${run(n, '-')}-->`),
    /^Malformed XML at line \d+: Malformed comment/,
  ),
  'unclosed-start-tag': refused((n) => `<rss${run(n, ' a="1"')}`, /^Malformed XML/),
  'less-than-only': refused((n) => run(n, '<'), /^Malformed XML: no root element/),
  'ampersand-only': refused((n) => run(n, '&'), /^Not a feed/),
  'unclosed-doctype': refused(
    (n) => `<?xml version="1.0"?><!DOCTYPE rss [${run(n, '<!ENTITY a "b">')}`,
    /^Malformed XML: no root element/,
  ),
};
