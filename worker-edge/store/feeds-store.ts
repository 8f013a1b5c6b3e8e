// Subscriptions and their refresh state in D1.
import { jsonChunks } from './json-rows.ts';

export type FeedStatus = 'ok' | 'pending' | 'error' | 'gone';

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
  body_hash: string | null;
  posting_interval_ms: number | null;
  /** NULL: in no folder. */
  folder: string | null;
  /** What its items' ids are made from (migrations/0007_item_id_seeds.sql): it outlives the feed, by its address. */
  item_id_seed: string | null;
}

/** The seed of a feed's item ids; a row written before its trigger ran (none should be) falls back to its id. */
/**
 * How many feed removals removed_feed_seeds remembers (the newest; migrations/0008_bounded_removed_feed_seeds.sql
 * prunes in the removal's own trigger, where this number is written too). A feed removed longer ago than that and
 * added again gets new item ids unless its seed is its address anyway, as every feed subscribed since 0007's is.
 */
export const REMOVED_FEED_SEEDS_KEPT = 1000;

export const itemIdSeed = (feed: Pick<FeedRow, 'id' | 'item_id_seed'>): string => feed.item_id_seed ?? String(feed.id);

/** A feed with the number of items it has stored. */
export interface CountedFeed {
  feed: FeedRow;
  itemCount: number;
}

const counted = ({ item_count, ...feed }: FeedRow & { item_count: number }): CountedFeed => ({
  feed,
  itemCount: item_count,
});

export async function listFeeds(db: D1Database): Promise<CountedFeed[]> {
  const { results } = await db
    .prepare(
      `SELECT f.*, (SELECT COUNT(*) FROM items i WHERE i.feed_id = f.id) AS item_count
       FROM feeds f ORDER BY f.title COLLATE NOCASE, f.id`,
    )
    .all<FeedRow & { item_count: number }>();
  return results.map(counted);
}

export async function getCountedFeed(db: D1Database, id: number): Promise<CountedFeed | null> {
  const row = await db
    .prepare(
      `SELECT f.*, (SELECT COUNT(*) FROM items i WHERE i.feed_id = f.id) AS item_count FROM feeds f WHERE f.id = ?`,
    )
    .bind(id)
    .first<FeedRow & { item_count: number }>();
  return row ? counted(row) : null;
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
  folder?: string | null;
}

/** What adding a list of feeds did: how many were new, and how many known ones were filed in a folder. */
export interface AddedFeeds {
  added: number;
  filed: number;
}

/**
 * Inserts feeds that are not subscribed yet, due at once, each with the seed of its item ids: the one it had when it
 * was removed, else its address (migrations/0007_item_id_seeds.sql). A feed already subscribed keeps its title and its folder;
 * one in no folder is filed in the folder given (the reader's own filing is never undone by an import).
 */
export async function addFeeds(db: D1Database, feeds: NewFeed[], now: number): Promise<AddedFeeds> {
  // The rows travel as JSON: a 5,000-outline OPML file is a handful of statements, not one per 20 feeds.
  const rows = feeds.map((f) => JSON.stringify([f.url, f.title ?? '', f.siteUrl ?? null, f.folder ?? null]));
  const upserts = jsonChunks(rows, 90_000).map((chunk) =>
    db
      .prepare(
        `INSERT INTO feeds (url, title, site_url, folder, status, next_fetch_at, created_at, item_id_seed)
         SELECT j.value ->> '$[0]', j.value ->> '$[1]', j.value ->> '$[2]', j.value ->> '$[3]', 'pending', ?1, ?1,
           COALESCE((SELECT item_id_seed FROM removed_feed_seeds r WHERE r.url = j.value ->> '$[0]'), 'url:' || (j.value ->> '$[0]'))
         FROM json_each(?2) j WHERE true
         ON CONFLICT (url) DO UPDATE SET folder = excluded.folder WHERE feeds.folder IS NULL AND excluded.folder IS NOT NULL`,
      )
      .bind(now, chunk),
  );
  if (upserts.length === 0) return { added: 0, filed: 0 };
  // An upsert's changes count the new feeds and the filed ones together: the feeds counted before and after (one
  // transaction) tell them apart, for two statements in all rather than one more per chunk.
  const count = db.prepare('SELECT COUNT(*) AS n FROM feeds');
  const results = await db.batch<{ n: number }>([count, ...upserts, count]);
  const changes = results.slice(1, -1).reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
  const added = (results.at(-1)?.results[0]?.n ?? 0) - (results[0]?.results[0]?.n ?? 0);
  return { added, filed: changes - added };
}

/** Files a feed in a folder (null: in none). Returns the feed as it is now, or null when no feed has that id. */
export async function setFeedFolder(db: D1Database, id: number, folder: string | null): Promise<CountedFeed | null> {
  const [, read] = await db.batch<FeedRow & { item_count: number }>([
    db.prepare('UPDATE feeds SET folder = ?1 WHERE id = ?2').bind(folder, id),
    db
      .prepare(
        `SELECT f.*, (SELECT COUNT(*) FROM items i WHERE i.feed_id = f.id) AS item_count FROM feeds f WHERE f.id = ?`,
      )
      .bind(id),
  ]);
  const row = read?.results[0];
  return row ? counted(row) : null;
}

/** Subscribing again to a gone or erroring feed gives it a fresh start. */
export async function resetFeed(db: D1Database, id: number, now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE feeds SET status = CASE WHEN status = 'ok' THEN 'ok' ELSE 'pending' END, error_count = 0, next_fetch_at = ? WHERE id = ?`,
    )
    .bind(now, id)
    .run();
}

export async function deleteFeed(db: D1Database, id: number): Promise<boolean> {
  const result = await db.prepare('DELETE FROM feeds WHERE id = ?').bind(id).run();
  return (result.meta.changes ?? 0) > 0;
}

/** A due feed that long overdue was lost on its way through the queue (a message dropped): the fan-out takes it again. */
export const QUEUED_LEASE_MS = 60 * 60 * 1000;

export interface DueFeed {
  id: number;
  url: string;
  next_fetch_at: number;
}

/**
 * Takes the feeds whose time has come, most overdue first (gone feeds are muted), for the queue, without writing
 * to them: in one transaction it reads the feeds after the last fan-out's position in (next_fetch_at, id) order
 * and due by `now`, then moves the position to the last one taken. A fan-out starting meanwhile (the cron, a page
 * view, POST /api/refresh, in any isolate) starts after it. Forced, every feed is taken once, in id order, page
 * after page (`afterId`).
 */
export async function takeDueFeeds(
  db: D1Database,
  now: number,
  limit: number,
  force: boolean,
  afterId = 0,
): Promise<DueFeed[]> {
  if (force) {
    const { results } = await db
      .prepare(`SELECT id, url, next_fetch_at FROM feeds WHERE status != 'gone' AND id > ?1 ORDER BY id LIMIT ?2`)
      .bind(afterId, limit)
      .all<DueFeed>();
    return results;
  }
  const window = `SELECT f.id, f.url, f.next_fetch_at FROM feeds f LEFT JOIN fan_out c ON c.id = 1
    WHERE f.status != 'gone' AND f.next_fetch_at <= ?1
      AND (f.next_fetch_at, f.id) > (COALESCE(c.at, 0), COALESCE(c.feed_id, 0))
    ORDER BY f.next_fetch_at, f.id LIMIT ?2`;
  const [, taken] = await db.batch<DueFeed>([
    // Feeds taken long ago and never refreshed were lost in the queue: due now, so this window takes them again.
    db
      .prepare(
        `UPDATE feeds SET next_fetch_at = ?1 WHERE status != 'gone' AND next_fetch_at <= ?1 - ${QUEUED_LEASE_MS}
           AND (next_fetch_at, id) <= (SELECT at, feed_id FROM fan_out WHERE id = 1)`,
      )
      .bind(now),
    db.prepare(window).bind(now, limit),
    db
      .prepare(
        `INSERT INTO fan_out (id, at, feed_id)
           SELECT 1, next_fetch_at, id FROM (${window}) ORDER BY next_fetch_at DESC, id DESC LIMIT 1
         ON CONFLICT (id) DO UPDATE SET at = excluded.at, feed_id = excluded.feed_id`,
      )
      .bind(now, limit),
  ]);
  return taken?.results ?? [];
}

/** The consumer's one read: the rows of the feeds its messages name (gone and removed ones are left out). */
export async function feedsToRefresh(db: D1Database, ids: number[]): Promise<FeedRow[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT * FROM feeds WHERE id IN (SELECT value FROM json_each(?1)) AND status != 'gone'`)
    .bind(JSON.stringify(ids))
    .all<FeedRow>();
  return results.sort((a, b) => a.next_fetch_at - b.next_fetch_at || a.id - b.id);
}

/** Feeds whose messages failed every delivery (the dead-letter queue): failing, with a reason, backing off. */
export function markFeedsFailing(db: D1Database, ids: number[], now: number, message: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE feeds SET status = 'error', last_error = ?1, error_count = error_count + 1, last_fetched_at = ?2,
         next_fetch_at = ?2 + MIN(86400000, 900000 * (1 << MIN(error_count, 7)))
       WHERE id IN (SELECT value FROM json_each(?3)) AND status != 'gone'`,
    )
    .bind(message, now, JSON.stringify(ids));
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
      posting_interval_ms = COALESCE(j.posting, feeds.posting_interval_ms)
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
  return db
    .prepare('UPDATE feeds SET url = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?1)')
    .bind(newUrl, id);
}

/** How many feeds have each status, with the error of the most recently fetched one and the newest item's time. */
export interface FeedStatusCount {
  status: FeedStatus;
  count: number;
  latestError: string | null;
  /** When the newest item was first seen (the same for every status; null with no items). */
  newestItemAt: number | null;
}

/**
 * One query for the feeds and the newest item (items go with their feed, so no feeds means no items). With MAX() in
 * the select list, SQLite takes the bare last_error from the row holding the maximum: per status, the error of the
 * most recently fetched feed.
 */
export async function feedsByStatus(db: D1Database): Promise<FeedStatusCount[]> {
  const { results } = await db
    .prepare(
      `SELECT status, COUNT(*) AS count, last_error AS latestError, MAX(last_fetched_at) AS fetched_at,
         (SELECT MAX(first_seen_at) FROM items) AS newestItemAt
       FROM feeds GROUP BY status`,
    )
    .all<FeedStatusCount>();
  return results;
}
