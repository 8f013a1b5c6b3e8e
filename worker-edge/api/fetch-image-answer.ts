// Fetches one picture for the image proxy and says what to answer. Through politeFetch, so every redirect hop
// passes the address guard before it is asked; the answer at the end of the chain must itself be an image/* within
// the size cap, whoever redirected there. Never throws for the image host's failures: they are answers too.
import { type ArticleFailure, fromFetchFailure, fromHttpStatus } from '../articles/article-failure.ts';
import { FetchFailure, politeFetch } from '../net/polite-fetch.ts';
import { ApiFailure } from './api-failure.ts';
import { retryAfterSeconds } from './article-failure-status.ts';
import { failureAnswer, imageAnswer, type ImageAnswer } from './image-answer.ts';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const IMAGE_TIMEOUT_MS = 10_000;
const IMAGE_ACCEPT = 'image/avif, image/webp, image/png, image/jpeg, image/gif, image/svg+xml;q=0.8, image/*;q=0.7';

export interface ImageFetchOptions {
  allowPrivateNetwork: boolean;
  fetchImpl?: typeof fetch;
}

/**
 * Sorted as an article's failures are: only a passing failure (timeout, reset, 5xx, 429) is a 5xx with Retry-After.
 * A refusal for good (404, 403, too large, a redirect maze) is a 4xx, so the service worker stops asking for it.
 */
function imageFailure(
  failure: ArticleFailure,
  host: string,
  cause: { status?: number; tooLarge?: boolean },
): ApiFailure {
  const { status } = cause;
  switch (failure.reason) {
    case 'upstream':
      return new ApiFailure(502, 'upstream', `${host} could not send this image now: ${failure.message}`, {
        'Retry-After': String(retryAfterSeconds(failure)),
      });
    case 'gone':
      return new ApiFailure(404, 'gone', `${host} no longer has this image (${status ?? 404}).`);
    case 'blocked':
      return new ApiFailure(400, 'blocked_address', failure.message);
    case 'invalid-url':
      return new ApiFailure(400, 'invalid_url', failure.message);
    case 'unreadable':
      return cause.tooLarge
        ? new ApiFailure(422, 'too_large', failure.message)
        : new ApiFailure(
            422,
            'not_readable',
            status === undefined ? failure.message : `${host} refused to send this image (${status}).`,
          );
  }
}

export async function fetchImageAnswer(url: string, options: ImageFetchOptions): Promise<ImageAnswer> {
  let outcome: Awaited<ReturnType<typeof politeFetch>>;
  try {
    outcome = await politeFetch(url, {
      accept: IMAGE_ACCEPT,
      maxBytes: MAX_IMAGE_BYTES,
      timeoutMs: IMAGE_TIMEOUT_MS,
      allowPrivateNetwork: options.allowPrivateNetwork,
      fetchImpl: options.fetchImpl,
      resourceName: 'image',
    });
  } catch (error) {
    if (!(error instanceof FetchFailure)) throw error;
    return failureAnswer(
      imageFailure(fromFetchFailure(error), new URL(url).host, { tooLarge: error.code === 'too-large' }),
    );
  }
  if (outcome.kind === 'http-error') {
    const host = new URL(outcome.url).host;
    return failureAnswer(
      imageFailure(fromHttpStatus(outcome.status, host, outcome.retryAfterMs), host, { status: outcome.status }),
    );
  }
  if (outcome.kind === 'not-modified')
    return failureAnswer(new ApiFailure(502, 'upstream', 'The image host answered 304 to a plain request.'));
  const contentType = outcome.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!/^image\/[a-z0-9.+-]+$/.test(contentType)) {
    return failureAnswer(
      new ApiFailure(
        415,
        'unsupported_media_type',
        `That address is not an image (it is ${contentType || 'unlabelled'}).`,
      ),
    );
  }
  return imageAnswer(contentType, outcome.body);
}
