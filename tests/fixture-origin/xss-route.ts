// The XSS corpus (tests/fixtures/xss) under /xss/: four feeds carrying every vector, and one article page per
// vector, generated on each request with absolute links to this origin.
//   /xss/feed.rss  /xss/feed.atom  /xss/feed-xhtml.atom  /xss/feed.json   (see XSS_FEEDS)
//   /xss/article/<id>.html   an ordinary news page whose article carries vector <id>
//   /xss/teaser/<id>.html    a page too short to be the article
import {
  articlePage,
  atomHtmlFeed,
  atomXhtmlFeed,
  jsonFeed,
  rssFeed,
  teaserPage,
  XSS_FEEDS,
} from '../fixtures/xss/xss-documents.ts';
import { XSS_VECTORS } from '../fixtures/xss/xss-vectors.ts';
import { bytesBody, textResponse, type FixtureResponse } from './fixture-response.ts';
import type { FixtureRequest } from './routes.ts';

export const XSS_PREFIX = '/xss/';

const feeds: Record<string, { contentType: string; render(origin: string): string }> = {
  [XSS_FEEDS.rss]: { contentType: 'application/rss+xml', render: rssFeed },
  [XSS_FEEDS.atomHtml]: { contentType: 'application/atom+xml', render: atomHtmlFeed },
  [XSS_FEEDS.atomXhtml]: { contentType: 'application/atom+xml', render: atomXhtmlFeed },
  [XSS_FEEDS.json]: { contentType: 'application/feed+json', render: jsonFeed },
};

const pages: Record<string, (vector: (typeof XSS_VECTORS)[number]) => string> = {
  article: articlePage,
  teaser: teaserPage,
};

const ok = (contentType: string, text: string): FixtureResponse => ({
  status: 200,
  headers: { 'content-type': contentType },
  body: bytesBody(text),
});

export async function serveXss({ url, origin }: FixtureRequest): Promise<FixtureResponse> {
  const feed = feeds[url.pathname];
  if (feed) return ok(feed.contentType, feed.render(origin));
  const [, kind, id] = /^\/xss\/(article|teaser)\/(\d+)\.html$/.exec(url.pathname) ?? [];
  const vector = XSS_VECTORS.find((candidate) => String(candidate.id) === id);
  const page = kind ? pages[kind] : undefined;
  if (page && vector) return ok('text/html; charset=utf-8', page(vector));
  return textResponse(404, `no XSS fixture at ${url.pathname}`);
}
