// The image proxy's answers kept at the edge with the Cache API, keyed by the normalised image URL, so a picture
// many readers see costs one origin fetch (per data centre: the cache does not replicate). Cloudflare runs the Cache
// API only for Workers on a custom domain; on *.workers.dev it keeps nothing and every picture is fetched again
// (identical requests at once are still joined, see coalesce.ts).
import { IMAGE_PROXY_PATH } from '../../contract/paths.ts';
import { storedAnswer, type ImageAnswer } from './image-answer.ts';

/**
 * A refusal for good (404 / 410, not an image, too large, refused, a redirect inwards) is the host's considered
 * answer and would cost an origin fetch (up to the 5 MB cap) on every request: kept briefly, so a picture that
 * comes back, or a host that changes its mind, is served again within minutes. Passing failures (5xx, timeouts)
 * are never kept: the next reader should get the next attempt.
 */
const REFUSAL_TTL_SECONDS = 300;
/**
 * Entries are kept as 200s carrying the answer's own status here: caches store only the statuses HTTP calls
 * cacheable by default (workerd's local cache keeps a 404 but drops a 422 or a 415, whatever its max-age).
 */
const ANSWER_STATUS_HEADER = 'X-Image-Proxy-Status';

/**
 * Where the answer for `imageUrl` is kept: this proxy's own URL for it (so purging by URL works), with the image
 * URL as the URL parser normalised it and without its fragment, which never reaches the image host.
 */
export function edgeCacheKey(imageUrl: URL, requestUrl: string): string {
  const fetched = new URL(imageUrl);
  fetched.hash = '';
  const key = new URL(IMAGE_PROXY_PATH, requestUrl);
  key.searchParams.set('u', fetched.href);
  return key.href;
}

/** The kept answer, if any. A cache that fails to answer costs an origin fetch, never the reader's picture. */
export async function cachedAnswer(key: string): Promise<ImageAnswer | null> {
  const cached = await caches.default.match(key).catch((error: unknown) => {
    console.warn(JSON.stringify({ event: 'image_cache_match_failed', key, error: String(error) }));
    return undefined;
  });
  if (!cached) return null;
  const status = Number(cached.headers.get(ANSWER_STATUS_HEADER) ?? cached.status);
  return storedAnswer(status, cached.headers.get('content-type') ?? '', new Uint8Array(await cached.arrayBuffer()));
}

function edgeCacheControl(answer: ImageAnswer): string | null {
  if (answer.status === 200) return answer.headers['Cache-Control'] ?? null;
  return answer.status >= 400 && answer.status < 500 ? `max-age=${REFUSAL_TTL_SECONDS}` : null;
}

/** Keeps an answer worth keeping. A cache that fails to store costs a later origin fetch, never this answer. */
export async function keepAnswer(key: string, answer: ImageAnswer): Promise<void> {
  const cacheControl = edgeCacheControl(answer);
  if (cacheControl === null) return;
  const headers = { ...answer.headers, 'Cache-Control': cacheControl, [ANSWER_STATUS_HEADER]: String(answer.status) };
  try {
    await caches.default.put(key, new Response(answer.body as Uint8Array<ArrayBuffer>, { headers }));
  } catch (error) {
    console.warn(JSON.stringify({ event: 'image_cache_put_failed', key, error: String(error) }));
  }
}
