// How the API answers an article it could not make: 404 gone, 502 upstream (with Retry-After), 400 for addresses
// we will not fetch, 422 for pages with nothing readable. Never a 500 for a page we could not read.
import { ArticleFailure } from '../articles/article-failure.ts';
import { ApiFailure } from './api-failure.ts';

/** What clients are told to wait when the site itself gave no Retry-After. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

export function retryAfterSeconds(failure: ArticleFailure): number {
  return failure.retryAfterMs === null
    ? DEFAULT_RETRY_AFTER_SECONDS
    : Math.max(1, Math.ceil(failure.retryAfterMs / 1000));
}

export function toApiFailure(failure: ArticleFailure): ApiFailure {
  switch (failure.reason) {
    case 'gone':
      return new ApiFailure(404, 'gone', failure.message);
    case 'upstream':
      return new ApiFailure(502, 'upstream', `The page could not be fetched: ${failure.message}`, {
        'Retry-After': String(retryAfterSeconds(failure)),
      });
    case 'blocked':
      return new ApiFailure(400, 'blocked_address', failure.message);
    case 'invalid-url':
      return new ApiFailure(400, 'invalid_url', failure.message);
    case 'unreadable':
      return new ApiFailure(422, 'not_readable', failure.message);
  }
}

/** Runs `work`, turning an ArticleFailure into the API's answer for it. */
export async function answeringArticleFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof ArticleFailure ? toApiFailure(error) : error;
  }
}
