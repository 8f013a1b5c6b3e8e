// GET /img?u=<absolute url>: the same-origin image proxy, only for pictures stored items and articles reference (no
// origin is asked about any other URL), each fetched once however many ask (edge cache, joined requests).
import { Hono } from 'hono';
import { allowPrivateNetwork } from '../config.ts';
import { checkFetchableUrl } from '../net/address-guard.ts';
import { Coalescer } from '../net/coalesce.ts';
import { FetchFailure } from '../net/polite-fetch.ts';
import { isReferencedImage } from '../store/image-refs-store.ts';
import { ApiFailure } from './api-failure.ts';
import { fetchImageAnswer, type ImageFetchOptions } from './fetch-image-answer.ts';
import { answerResponse, type ImageAnswer } from './image-answer.ts';
import { cachedAnswer, edgeCacheKey, keepAnswer } from './image-edge-cache.ts';

export const imageProxyRoutes = new Hono<{ Bindings: Env }>();

/** Per isolate: requests for one picture that arrive while it is being fetched wait for that fetch. */
const imageFetches = new Coalescer<ImageAnswer>();

function vetted(raw: string | undefined, env: Env): URL {
  if (!raw) throw new ApiFailure(400, 'invalid_url', 'Give the image as ?u=<absolute http(s) address>.');
  try {
    return checkFetchableUrl(raw, { allowPrivateNetwork: allowPrivateNetwork(env) });
  } catch (error) {
    if (error instanceof FetchFailure) {
      throw new ApiFailure(400, error.code === 'blocked-address' ? 'blocked_address' : 'invalid_url', error.message);
    }
    throw error;
  }
}

/** The kept answer, else the image host's, kept before it is shared so a request right after finds it. */
async function answerFor(key: string, url: URL, options: ImageFetchOptions): Promise<ImageAnswer> {
  const cached = await cachedAnswer(key);
  if (cached) return cached;
  const answer = await fetchImageAnswer(url.href, options);
  await keepAnswer(key, answer);
  return answer;
}

imageProxyRoutes.get('/', async (c) => {
  const url = vetted(c.req.query('u'), c.env);
  if (!(await isReferencedImage(c.env.DB, url.href))) {
    throw new ApiFailure(
      404,
      'not_found',
      'This image is not used by any stored item or article, so it is not proxied.',
    );
  }
  const key = edgeCacheKey(url, c.req.url);
  const answer = await imageFetches.run(key, () => {
    const shared = answerFor(key, url, { allowPrivateNetwork: allowPrivateNetwork(c.env) });
    // The request that starts the fetch does it for everyone waiting: its reader going away must not cancel it.
    c.executionCtx.waitUntil(shared.catch(() => undefined));
    return shared;
  });
  return answerResponse(answer);
});
