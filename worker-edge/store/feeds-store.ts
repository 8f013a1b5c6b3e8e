// Subscriptions and their refresh state in D1.
import type { FeedStatus, FeedView } from '../api/contract.ts';
import { jsonChunks } from './json-rows.ts';

export interface FeedRow {
  id: number;
  url: string;
  title: string;
  site_url: string | null;
  status: FeedStatus;
  last_error: string | null;
  error_count: number;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: number | null;
  next_fetch_at: number;
  hinted_interval_ms: number | null;
  created_at: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toFeedView(row: FeedRow, itemCount: number): FeedView {
  return {
    id: row.id,
    url: row.url,
    title: row.title || row.url,
    siteUrl: row.site_url,
    status: row.status,
    lastError: row.last_error,
    lastFetchedAt: iso(row.last_fetched_at),
    // A gone feed is not fetched again until someone subscribes to it anew.
    nextFetchAt: row.status === 'gone' ? null : iso(row.next_fetch_at),
    itemCount,
  };
}

export async function listFeedViews(db: D1Database): Promise<FeedView[]> {
  const { results } = await db
    .prepare(
      `SELECT f.*, (SELECT COUNT(*) FROM items i WHERE i.feed_id = f.id) AS item_count
       FROM feeds f ORDER BY f.title COLLATE NOCASE, f.id`,
    )
    .all<FeedRow & { item_count: number }>();
  return results.map((row) => toFeedView(row, row.item_count));
}

export async function getFeedView(db: D1Database, id: number): Promise<FeedView | null> {
  const row = await db
    .prepare(`SELECT f.*, (SELECT COUNT(*) FROM items i WHERE i.feed_id = f.id) AS item_count FROM feeds f WHERE f.id = ?`)
    .bind(id)
    .first<FeedRow & { item_count: number }>();
  return row ? toFeedView(row, row.item_count) : null;
}

export function getFeedByUrl(db: D1Database, url: string): Promise<FeedRow | null> {
  return db.prepare('SELECT * FROM feeds WHERE url = ?').bind(url).first<FeedRow>();
}

export function getFeed(db: D1Database, id: number): Promise<FeedRow | null> {
  return db.prepare('SELECT * FROM feeds WHERE id = ?').bind(id).first<FeedRow>();
}

export interface NewFeed {
  url: string;
  title?: string;
  siteUrl?: string | null;
}

/** Inserts feeds that are not subscribed yet; returns how many were new. Due at once. */
export async function addFeeds(db: D1Database, feeds: NewFeed[], now: number): Promise<number> {
  // The rows travel as JSON: a 5,000-outline OPML file is a handful of statements, not one per 20 feeds.
  const rows = feeds.map((f) => JSON.stringify([f.url, f.title ?? '', f.siteUrl ?? null]));
  const statements = jsonChunks(rows, 90_000).map((chunk) =>
    db
      .prepare(
        `INSERT INTO feeds (url, title, site_url, status, next_fetch_at, created_at)
         SELECT j.value ->> '$[0]', j.value ->> '$[1]', j.value ->> '$[2]', 'pending', ?1, ?1 FROM json_each(?2) j
         WHERE true ON CONFLICT (url) DO NOTHING`,
      )
      .bind(now, chunk),
  );
  if (statements.length === 0) return 0;
  const results = await db.batch(statements);
  return results.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
}

/** Subscribing again to a gone or erroring feed gives it a fresh start. */
export async function resetFeed(db: D1Database, id: number, now: number): Promise<void> {
  await db
    .prepare(`UPDATE feeds SET status = CASE WHEN status = 'ok' THEN 'ok' ELSE 'pending' END, error_count = 0, next_fetch_at = ? WHERE id = ?`)
    .bind(now, id)
    .run();
}

export async function deleteFeed(db: D1Database, id: number): Promise<boolean> {
  const result = await db.prepare('DELETE FROM feeds WHERE id = ?').bind(id).run();
  return (result.meta.changes ?? 0) > 0;
}

/** How long an enqueued feed stays taken: longer than any backlog should last; a lost message frees it after. */
export const QUEUED_LEASE_MS = 60 * 60 * 1000;
/** How long a consumer holds the feeds it took: longer than any invocation lasts (15 min wall time). */
export const FEED_LEASE_MS = 20 * 60 * 1000;

/**
 * Takes the feeds whose time has come, most overdue first (gone feeds are muted), for the queue: their next fetch
 * moves past the queue lease in the same statement, so a fan-out starting meanwhile (the cron, a page view,
 * POST /api/refresh, in any isolate) does not enqueue them again. Every outcome sets the real next fetch.
 */
export async function takeDueFeeds(
  db: D1Database,
  now: number,
  limit: number,
  force: boolean,
  afterId = 0,
): Promise<Array<{ id: number; url: string }>> {
  // Forced, every feed is taken once, in id order, page after page (afterId); else the due ones, most overdue first.
  const which = force ? 'AND id > ?4 ORDER BY id' : 'AND next_fetch_at <= ?2 ORDER BY next_fetch_at, id';
  const { results } = await db
    .prepare(
      `UPDATE feeds SET next_fetch_at = ?1 + ${QUEUED_LEASE_MS} WHERE id IN
         (SELECT id FROM feeds WHERE status != 'gone' ${which} LIMIT ?3)
       RETURNING id, url`,
    )
    .bind(now, now, limit, afterId)
    .all<{ id: number; url: string }>();
  return results.sort((a, b) => a.id - b.id);
}

/** Feeds whose messages failed every delivery (the dead-letter queue): failing, with a reason, backing off. */
export function markFeedsFailing(db: D1Database, ids: number[], now: number, message: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE feeds SET status = 'error', last_error = ?1, error_count = error_count + 1, lease_count = 0, last_fetched_at = ?2,
         next_fetch_at = ?2 + MIN(86400000, 900000 * (1 << MIN(error_count, 7)))
       WHERE id IN (SELECT value FROM json_each(?3)) AND status != 'gone'`,
    )
    .bind(message, now, JSON.stringify(ids));
}

export interface LeasedFeed extends FeedRow {
  /** Takes since the last recorded outcome, this one included: above 1, earlier consumers died holding it. */
  lease_count: number;
  body_hash: string | null;
  posting_interval_ms: number | null;
}

/** The consumer's one read: takes these feeds for the length of an invocation and returns their rows. */
export async function leaseFeeds(db: D1Database, ids: number[], now: number): Promise<LeasedFeed[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(
      `UPDATE feeds SET lease_count = lease_count + 1, next_fetch_at = MAX(next_fetch_at, ?1 + ${FEED_LEASE_MS})
       WHERE id IN (SELECT value FROM json_each(?2)) AND status != 'gone' RETURNING *`,
    )
    .bind(now, JSON.stringify(ids))
    .all<LeasedFeed>();
  return results.sort((a, b) => a.next_fetch_at - b.next_fetch_at || a.id - b.id);
}

/** What one refresh decided for a feed; undefined fields keep what the row has. */
export interface FeedOutcomeRecord {
  id: number;
  /** null: the feed was not fetched (its host asked us to wait); status and error stay. */
  status: 'ok' | 'error' | 'gone' | null;
  error: string | null;
  errors: 'reset' | 'increment' | 'keep';
  fetchedAt: number | null;
  nextFetchAt: number;
  title?: string | null;
  siteUrl?: string | null;
  validators?: { etag: string | null; lastModified: string | null };
  hintedIntervalMs?: number | null;
  postingIntervalMs?: number;
  bodyHash?: string | null;
}

const OUTCOME_JSON_BYTES = 90_000;

/**
 * The outcomes of a whole batch of feeds in as few statements as D1's limits allow (usually one): the rows travel
 * as one JSON parameter, so 100 feeds cost one statement and one bound parameter, and a 304 writes one row.
 */
export function outcomeStatements(db: D1Database, outcomes: FeedOutcomeRecord[]): D1PreparedStatement[] {
  const sql = `UPDATE feeds SET
      status = COALESCE(j.status, feeds.status),
      last_error = CASE WHEN j.status IS NULL THEN feeds.last_error ELSE j.error END,
      error_count = CASE j.errors WHEN 'increment' THEN feeds.error_count + 1 WHEN 'reset' THEN 0 ELSE feeds.error_count END,
      last_fetched_at = COALESCE(j.fetched, feeds.last_fetched_at),
      next_fetch_at = j.next,
      title = COALESCE(NULLIF(j.title, ''), feeds.title),
      site_url = COALESCE(j.site, feeds.site_url),
      etag = CASE WHEN j.has_validators THEN j.etag ELSE feeds.etag END,
      last_modified = CASE WHEN j.has_validators THEN j.last_modified ELSE feeds.last_modified END,
      hinted_interval_ms = CASE WHEN j.has_hint THEN j.hint ELSE feeds.hinted_interval_ms END,
      body_hash = CASE WHEN j.has_body THEN j.body ELSE feeds.body_hash END,
      posting_interval_ms = COALESCE(j.posting, feeds.posting_interval_ms),
      lease_count = 0
    FROM (SELECT value ->> '$.id' AS id, value ->> '$.status' AS status, value ->> '$.error' AS error,
            value ->> '$.errors' AS errors, value ->> '$.fetched' AS fetched, value ->> '$.next' AS next,
            value ->> '$.title' AS title, value ->> '$.site' AS site, value ->> '$.hasValidators' AS has_validators,
            value ->> '$.etag' AS etag, value ->> '$.lastModified' AS last_modified, value ->> '$.hasHint' AS has_hint,
            value ->> '$.hint' AS hint, value ->> '$.hasBody' AS has_body, value ->> '$.body' AS body,
            value ->> '$.posting' AS posting
          FROM json_each(?)) AS j
    WHERE feeds.id = j.id`;
  const rows = outcomes.map((o) =>
    JSON.stringify({
      id: o.id,
      status: o.status,
      error: o.error,
      errors: o.errors,
      fetched: o.fetchedAt,
      next: o.nextFetchAt,
      title: o.title ?? null,
      site: o.siteUrl ?? null,
      hasValidators: o.validators !== undefined,
      etag: o.validators?.etag ?? null,
      lastModified: o.validators?.lastModified ?? null,
      hasHint: o.hintedIntervalMs !== undefined,
      hint: o.hintedIntervalMs ?? null,
      hasBody: o.bodyHash !== undefined,
      body: o.bodyHash ?? null,
      posting: o.postingIntervalMs ?? null,
    }),
  );
  return jsonChunks(rows, OUTCOME_JSON_BYTES).map((chunk) => db.prepare(sql).bind(chunk));
}

/** A permanent redirect moves the subscription, unless another subscription already has that URL. */
export function moveFeedStatement(db: D1Database, id: number, newUrl: string): D1PreparedStatement {
  return db.prepare('UPDATE feeds SET url = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?1)').bind(newUrl, id);
}
