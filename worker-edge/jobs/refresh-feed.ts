// One feed, one refresh (Miniflux's pipeline): fetch → decode → parse, normalise, sanitise → decide in memory → write
// once. A changed feed reads its stored items once and writes items, pictures, pruning and outcome in one D1 batch; an
// unchanged one returns its outcome for the consumer's batch. What goes wrong is recorded on this feed alone.
import { FetchFailure, politeFetch, type FetchOutcome } from '../net/polite-fetch.ts';
import { sha256HexOfBytes } from '../store/stable-id.ts';
import {
  itemIdSeed,
  moveFeedStatement,
  outcomeStatements,
  type FeedOutcomeRecord,
  type FeedRow,
} from '../store/feeds-store.ts';
import { existingItems, planItemChanges } from '../store/items-store.ts';
import { writeBatch } from '../store/write-batch.ts';
import { decodeFeedBytes } from '../feeds/decode-feed-bytes.ts';
import type { NormalisedFeed } from '../model/feed.ts';
import { FeedParseError, parseFeed } from '../feeds/parse-feed.ts';
import {
  clampInterval,
  DEFAULT_INTERVAL_MS,
  errorBackoff,
  hintedInterval,
  nextFetchAt,
  postingRateInterval,
  RATE_WINDOW_MS,
} from '../feeds/schedule.ts';

export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

export interface RefreshSettings {
  allowPrivateNetwork: boolean;
  maxBytes: number;
  timeoutMs: number;
  /** Items kept per feed: the newest of the document are stored, older ones pruned. */
  retention: number;
  fetchImpl?: typeof fetch;
}

export type FeedRefreshOutcome =
  | { kind: 'refreshed'; added: number; updated: number; bytes: number }
  | { kind: 'not-modified' }
  | { kind: 'failed'; message: string; gone: boolean }
  /** Not fetched: its host asked us to wait, or the invocation's budget ran out; due again at `until`. */
  | { kind: 'deferred'; until: number; reason: string };

/** What one consumer invocation shares between its feeds. */
export interface RefreshRun {
  db: D1Database;
  now: number;
  settings: RefreshSettings;
  /** Hosts that asked us to wait, and until when; a 429 seen in this run is added for the feeds still to come. */
  blockedHosts: Map<string, number>;
  /** Records a host's pause for every consumer (one statement, written at once). */
  pauseHost(host: string, until: number, reason: string): Promise<void>;
  /** Whether `statements` more D1 statements fit this invocation's budget (and counts them when they do). */
  spendStatements(statements: number): boolean;
}

export interface FeedRefresh {
  outcome: FeedRefreshOutcome;
  /** The outcome still to write (with the batch); null when it was written with the feed's items. */
  pending: FeedOutcomeRecord | null;
  /** Statements that go with the pending outcome (a subscription moved by a permanent redirect). */
  extra: D1PreparedStatement[];
}

/** Two deliveries of this feed's message died (CPU or memory limit, a crash): the third records that instead. */
export const MAX_LOST_DELIVERIES = 2;

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
  if (status === 410)
    return `The publisher removed this feed (${label}); it will not be fetched again unless you subscribe anew.`;
  if (retryAt !== null)
    return `The server asked us to wait (${label}); next try after ${new Date(retryAt).toISOString()}.`;
  return `The server answered ${label}.`;
}

export function hostOf(url: string): string {
  return URL.parse(url)?.host.toLowerCase() ?? '';
}

function failed(
  feed: FeedRow,
  now: number,
  message: string,
  opts: { gone?: boolean; notBefore?: number } = {},
): FeedRefresh {
  const gone = opts.gone ?? false;
  const next = Math.max(now + errorBackoff(feed.error_count + 1), opts.notBefore ?? 0);
  return {
    outcome: { kind: 'failed', message, gone },
    pending: {
      id: feed.id,
      status: gone ? 'gone' : 'error',
      error: message,
      errors: 'increment',
      fetchedAt: now,
      nextFetchAt: next,
    },
    extra: [],
  };
}

export function deferred(feed: { id: number }, until: number, reason: string): FeedRefresh {
  return {
    outcome: { kind: 'deferred', until, reason },
    pending: { id: feed.id, status: null, error: null, errors: 'keep', fetchedAt: null, nextFetchAt: until },
    extra: [],
  };
}

/** A failure of our own (a bug, a storage error) on one feed: recorded on it, the others go on. */
export function internalFailure(feed: FeedRow, now: number, error: unknown): FeedRefresh {
  return failed(
    feed,
    now,
    `Internal error while refreshing: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/** `attempts`: the queue's delivery count for this feed's message; above 1, earlier consumers died on it. */
export async function refreshTakenFeed(run: RefreshRun, feed: FeedRow, attempts: number): Promise<FeedRefresh> {
  const { now, settings } = run;
  if (attempts > MAX_LOST_DELIVERIES) {
    return failed(
      feed,
      now,
      `Refreshing this feed stopped ${attempts - 1} times before it finished (the reader ran out of time or memory on it); it will be tried again later.`,
    );
  }
  const host = hostOf(feed.url);
  const pausedUntil = run.blockedHosts.get(host);
  if (pausedUntil !== undefined && pausedUntil > now) return deferred(feed, pausedUntil, `${host} asked us to wait`);

  let fetched: FetchOutcome;
  try {
    fetched = await politeFetch(feed.url, {
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
    if (error instanceof FetchFailure) return failed(feed, now, error.message);
    throw error;
  }

  if (fetched.kind === 'http-error') {
    const { status, retryAfterMs } = fetched;
    const retryAt = (status === 429 || status === 503) && retryAfterMs !== null ? now + retryAfterMs : null;
    // The pause holds for this host's other feeds, in this run and in every other consumer.
    if (retryAt !== null) await run.pauseHost(hostOf(fetched.url), retryAt, `${status}`);
    return failed(feed, now, httpErrorMessage(status, retryAt), { gone: status === 410, notBefore: retryAt ?? 0 });
  }

  // A permanent redirect moves the subscription, but only to a feed that answers: a site moved to a 404 or an
  // HTML page keeps its old address, which is what the reader subscribed to.
  const moves =
    fetched.permanentUrl && fetched.permanentUrl !== feed.url
      ? [moveFeedStatement(run.db, feed.id, fetched.permanentUrl)]
      : [];
  const bodyHash = fetched.kind === 'ok' ? await sha256HexOfBytes(fetched.body) : null;
  if (fetched.kind === 'not-modified' || (bodyHash !== null && bodyHash === feed.body_hash)) {
    const hinted = hintedInterval(fetched.headers, null, now) ?? feed.hinted_interval_ms;
    // The posting rate measured when the feed last changed: a 304 reads no items to measure it again.
    const posting = feed.posting_interval_ms ?? DEFAULT_INTERVAL_MS;
    return {
      outcome: { kind: 'not-modified' },
      pending: {
        id: feed.id,
        status: 'ok',
        error: null,
        errors: 'reset',
        fetchedAt: now,
        nextFetchAt: now + clampInterval(Math.max(hinted ?? 0, posting)),
      },
      extra: moves,
    };
  }

  let parsed: Awaited<ReturnType<typeof parseFeed>>;
  try {
    parsed = await parseFeed(decodeFeedBytes(fetched.body, fetched.headers.get('content-type')), fetched.url);
  } catch (error) {
    if (error instanceof FeedParseError) return failed(feed, now, error.message);
    throw error;
  }

  const planned = await planParsedFeed(run.db, feed, now, parsed, fetched.headers, bodyHash, settings.retention);
  const statements = [...moves, ...planned.statements];
  if (!run.spendStatements(statements.length)) return deferred(feed, now, 'this run reached its D1 budget');
  await writeBatch(run.db, statements);
  return {
    outcome: { kind: 'refreshed', added: planned.added, updated: planned.updated, bytes: fetched.body.byteLength },
    pending: null,
    extra: [],
  };
}

/** The one batch that stores a parsed document: items, their pictures, pruning, and the feed's new state. */
export async function planParsedFeed(
  db: D1Database,
  feed: Pick<FeedRow, 'id' | 'item_id_seed'>,
  now: number,
  parsed: NormalisedFeed,
  headers: Headers,
  bodyHash: string | null,
  retention: number,
): Promise<{ statements: D1PreparedStatement[]; added: number; updated: number }> {
  const feedId = feed.id;
  const idSeed = itemIdSeed(feed);
  const changes = await planItemChanges(
    db,
    { id: feedId, idSeed },
    parsed.items,
    await existingItems(db, feedId),
    now,
    {
      retention,
      recentSince: now - RATE_WINDOW_MS,
    },
  );
  const hinted = hintedInterval(headers, parsed.hints, now);
  const record: FeedOutcomeRecord = {
    id: feedId,
    status: 'ok',
    error: null,
    errors: 'reset',
    fetchedAt: now,
    nextFetchAt: nextFetchAt(now, hinted, changes.recentItems),
    title: parsed.title,
    siteUrl: parsed.siteUrl,
    validators: { etag: headers.get('etag'), lastModified: headers.get('last-modified') },
    hintedIntervalMs: hinted,
    postingIntervalMs: Math.round(postingRateInterval(changes.recentItems)),
    bodyHash,
  };
  return {
    statements: [...changes.statements, ...outcomeStatements(db, [record])],
    added: changes.added,
    updated: changes.updated,
  };
}
