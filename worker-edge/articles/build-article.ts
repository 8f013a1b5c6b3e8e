// Makes the readable article for an item or a page: fetch → decode → extract → sanitise, falling back to the feed's
// own content when the page yields too little (a teaser, a paywall, a page that is not an article).
import type { Article, ArticleSource, ItemForArticle } from '../model/article.ts';
import { ArticleFailure } from './article-failure.ts';
import { extractReadable, type ReadablePage } from './extract-readable.ts';
import { fetchArticlePage, type PageFetchSettings } from './fetch-article-page.ts';
import { renderArticleHtml, renderStoredFeedHtml, type RenderedArticleHtml } from './render-article-html.ts';

/** Fewer words than this from a page is a teaser, a stub or a non-article: the feed's copy is used if it has one. */
const MIN_PAGE_WORDS = 60;

export interface BuiltArticle {
  article: Article;
  imageSources: string[];
}

/** What an article says about itself, apart from its content. */
type ArticleFields = Pick<Article, 'url' | 'title' | 'byline' | 'siteName' | 'publishedAt'>;

function toBuilt(id: string, source: ArticleSource, fields: ArticleFields, html: RenderedArticleHtml): BuiltArticle {
  const { contentHtml, wordCount, images, imageSources } = html;
  return { article: { id, ...fields, contentHtml, wordCount, images, source }, imageSources };
}

function isoDate(text: string | null): string | null {
  const time = text ? Date.parse(text) : NaN;
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * D1 caps the size of a row (local D1 does not enforce it, production does): an article whose HTML is past this is
 * not stored, since its insert would fail on every read and the page be fetched again each time. Far beyond any
 * real article's text.
 */
const MAX_ARTICLE_HTML_BYTES = 900_000;
const fitsStorage = (page: RenderedArticleHtml) =>
  new TextEncoder().encode(page.contentHtml).byteLength <= MAX_ARTICLE_HTML_BYTES;

/** The page wins when it has a real article's worth of text, at least half of what the feed carries, and fits. */
function pageIsEnough(page: RenderedArticleHtml, feed: RenderedArticleHtml): boolean {
  return (
    fitsStorage(page) &&
    (feed.wordCount === 0 || (page.wordCount >= MIN_PAGE_WORDS && page.wordCount >= feed.wordCount / 2))
  );
}

function feedArticle(item: ItemForArticle, feed: RenderedArticleHtml): BuiltArticle {
  return toBuilt(
    item.id,
    'feed',
    {
      url: item.url,
      title: item.title,
      byline: item.author,
      siteName: item.feedTitle || null,
      publishedAt: item.publishedAt,
    },
    feed,
  );
}

/** A page whose HTML defeats the extractor counts as a page with nothing readable, not as our failure. */
function tryExtract(html: string, pageUrl: string): ReadablePage | null {
  try {
    return extractReadable(html, pageUrl);
  } catch (error) {
    console.warn(JSON.stringify({ event: 'extraction_error', url: pageUrl, error: String(error) }));
    return null;
  }
}

async function readPage(
  url: string,
  settings: PageFetchSettings,
): Promise<{ readable: ReadablePage | null; pageUrl: string }> {
  const page = await fetchArticlePage(url, settings);
  return { readable: tryExtract(page.html, page.url), pageUrl: page.url };
}

/**
 * The item's article. Throws ArticleFailure only for 'gone' and 'upstream' (the API's 404 and 502); a page we may
 * not or cannot read (blocked address, not HTML, too large, refused) means the feed's content is the article.
 */
export async function buildItemArticle(item: ItemForArticle, settings: PageFetchSettings): Promise<BuiltArticle> {
  const feed = renderStoredFeedHtml(item.feedContentHtml);
  if (!item.url) return feedArticle(item, feed);
  let read: Awaited<ReturnType<typeof readPage>>;
  try {
    read = await readPage(item.url, settings);
  } catch (error) {
    if (error instanceof ArticleFailure && error.reason !== 'gone' && error.reason !== 'upstream')
      return feedArticle(item, feed);
    throw error;
  }
  const { readable, pageUrl } = read;
  const page = readable ? renderArticleHtml(readable.contentHtml, readable.baseUrl) : null;
  if (!readable || !page || !pageIsEnough(page, feed)) return feedArticle(item, feed);
  return toBuilt(
    item.id,
    'page',
    {
      url: pageUrl,
      title: item.title || readable.title || pageUrl,
      byline: readable.byline ?? item.author,
      siteName: readable.siteName ?? (item.feedTitle || null),
      publishedAt: item.publishedAt ?? isoDate(readable.publishedTime),
    },
    page,
  );
}

/** Any public page, asked for by URL: there is no feed copy to fall back on, so an unreadable page is a failure. */
export async function buildPageArticle(id: string, url: string, settings: PageFetchSettings): Promise<BuiltArticle> {
  const { readable, pageUrl } = await readPage(url, settings);
  const page = readable ? renderArticleHtml(readable.contentHtml, readable.baseUrl) : null;
  if (!readable || !page || page.wordCount === 0)
    throw new ArticleFailure('unreadable', 'No readable text was found on that page.');
  if (!fitsStorage(page))
    throw new ArticleFailure('unreadable', 'The readable text of that page is too large to keep.');
  return toBuilt(
    id,
    'page',
    {
      url: pageUrl,
      title: readable.title ?? pageUrl,
      byline: readable.byline,
      siteName: readable.siteName,
      publishedAt: isoDate(readable.publishedTime),
    },
    page,
  );
}
