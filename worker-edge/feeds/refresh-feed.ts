// One feed, one refresh: fetch -> decode -> parse/normalise/sanitise -> store -> schedule (Miniflux's pipeline).
// Whatever goes wrong is recorded on this feed alone, with a message a person can read.
import { recordItemImages } from '../images/record-item-images.ts';
import { FetchFailure, politeFetch, type FetchOutcome } from '../net/polite-fetch.ts';
import { blockHost } from '../store/host-backoff-store.ts';
import { getFeed, moveFeed, recordFailure, recordNotModified, recordSuccess, type FeedRow } from '../store/feeds-store.ts';
import { countRecentItems, pruneItems, upsertItems, type UpsertCounts } from '../store/items-store.ts';
import type { NormalisedFeed } from './model.ts';
import { decodeFeedBytes } from './decode-feed-bytes.ts';
import { FeedParseError, parseFeed } from './parse-feed.ts';
import { errorBackoff, hintedInterval, nextFetchAt, RATE_WINDOW_MS } from './schedule.ts';

export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

export interface RefreshSettings {
  allowPrivateNetwork: boolean;
  maxBytes: number;
  timeoutMs: number;
  /** Items kept per feed (at least as many as the feed document itself lists). */
  retention: number;
  fetchImpl?: typeof fetch;
}

export type FeedRefreshOutcome =
  | { kind: 'refreshed'; added: number; updated: number; bytes: number }
  | { kind: 'not-modified' }
  | { kind: 'failed'; message: string; gone: boolean };

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function httpErrorMessage(status: number, retryAt: number | null): string {
  const label = `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
  if (status === 410) return `The publisher removed this feed (${label}); it will not be fetched again unless you subscribe anew.`;
  if (retryAt !== null) return `The server asked us to wait (${label}); next try after ${new Date(retryAt).toISOString()}.`;
  return `The server answered ${label}.`;
}

async function fail(db: D1Database, feed: FeedRow, now: number, message: string, opts: { gone?: boolean; notBefore?: number } = {}) {
  const gone = opts.gone ?? false;
  const backoff = now + errorBackoff(feed.error_count + 1);
  await recordFailure(db, feed.id, now, { message, gone, nextFetchAt: Math.max(backoff, opts.notBefore ?? 0) });
  return { kind: 'failed', message, gone } as const;
}

async function handleHttpError(db: D1Database, feed: FeedRow, now: number, outcome: Extract<FetchOutcome, { kind: 'http-error' }>) {
  const { status, retryAfterMs } = outcome;
  const retryAt = (status === 429 || status === 503) && retryAfterMs !== null ? now + retryAfterMs : null;
  if (retryAt !== null) await blockHost(db, new URL(outcome.url).host, retryAt, `${status}`);
  return fail(db, feed, now, httpErrorMessage(status, retryAt), { gone: status === 410, notBefore: retryAt ?? 0 });
}

export async function refreshFeed(db: D1Database, feedId: number, now: number, settings: RefreshSettings): Promise<FeedRefreshOutcome> {
  const feed = await getFeed(db, feedId);
  if (!feed) return { kind: 'failed', message: 'The feed was removed during the refresh.', gone: false };

  let outcome: FetchOutcome;
  try {
    outcome = await politeFetch(feed.url, {
      accept: FEED_ACCEPT,
      resourceName: 'feed',
      maxBytes: settings.maxBytes,
      timeoutMs: settings.timeoutMs,
      allowPrivateNetwork: settings.allowPrivateNetwork,
      etag: feed.etag,
      lastModified: feed.last_modified,
      fetchImpl: settings.fetchImpl,
    });
  } catch (error) {
    if (error instanceof FetchFailure) return fail(db, feed, now, error.message);
    throw error;
  }

  if (outcome.kind === 'http-error') return handleHttpError(db, feed, now, outcome);
  // A permanent redirect moves the subscription, but only to a feed that answers: a site moved to a 404 or an
  // HTML page keeps its old address, which is what the reader subscribed to.
  const moveIfPermanent = async () => {
    if (outcome.permanentUrl && outcome.permanentUrl !== feed.url) await moveFeed(db, feed.id, outcome.permanentUrl);
  };

  if (outcome.kind === 'not-modified') {
    await moveIfPermanent();
    const hinted = hintedInterval(outcome.headers, null, now) ?? feed.hinted_interval_ms;
    await recordNotModified(db, feed.id, now, nextFetchAt(now, hinted, await countRecentItems(db, feed.id, now - RATE_WINDOW_MS)));
    return { kind: 'not-modified' };
  }

  let parsed;
  try {
    parsed = await parseFeed(decodeFeedBytes(outcome.body, outcome.headers.get('content-type')), outcome.url);
  } catch (error) {
    if (error instanceof FeedParseError) return fail(db, feed, now, error.message);
    throw error;
  }

  await moveIfPermanent();
  const counts = await storeFetchedFeed(db, feed.id, now, parsed, outcome.headers, settings.retention);
  return { kind: 'refreshed', ...counts, bytes: outcome.body.byteLength };
}

/** Stores a freshly parsed feed document: items upserted, old ones pruned, the next fetch scheduled. */
export async function storeFetchedFeed(
  db: D1Database,
  feedId: number,
  now: number,
  parsed: NormalisedFeed,
  headers: Headers,
  retention: number,
): Promise<UpsertCounts> {
  const counts = await upsertItems(db, feedId, parsed.items, now);
  if (counts.added + counts.updated > 0) await recordItemImages(db, feedId, now);
  await pruneItems(db, feedId, Math.max(retention, parsed.items.length));
  const hinted = hintedInterval(headers, parsed.hints, now);
  await recordSuccess(db, feedId, now, {
    title: parsed.title,
    siteUrl: parsed.siteUrl,
    etag: headers.get('etag'),
    lastModified: headers.get('last-modified'),
    hintedIntervalMs: hinted,
    nextFetchAt: nextFetchAt(now, hinted, await countRecentItems(db, feedId, now - RATE_WINDOW_MS)),
  });
  return counts;
}
