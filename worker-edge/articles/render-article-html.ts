// Untrusted article HTML → what we store and serve: allow-listed, links absolute, every image through /img and
// loading lazily (keeping its width and height so the text does not jump as images arrive).
import { decodeHTML } from 'entities';
import { htmlToText, rewriteSrcset, sanitizeHtml } from '../html/sanitize-html.ts';
import { CappedImageSet } from '../images/capped-image-set.ts';
import { proxiedImageUrl } from '../../contract/paths.ts';
import { relevelHeadings } from './relevel-headings.ts';

export interface RenderedArticleHtml {
  contentHtml: string;
  wordCount: number;
  /** The same-origin /img URLs, in order of first use. */
  images: string[];
  /** The original URLs behind `images`: what the image proxy may fetch (at most MAX_IMAGES_PER_OWNER). */
  imageSources: string[];
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

function rendered(sanitized: string, sources: CappedImageSet): RenderedArticleHtml {
  // Safe as plain text surgery: in sanitised output every "<img" is a real tag (text has its "<" escaped).
  const contentHtml = relevelHeadings(sanitized).replace(/<img\b/g, '<img loading="lazy"');
  const imageSources = sources.urls;
  return {
    contentHtml,
    wordCount: countWords(htmlToText(contentHtml)),
    images: imageSources.map(proxiedImageUrl),
    imageSources,
  };
}

/** A page's HTML, sanitised here. */
export function renderArticleHtml(html: string, baseUrl: string): RenderedArticleHtml {
  const sources = new CappedImageSet();
  const proxied = (absoluteUrl: string) => (sources.admit(absoluteUrl) ? proxiedImageUrl(absoluteUrl) : undefined);
  return rendered(sanitizeHtml(html, { baseUrl, rewriteImageUrl: proxied }), sources);
}

/**
 * A feed item's stored HTML, sanitised when its feed was refreshed: not sanitised again, only its pictures move to
 * /img. sanitize-html writes attributes as name="value" with `"` and `>` escaped, so its tags are read reliably.
 */
export function renderStoredFeedHtml(storedHtml: string): RenderedArticleHtml {
  const sources = new CappedImageSet();
  const proxied = (absoluteUrl: string) => (sources.admit(absoluteUrl) ? proxiedImageUrl(absoluteUrl) : undefined);
  const html = storedHtml.replace(/<img\s[^>]*>/g, (tag) => {
    const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    const src = attribute('src');
    const url = src?.[1] !== undefined ? proxied(decodeHTML(src[1])) : undefined;
    // As the sanitiser does: a picture whose source is left out goes altogether.
    if (!src || url === undefined) return '';
    const srcset = attribute('srcset');
    const set = srcset?.[1] !== undefined ? rewriteSrcset(decodeHTML(srcset[1]), proxied) : undefined;
    const out = tag.replace(src[0], () => ` src="${escapeAttribute(url)}"`);
    return srcset ? out.replace(srcset[0], () => (set === undefined ? '' : ` srcset="${escapeAttribute(set)}"`)) : out;
  });
  return rendered(html, sources);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
