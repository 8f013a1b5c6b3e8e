// GET /img?u=<absolute url>: the same-origin image proxy. It fetches only images that stored items and articles
// reference (so it cannot be used to fetch anything else through us), only image/* answers, at most 5 MB, through
// the address guard, and serves them as immutable (an image URL's content does not change in practice).
import { Hono } from 'hono';
import { allowPrivateNetwork } from '../config.ts';
import { checkFetchableUrl } from '../net/address-guard.ts';
import { FetchFailure, politeFetch, type FetchOutcome } from '../net/polite-fetch.ts';
import { isReferencedImage } from '../store/image-refs-store.ts';
import { ApiFailure } from './api-failure.ts';
import { ArticleFailure, fromFetchFailure, fromHttpStatus } from '../articles/article-failure.ts';
import { retryAfterSeconds } from './article-failure-status.ts';

const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const IMAGE_TIMEOUT_MS = 10_000;
const IMAGE_ACCEPT = 'image/avif, image/webp, image/png, image/jpeg, image/gif, image/svg+xml;q=0.8, image/*;q=0.7';
const IMAGE_CACHE_CONTROL = 'public, max-age=2592000, immutable';
/** SVG can carry script and links: as its own document it may draw and use inline styles, nothing else. */
const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

export const imageProxyRoutes = new Hono<{ Bindings: Env }>();

function vetted(raw: string | undefined, env: Env): string {
  if (!raw) throw new ApiFailure(400, 'invalid_url', 'Give the image as ?u=<absolute http(s) address>.');
  try {
    return checkFetchableUrl(raw, { allowPrivateNetwork: allowPrivateNetwork(env) }).href;
  } catch (error) {
    if (error instanceof FetchFailure) {
      throw new ApiFailure(400, error.code === 'blocked-address' ? 'blocked_address' : 'invalid_url', error.message);
    }
    throw error;
  }
}

/**
 * Sorted as an article's failures are: only a passing failure (timeout, reset, 5xx, 429) is a 5xx with Retry-After.
 * A refusal for good (404, 403, too large, a redirect maze) is a 4xx, so the service worker stops asking for it.
 */
function imageFailure(failure: ArticleFailure, host: string, cause: { status?: number; tooLarge?: boolean }): ApiFailure {
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
        : new ApiFailure(422, 'not_readable', status === undefined ? failure.message : `${host} refused to send this image (${status}).`);
  }
}

imageProxyRoutes.get('/', async (c) => {
  const url = vetted(c.req.query('u'), c.env);
  if (!(await isReferencedImage(c.env.DB, url))) {
    throw new ApiFailure(404, 'not_found', 'This image is not used by any stored item or article, so it is not proxied.');
  }
  let outcome: FetchOutcome;
  try {
    outcome = await politeFetch(url, {
      accept: IMAGE_ACCEPT,
      maxBytes: MAX_IMAGE_BYTES,
      timeoutMs: IMAGE_TIMEOUT_MS,
      allowPrivateNetwork: allowPrivateNetwork(c.env),
      resourceName: 'image',
    });
  } catch (error) {
    throw error instanceof FetchFailure ? imageFailure(fromFetchFailure(error), new URL(url).host, { tooLarge: error.code === 'too-large' }) : error;
  }
  if (outcome.kind === 'http-error') {
    const host = new URL(outcome.url).host;
    throw imageFailure(fromHttpStatus(outcome.status, host, outcome.retryAfterMs), host, { status: outcome.status });
  }
  if (outcome.kind === 'not-modified') throw new ApiFailure(502, 'upstream', 'The image host answered 304 to a plain request.');
  const contentType = outcome.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!/^image\/[a-z0-9.+-]+$/.test(contentType)) {
    throw new ApiFailure(415, 'unsupported_media_type', `That address is not an image (it is ${contentType || 'unlabelled'}).`);
  }
  // politeFetch's body always sits on a plain ArrayBuffer of its own (never shared memory).
  return c.body(outcome.body as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': contentType,
    'Content-Length': String(outcome.body.byteLength),
    'Cache-Control': IMAGE_CACHE_CONTROL,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': IMAGE_CSP,
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
});
