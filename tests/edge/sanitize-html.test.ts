// The HTML sanitiser against the XSS corpus (tests/fixtures/xss: OWASP's filter-evasion list, encoded variants, SVG /
// MathML, mutation XSS, parser confusion), the same vectors scripts/prove-xss.ts renders through the reader in Chromium.
// The output is re-parsed with workerd's HTMLRewriter (lol-html, an HTML5 tokenizer, like a browser would read it)
// and checked structurally: no active elements, no event handlers, no styles, only http(s)/mailto URLs.
import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeHtml } from '../../worker-edge/html/sanitize-html.ts';
import { markedVector, XSS_VECTORS } from '../fixtures/xss/xss-vectors.ts';

const BASE = 'https://blog.example.com/2024/05/post.html';
/** As feed content is sanitised: links and pictures absolute against the item's base URL, pictures left where they are. */
const sanitizeFeedHtml = (html: string, baseUrl: string) => sanitizeHtml(html, { baseUrl });

/** Elements that must never come out, whatever goes in. */
const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'object',
  'embed',
  'svg',
  'math',
  'form',
  'input',
  'button',
  'base',
  'meta',
  'link',
  'noscript',
  'template',
  'textarea',
  'select',
  'option',
  'video',
  'audio',
  'source',
  'body',
  'isindex',
  'xmp',
  'noembed',
  'title',
]);

interface ParsedElement {
  tag: string;
  attributes: [string, string][];
}

/** Every element of `html` as an HTML5 tokenizer sees it. */
async function elementsOf(html: string): Promise<ParsedElement[]> {
  const elements: ParsedElement[] = [];
  const rewriter = new HTMLRewriter().on('*', {
    element(element) {
      // The tests' DOM lib also declares an Element, and it wins: at run time these are HTMLRewriter's [name, value] pairs.
      const attributes = [...(element.attributes as unknown as Iterable<[string, string]>)];
      elements.push({ tag: element.tagName.toLowerCase(), attributes });
    },
  });
  await rewriter.transform(new Response(html)).text();
  return elements;
}

function urlsIn(attribute: string, value: string): string[] {
  if (attribute === 'srcset') return value.split(/,\s+/).map((candidate) => candidate.trim().split(/\s+/)[0] ?? '');
  return [value];
}

/** Everything wrong with sanitised output, as readable lines; empty when it is safe. */
async function unsafeParts(html: string): Promise<string[]> {
  const problems: string[] = [];
  if (/<\s*\/?\s*(?:script|iframe|svg|math|style|object|embed)/i.test(html)) problems.push('active markup in the text');
  for (const { tag, attributes } of await elementsOf(html)) {
    if (FORBIDDEN_ELEMENTS.has(tag)) problems.push(`<${tag}>`);
    for (const [name, value] of attributes) {
      if (/^on/i.test(name) || ['style', 'class', 'id', 'background', 'formaction', 'srcdoc'].includes(name))
        problems.push(`${tag}[${name}]`);
      if (!['href', 'src', 'srcset'].includes(name)) continue;
      for (const url of urlsIn(name, value)) {
        // Output URLs are absolute: a relative one would be resolved by the page, against the page.
        const scheme = URL.canParse(url) ? new URL(url).protocol : 'relative:';
        const allowed = tag === 'a' ? ['http:', 'https:', 'mailto:'] : ['http:', 'https:'];
        if (!allowed.includes(scheme)) problems.push(`${tag}[${name}=${url}]`);
      }
    }
  }
  return problems;
}

describe('sanitizeHtml: XSS vectors', () => {
  it.each(XSS_VECTORS.map((vector) => ({ ...vector, html: markedVector(vector) })))(
    '#$id $category: $html',
    async ({ html: vector }) => {
      for (const html of [vector, `<p>before</p>${vector}<p>after</p>`, `<div>${vector}`]) {
        const clean = sanitizeFeedHtml(html, BASE);
        expect(await unsafeParts(clean), clean).toEqual([]);
        // Sanitising is idempotent: what came out is already as clean as it gets.
        expect(sanitizeFeedHtml(clean, BASE)).toBe(clean);
      }
    },
  );

  it('the checker itself catches unsafe output', async () => {
    expect(await unsafeParts('<img src=x onerror=alert(1)>')).toEqual(['img[src=x]', 'img[onerror]']);
    expect(await unsafeParts('<a href="javascript:alert(1)">x</a>')).toContain('a[href=javascript:alert(1)]');
    expect(await unsafeParts('<svg><script>alert(1)</script></svg>')).toContain('<script>');
  });
});

describe('sanitizeHtml: what is kept', () => {
  it('keeps structure and text, drops presentation', () => {
    const html =
      '<h2 class="x">Title</h2><p style="color:red">A <strong>bold</strong> <em>move</em>.</p>' +
      '<ul><li>one</li><li>two</li></ul><blockquote>quote</blockquote><pre><code>x &lt; y</code></pre>' +
      '<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>' +
      '<figure><img src="/a.png" alt="A"><figcaption>cap</figcaption></figure>';
    expect(sanitizeFeedHtml(html, BASE)).toBe(
      '<h2>Title</h2><p>A <strong>bold</strong> <em>move</em>.</p>' +
        '<ul><li>one</li><li>two</li></ul><blockquote>quote</blockquote><pre><code>x &lt; y</code></pre>' +
        '<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>' +
        '<figure><img src="https://blog.example.com/a.png" alt="A" /><figcaption>cap</figcaption></figure>',
    );
  });

  it('makes links absolute and marks them noopener noreferrer nofollow', () => {
    const clean = sanitizeFeedHtml(
      '<a href="../06/next.html" rel="opener" target="_blank">next</a> <a href="#notes">notes</a> <a href="mailto:me@example.com">mail</a> <a href="//cdn.example.net/x">cdn</a>',
      BASE,
    );
    expect(clean).toBe(
      '<a href="https://blog.example.com/2024/06/next.html" rel="noopener noreferrer nofollow">next</a> ' +
        '<a href="https://blog.example.com/2024/05/post.html#notes" rel="noopener noreferrer nofollow">notes</a> ' +
        '<a href="mailto:me@example.com" rel="noopener noreferrer nofollow">mail</a> ' +
        '<a href="https://cdn.example.net/x" rel="noopener noreferrer nofollow">cdn</a>',
    );
  });

  it('makes images absolute, src and srcset, and takes lazy-loaded sources from data-src', () => {
    expect(
      sanitizeFeedHtml(
        '<img src="img/a.jpg" srcset="img/a.jpg 1x, /img/a@2x.jpg 2x" width="640" height="480" title="t">',
        BASE,
      ),
    ).toBe(
      '<img src="https://blog.example.com/2024/05/img/a.jpg" srcset="https://blog.example.com/2024/05/img/a.jpg 1x, https://blog.example.com/img/a@2x.jpg 2x" title="t" width="640" height="480" />',
    );
    expect(sanitizeFeedHtml('<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg">', BASE)).toBe(
      '<img src="https://blog.example.com/real.jpg" />',
    );
  });

  it('routes every image URL through rewriteImageUrl, and only images', () => {
    const seen: string[] = [];
    const clean = sanitizeHtml('<a href="/page"><img src="/a.png" srcset="/a.png 1x, /b.png 2x"></a>', {
      baseUrl: BASE,
      rewriteImageUrl: (url) => {
        seen.push(url);
        return `/img?u=${encodeURIComponent(url)}`;
      },
    });
    expect(seen).toEqual([
      'https://blog.example.com/a.png',
      'https://blog.example.com/a.png',
      'https://blog.example.com/b.png',
    ]);
    expect(clean).toBe(
      '<a href="https://blog.example.com/page" rel="noopener noreferrer nofollow">' +
        '<img src="/img?u=https%3A%2F%2Fblog.example.com%2Fa.png" srcset="/img?u=https%3A%2F%2Fblog.example.com%2Fa.png 1x, /img?u=https%3A%2F%2Fblog.example.com%2Fb.png 2x" /></a>',
    );
  });

  it('removes images it cannot show rather than leaving them empty', () => {
    expect(sanitizeFeedHtml('<p>a<img src="javascript:alert(1)">b<img>c</p>', BASE)).toBe('<p>abc</p>');
  });
});

describe('htmlToText', () => {
  it('gives the text a reader sees, blocks separated, entities decoded', () => {
    expect(htmlToText('<p>One&nbsp;para</p><p>Two &amp; <b>bold</b></p><ul><li>a</li><li>b</li></ul>Fish &lt;3')).toBe(
      'One para Two & bold a b Fish <3',
    );
  });

  it('drops scripts, styles and other non-text content', () => {
    expect(
      htmlToText(
        '<style>p{}</style><script>alert(1)</script><p>kept</p><svg><title>no</title></svg><noscript>no</noscript>',
      ),
    ).toBe('kept');
  });

  it('leaves plain text alone apart from whitespace', () => {
    expect(htmlToText('  plain\n\ttext  ')).toBe('plain text');
    expect(htmlToText('a < b and c > d')).toBe('a < b and c > d');
  });
});
