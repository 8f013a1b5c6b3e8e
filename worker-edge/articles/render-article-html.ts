// Untrusted article HTML → what we store and serve: allow-listed, links absolute, every image through /img and
// loading lazily (keeping its width and height so the text does not jump as images arrive).
import { htmlToText, sanitizeHtml } from '../html/sanitize-html.ts';
import { CappedImageSet } from '../images/capped-image-set.ts';
import { proxiedImageUrl } from '../../contract/paths.ts';

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

export function renderArticleHtml(html: string, baseUrl: string): RenderedArticleHtml {
  const sources = new CappedImageSet();
  const sanitized = sanitizeHtml(html, {
    baseUrl,
    rewriteImageUrl: (absoluteUrl) => (sources.admit(absoluteUrl) ? proxiedImageUrl(absoluteUrl) : undefined),
  });
  // Safe as plain text surgery: in sanitised output every "<img" is a real tag (text has its "<" escaped).
  const contentHtml = sanitized.replace(/<img\b/g, '<img loading="lazy"');
  const imageSources = sources.urls;
  return { contentHtml, wordCount: countWords(htmlToText(contentHtml)), images: imageSources.map(proxiedImageUrl), imageSources };
}
