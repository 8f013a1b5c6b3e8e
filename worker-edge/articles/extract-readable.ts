// The readable part of a page, found by Mozilla's Readability (Firefox Reader View) over a linkedom DOM.
// The output is still raw HTML from the page: it is sanitised afterwards, never served as it comes out of here.
import { Readability } from '@mozilla/readability';
import { resolveHttpUrl } from '../feeds/resolve-url.ts';
import { parsePage, type PageDocument } from './page-document.ts';
import { resolveLazyImages } from './resolve-lazy-images.ts';
import { dropWidgets } from './drop-widgets.ts';

export interface ReadablePage {
  title: string | null;
  byline: string | null;
  siteName: string | null;
  publishedTime: string | null;
  contentHtml: string;
  /** What relative URLs in the page resolve against. */
  baseUrl: string;
}

/**
 * Relative URLs resolve against the page's <base href> only when it stays on the page's own site: sites use it for
 * their own paths, while a base on another host is how an injected tag sends every relative link and image there.
 * The one base left is written out in full, because linkedom hands Readability the attribute exactly as written.
 */
function pinBaseUrl(document: PageDocument, pageUrl: string): string {
  const declared = resolveHttpUrl([...document.querySelectorAll('base[href]')][0]?.getAttribute('href'), pageUrl);
  const baseUrl = declared && new URL(declared).origin === new URL(pageUrl).origin ? declared : pageUrl;
  for (const base of document.querySelectorAll('base')) base.remove();
  const pinned = document.createElement('base');
  pinned.setAttribute('href', baseUrl);
  document.head?.append(pinned);
  return baseUrl;
}

/**
 * Readability keeps loosening its rules (letting comments and sidebars back in) until it has this many characters.
 * Its default, 500, turns a short note into a note plus its comment thread; whether the result is too little to be
 * worth showing is judged afterwards, against the feed's own copy.
 */
const SHORT_ARTICLE_CHARS = 100;

const text = (value: string | null | undefined) => value?.replace(/\s+/g, ' ').trim() || null;

export function extractReadable(html: string, pageUrl: string): ReadablePage | null {
  const document = parsePage(html);
  const baseUrl = pinBaseUrl(document, pageUrl);
  resolveLazyImages(document);
  for (const navigation of document.querySelectorAll('nav, [role="navigation"]')) navigation.remove();
  dropWidgets(document);
  const article = new Readability(document, { charThreshold: SHORT_ARTICLE_CHARS }).parse();
  if (!article?.content) return null;
  return {
    title: text(article.title),
    byline: text(article.byline),
    siteName: text(article.siteName),
    publishedTime: text(article.publishedTime),
    contentHtml: article.content,
    baseUrl,
  };
}
