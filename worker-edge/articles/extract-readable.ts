// The readable part of a page, found by Mozilla's Readability (Firefox Reader View) over a linkedom DOM.
// The output is still raw HTML from the page: it is sanitised afterwards, never served as it comes out of here.
import { Readability } from '@mozilla/readability';
import { resolveHttpUrl } from '../feeds/resolve-url.ts';
import { parsePage, type PageDocument } from './page-document.ts';
import { resolveLazyImages } from './resolve-lazy-images.ts';

export interface ReadablePage {
  title: string | null;
  byline: string | null;
  siteName: string | null;
  publishedTime: string | null;
  contentHtml: string;
  /** Characters of text in the readable part: how much was found. */
  textLength: number;
  /** What relative URLs in the page resolve against. */
  baseUrl: string;
}

/**
 * The page's own <base href> counts only when it is an http(s) URL; then it is the one base, written out in full,
 * because linkedom hands Readability the attribute as written and a relative base would leave links relative.
 */
function pinBaseUrl(document: PageDocument, pageUrl: string): string {
  const bases = [...document.querySelectorAll('base[href]')];
  const baseUrl = resolveHttpUrl(bases[0]?.getAttribute('href'), pageUrl) ?? pageUrl;
  for (const base of document.querySelectorAll('base')) base.remove();
  const pinned = document.createElement('base');
  pinned.setAttribute('href', baseUrl);
  document.head?.append(pinned);
  return baseUrl;
}

const text = (value: string | null | undefined) => value?.replace(/\s+/g, ' ').trim() || null;

export function extractReadable(html: string, pageUrl: string): ReadablePage | null {
  const document = parsePage(html);
  const baseUrl = pinBaseUrl(document, pageUrl);
  resolveLazyImages(document);
  const article = new Readability(document).parse();
  if (!article?.content) return null;
  return {
    title: text(article.title),
    byline: text(article.byline),
    siteName: text(article.siteName),
    publishedTime: text(article.publishedTime),
    contentHtml: article.content,
    textLength: article.length ?? 0,
    baseUrl,
  };
}
