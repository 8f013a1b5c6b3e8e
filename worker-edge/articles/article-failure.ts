// Why an article could not be made, in terms the API and the reading page answer with:
//   gone        the page is not there any more (404 / 410)
//   upstream    the site failed this time (timeout, 5xx, reset, 429): try again later
//   blocked     the address is on a network we do not fetch from
//   invalid-url the address is not a web address at all
//   unreadable  the site answered, but with nothing we can read (not HTML, too large, refused, redirect maze)
import type { FetchFailure, FetchFailureCode } from '../net/polite-fetch.ts';

export type ArticleFailureReason = 'gone' | 'upstream' | 'blocked' | 'invalid-url' | 'unreadable';

export class ArticleFailure extends Error {
  readonly reason: ArticleFailureReason;
  /** How long the site asked us to wait, when it said. */
  readonly retryAfterMs: number | null;

  constructor(reason: ArticleFailureReason, message: string, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'ArticleFailure';
    this.reason = reason;
    this.retryAfterMs = retryAfterMs;
  }
}

const REASON_BY_FETCH_CODE: Record<FetchFailureCode, ArticleFailureReason> = {
  'invalid-url': 'invalid-url',
  'blocked-address': 'blocked',
  'too-large': 'unreadable',
  'too-many-redirects': 'unreadable',
  'redirect-loop': 'unreadable',
  timeout: 'upstream',
  dns: 'upstream',
  tls: 'upstream',
  connection: 'upstream',
  truncated: 'upstream',
  network: 'upstream',
};

export function fromFetchFailure(failure: FetchFailure): ArticleFailure {
  return new ArticleFailure(REASON_BY_FETCH_CODE[failure.code], failure.message);
}

/** Statuses worth trying again; every other 4xx is the site's considered answer. */
const TRANSIENT_STATUSES = new Set([408, 425, 429]);

export function fromHttpStatus(status: number, host: string, retryAfterMs: number | null): ArticleFailure {
  if (status === 404 || status === 410) {
    return new ArticleFailure(
      'gone',
      `The page is no longer at ${host} (${status === 410 ? '410 Gone' : '404 Not Found'}).`,
    );
  }
  if (status >= 500 || TRANSIENT_STATUSES.has(status)) {
    return new ArticleFailure(
      'upstream',
      `${host} answered ${status}; it may be busy or down for a moment.`,
      retryAfterMs,
    );
  }
  return new ArticleFailure('unreadable', `${host} refused to send the page (${status}).`);
}
