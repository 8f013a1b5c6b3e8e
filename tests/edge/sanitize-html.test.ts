// The HTML sanitiser against XSS vectors (OWASP's filter-evasion list, mutation-XSS classics, parser confusion).
// The output is re-parsed with workerd's HTMLRewriter (lol-html, an HTML5 tokenizer, like a browser would read it)
// and checked structurally: no active elements, no event handlers, no styles, only http(s)/mailto URLs.
import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeFeedHtml, sanitizeHtml } from '../../worker-edge/html/sanitize-html.ts';

const BASE = 'https://blog.example.com/2024/05/post.html';

const XSS_VECTORS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="javascript:alert(1)">',
  '<img src=JaVaScRiPt:alert(1)>',
  '<img src=`javascript:alert(1)`>',
  '<img """><script>alert(1)</script>">',
  '<img src="vbscript:msgbox(1)">',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<img srcset="javascript:alert(1) 1x, data:image/png;base64,AAAA 2x">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JAVASCRIPT:alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="jav\tascript:alert(1)">x</a>',
  '<a href="java\u0000script:alert(1)">x</a>',
  '<a href="\u0001javascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  '<a href="&#x6A;avascript:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="http://ok.example/" onclick="alert(1)" onmouseover=alert(1)>x</a>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
  '<svg><animate href="#x" attributeName="href" values="javascript:alert(1)"/></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<math href="javascript:alert(1)">x</math>',
  '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
  '<base href="javascript:alert(1)//">',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<style>@import "https://evil.example/x.css";</style>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="width:expression(alert(1))" class="c" id="clobber">x</p>',
  '<form action="javascript:alert(1)"><input type="submit"><button formaction="javascript:alert(1)">x</button></form>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<body onload=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<audio src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<p title="</p><script>alert(1)</script>">x</p>',
  '<<script>alert(1)//<</script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<img src=x onerror=alert(1)//',
  '<div><a href="javascript:alert(1)"><b>x</div>',
  '<textarea><script>alert(1)</script></textarea>',
  '<title><img src=x onerror=alert(1)></title>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<noembed><img src=x onerror=alert(1)></noembed>',
  '<template><script>alert(1)</script></template>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->',
  '<![CDATA[<img src=x onerror=alert(1)>]]>',
  '<table background="javascript:alert(1)"><td background="javascript:alert(1)">x</td></table>',
  '<isindex action=javascript:alert(1) type=image>',
  '<a href="#" onfocus=alert(1) autofocus>x</a>',
  '<img src="https://ok.example/a.png" onload="alert(1)" style="x" class="y" id="z">',
  '<select><option><img src=x onerror=alert(1)></option></select>',
  '<a href=javascript:alert(1)>unquoted</a>',
  `<a href='javascript:alert(1)'>single</a>`,
];

/** Elements that must never come out, whatever goes in. */
const FORBIDDEN_ELEMENTS = new Set([
  'script', 'style', 'iframe', 'frame', 'object', 'embed', 'svg', 'math', 'form', 'input', 'button', 'base', 'meta',
  'link', 'noscript', 'template', 'textarea', 'select', 'option', 'video', 'audio', 'source', 'body', 'isindex',
  'xmp', 'noembed', 'title',
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
      if (/^on/i.test(name) || ['style', 'class', 'id', 'background', 'formaction', 'srcdoc'].includes(name)) problems.push(`${tag}[${name}]`);
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
  it.each(XSS_VECTORS)('%s', async (vector) => {
    for (const html of [vector, `<p>before</p>${vector}<p>after</p>`, `<div>${vector}`]) {
      const clean = sanitizeFeedHtml(html, BASE);
      expect(await unsafeParts(clean), clean).toEqual([]);
      // Sanitising is idempotent: what came out is already as clean as it gets.
      expect(sanitizeFeedHtml(clean, BASE)).toBe(clean);
    }
  });

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
    expect(sanitizeFeedHtml('<img src="img/a.jpg" srcset="img/a.jpg 1x, /img/a@2x.jpg 2x" width="640" height="480" title="t">', BASE)).toBe(
      '<img src="https://blog.example.com/2024/05/img/a.jpg" srcset="https://blog.example.com/2024/05/img/a.jpg 1x, https://blog.example.com/img/a@2x.jpg 2x" title="t" width="640" height="480" />',
    );
    expect(sanitizeFeedHtml('<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg">', BASE)).toBe('<img src="https://blog.example.com/real.jpg" />');
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
    expect(seen).toEqual(['https://blog.example.com/a.png', 'https://blog.example.com/a.png', 'https://blog.example.com/b.png']);
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
    expect(htmlToText('<p>One&nbsp;para</p><p>Two &amp; <b>bold</b></p><ul><li>a</li><li>b</li></ul>Fish &lt;3')).toBe('One para Two & bold a b Fish <3');
  });

  it('drops scripts, styles and other non-text content', () => {
    expect(htmlToText('<style>p{}</style><script>alert(1)</script><p>kept</p><svg><title>no</title></svg><noscript>no</noscript>')).toBe('kept');
  });

  it('leaves plain text alone apart from whitespace', () => {
    expect(htmlToText('  plain\n\ttext  ')).toBe('plain text');
    expect(htmlToText('a < b and c > d')).toBe('a < b and c > d');
  });
});
