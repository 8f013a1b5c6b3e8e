// HTML from feeds and extracted articles is written by strangers: it goes through an allow-list before any page
// shows it. What survives is structure and text, links and images, with every URL made absolute and every scheme
// but http(s) (and mailto: for links) dropped. No scripts, styles, classes, ids, frames, forms, SVG or MathML.
import sanitize from 'sanitize-html';
import { decodeHTML } from 'entities';
import { affordableHtml } from './affordable-html.ts';
import { collapseWhitespace } from './plain-text.ts';

export interface SanitizeHtmlOptions {
  /** Absolute URL that relative links and image sources are resolved against. */
  baseUrl: string;
  /**
   * Maps each absolute http(s) image URL (src and srcset) to the URL the page should load, e.g. through /img;
   * undefined leaves it out (a srcset candidate is dropped, an image without its src is removed).
   */
  rewriteImageUrl?: (absoluteUrl: string) => string | undefined;
}

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'div',
  'span',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'details',
  'summary',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'colgroup',
  'col',
  'figure',
  'figcaption',
  'pre',
  'code',
  'kbd',
  'samp',
  'var',
  'blockquote',
  'q',
  'cite',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'del',
  'ins',
  'mark',
  'small',
  'sub',
  'sup',
  'abbr',
  'time',
  'wbr',
  'a',
  'img',
];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'srcset', 'alt', 'title', 'width', 'height'],
  abbr: ['title'],
  ol: ['start'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan'],
};

/** Disallowed elements whose text is not content either: dropped with everything inside, not just unwrapped. */
const NON_TEXT_TAGS = [
  'script',
  'style',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'xmp',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'canvas',
  'audio',
  'video',
  'textarea',
  'select',
  'option',
  'head',
  'title',
];

/** Elements that end a line of text: htmlToText puts a space where they start and end. */
const BLOCK_TAGS = new Set([
  'p',
  'br',
  'hr',
  'div',
  'li',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'td',
  'th',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'dl',
  'table',
  'figure',
  'figcaption',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'img',
]);

const LINK_REL = 'noopener noreferrer nofollow';

export function sanitizeHtml(html: string, { baseUrl, rewriteImageUrl = (url) => url }: SanitizeHtmlOptions): string {
  const imageUrl = (raw: string | undefined): string | undefined => {
    const absolute = absoluteUrl(raw, baseUrl, IMAGE_SCHEMES);
    return absolute ? rewriteImageUrl(absolute) : undefined;
  };
  const affordable = affordableHtml(html);
  if ('text' in affordable) return textAsHtml(affordable.text);
  return sanitize(affordable.html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    nonTextTags: NON_TEXT_TAGS,
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: withDefined({
          href: absoluteUrl(attribs.href, baseUrl, LINK_SCHEMES),
          title: attribs.title,
          rel: LINK_REL,
        }),
      }),
      img: (tagName, attribs) => ({
        tagName,
        attribs: withDefined({
          src: imageUrl(imageSource(attribs)),
          srcset: rewriteSrcset(attribs.srcset ?? attribs['data-srcset'], imageUrl),
          alt: attribs.alt,
          title: attribs.title,
          width: attribs.width,
          height: attribs.height,
        }),
      }),
    },
    // An image whose source was unusable (javascript:, data:, missing) or left out is removed rather than left empty.
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  });
}

/** The text a reader would see, on one line: entities decoded, tags and scripts gone, blocks separated by spaces. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  const affordable = affordableHtml(html);
  if ('text' in affordable) return collapseWhitespace(affordable.text);
  let blockBoundary = false;
  const markBoundary = (name: string) => {
    if (BLOCK_TAGS.has(name)) blockBoundary = true;
  };
  const escapedText = sanitize(affordable.html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: NON_TEXT_TAGS,
    onOpenTag: markBoundary,
    onCloseTag: markBoundary,
    textFilter: (text) => {
      const separated = blockBoundary ? ` ${text}` : text;
      blockBoundary = false;
      return separated;
    },
  });
  return collapseWhitespace(decodeHTML(escapedText));
}

/** HTML too costly to sanitise, as what a reader would see of it: its text, in one paragraph. */
function textAsHtml(text: string): string {
  const collapsed = collapseWhitespace(text);
  return collapsed ? `<p>${escapeHtml(collapsed)}</p>` : '';
}

const ESCAPE_PIECE_CHARS = 64 * 1024;

/**
 * Text made safe to show as HTML. A piece at a time: V8's global replace holds every match of its whole input until
 * it is done, hundreds of megabytes for 4 million `&`.
 */
export function escapeHtml(text: string): string {
  if (text.length > ESCAPE_PIECE_CHARS) {
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += ESCAPE_PIECE_CHARS)
      pieces.push(escapeHtml(text.slice(at, at + ESCAPE_PIECE_CHARS)));
    return pieces.join('');
  }
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES = new Set(['http:', 'https:']);

function absoluteUrl(raw: string | undefined, baseUrl: string, schemes: Set<string>): string | undefined {
  const trimmed = raw?.trim();
  if (!trimmed) return undefined;
  try {
    const url = new URL(trimmed, baseUrl);
    return schemes.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Lazy-loading markup keeps the real image in data-src and a placeholder (often a data: URL) in src. */
function imageSource(attribs: Record<string, string>): string | undefined {
  const src = attribs.src?.trim();
  const lazy = attribs['data-src'] ?? attribs['data-lazy-src'] ?? attribs['data-original'];
  return (!src || src.startsWith('data:')) && lazy ? lazy : src;
}

/**
 * Each candidate's URL mapped through `toUrl`, unusable ones dropped. Parsed as the HTML standard does: a URL is a
 * run of non-whitespace (commas included, unless trailing), descriptors run to the next comma.
 */
export function rewriteSrcset(
  srcset: string | undefined,
  toUrl: (raw: string) => string | undefined,
): string | undefined {
  if (!srcset) return undefined;
  const candidate = /[\s,]*(\S+)/y;
  const descriptors = /([^,]*),?/y;
  const kept: string[] = [];
  let match: RegExpExecArray | null;
  while ((match = candidate.exec(srcset))) {
    let url = match[1] ?? '';
    let descriptor = '';
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      descriptors.lastIndex = candidate.lastIndex;
      descriptor = descriptors.exec(srcset)?.[1]?.trim() ?? '';
      candidate.lastIndex = descriptors.lastIndex;
    }
    const mapped = toUrl(url);
    if (mapped) kept.push(descriptor ? `${mapped} ${descriptor}` : mapped);
  }
  return kept.length ? kept.join(', ') : undefined;
}

/** The attributes we kept: one we decided against is left out, not handed to sanitize-html as undefined. */
function withDefined(attribs: Record<string, string | undefined>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(attribs)) if (value !== undefined) defined[name] = value;
  return defined;
}
