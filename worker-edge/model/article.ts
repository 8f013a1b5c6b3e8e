// A readable article as the edge makes and keeps it, and the item it is made for. The API's ArticleView has the same
// fields today; api/views.ts maps one to the other, so the two can change apart.

/** Where an article's content came from: the page itself, or the feed's own copy when the page gave too little. */
export type ArticleSource = 'page' | 'feed';

export interface Article {
  /** The item's id; for a page asked for by URL, an id made from that URL. */
  id: string;
  /** The original page, after redirects. */
  url: string | null;
  title: string;
  byline: string | null;
  siteName: string | null;
  /** ISO 8601, UTC. */
  publishedAt: string | null;
  /** Sanitised; links absolute, images through the /img proxy. */
  contentHtml: string;
  wordCount: number;
  /** The proxied image URLs the content uses, in order. */
  images: string[];
  source: ArticleSource;
}

/** What the feed told us about an item: its fallback content and the metadata the page may lack. */
export interface ItemForArticle {
  id: string;
  url: string | null;
  title: string;
  author: string | null;
  publishedAt: string | null;
  feedTitle: string;
  /** Sanitised when the feed was refreshed, links and pictures absolute. */
  feedContentHtml: string;
}
