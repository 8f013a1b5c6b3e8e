// Fetches the page an article lives on, through the same polite, guarded fetch as feeds: size cap, one deadline,
// redirects checked hop by hop against the address guard. Answers with the page as text, or throws ArticleFailure.
import { FetchFailure, politeFetch } from '../net/polite-fetch.ts';
import { ArticleFailure, fromFetchFailure, fromHttpStatus } from './article-failure.ts';
import { decodeHtmlBytes } from './decode-html-bytes.ts';

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';

/** Servers often leave the Content-Type off or send a generic one; only a definite other type is refused. */
const HTML_OR_UNLABELLED = /^(text\/html|application\/xhtml\+xml|text\/plain|application\/octet-stream)?\s*(;|$)/i;

export interface PageFetchSettings {
  allowPrivateNetwork: boolean;
  maxBytes: number;
  timeoutMs: number;
}

export interface FetchedPage {
  html: string;
  /** Where the page was found, after redirects. */
  url: string;
}

export async function fetchArticlePage(url: string, settings: PageFetchSettings): Promise<FetchedPage> {
  let outcome: Awaited<ReturnType<typeof politeFetch>>;
  try {
    outcome = await politeFetch(url, { accept: PAGE_ACCEPT, resourceName: 'page', ...settings });
  } catch (error) {
    if (error instanceof FetchFailure) throw fromFetchFailure(error);
    throw error;
  }
  if (outcome.kind === 'http-error')
    throw fromHttpStatus(outcome.status, new URL(outcome.url).host, outcome.retryAfterMs);
  // We never send validators for pages, so a 304 can only come from a confused server.
  if (outcome.kind === 'not-modified')
    throw new ArticleFailure('unreadable', `${new URL(outcome.url).host} answered 304 to a plain request.`);
  const contentType = outcome.headers.get('content-type');
  if (!HTML_OR_UNLABELLED.test(contentType?.trim() ?? '')) {
    throw new ArticleFailure('unreadable', `That address is not a web page (it is ${contentType?.split(';')[0]}).`);
  }
  return { html: decodeHtmlBytes(outcome.body, contentType), url: outcome.url };
}
