// Subscriptions and their refresh state in D1.
import type { FeedStatus, FeedView } from '../api/contract.ts';

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
  // D1 binds at most 100 parameters per statement: 5 per feed, so 20 feeds per multi-row insert.
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < feeds.length; i += 20) {
    const chunk = feeds.slice(i, i + 20);
    const sql = `INSERT INTO feeds (url, title, site_url, status, next_fetch_at, created_at) VALUES
      ${chunk.map(() => "(?, ?, ?, 'pending', ?, ?)").join(', ')} ON CONFLICT (url) DO NOTHING`;
    statements.push(db.prepare(sql).bind(...chunk.flatMap((f) => [f.url, f.title ?? '', f.siteUrl ?? null, now, now])));
  }
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

/** How long a run holds the feeds it took: longer than any run lasts; a run that was killed lets them go after it. */
export const FEED_LEASE_MS = 10 * 60 * 1000;

/**
 * Takes the feeds whose time has come, most overdue first (gone feeds are muted), for one refresh run: their next
 * fetch moves past the lease in the same statement, so a run starting meanwhile (the cron, a page view's lazy
 * refresh, POST /api/refresh, in any isolate) does not fetch them again. Every outcome sets the real next fetch.
 */
export async function dueFeeds(db: D1Database, now: number, limit: number, force: boolean): Promise<FeedRow[]> {
  const due = force ? '' : 'AND next_fetch_at <= ?2';
  const { results } = await db
    .prepare(
      `UPDATE feeds SET next_fetch_at = ?1 + ${FEED_LEASE_MS} WHERE id IN
         (SELECT id FROM feeds WHERE status != 'gone' ${due} ORDER BY next_fetch_at, id LIMIT ?3)
       RETURNING *`,
    )
    .bind(now, force ? null : now, limit)
    .all<FeedRow>();
  return results.sort((a, b) => a.next_fetch_at - b.next_fetch_at || a.id - b.id);
}

export interface FeedSuccess {
  title: string | null;
  siteUrl: string | null;
  etag: string | null;
  lastModified: string | null;
  hintedIntervalMs: number | null;
  nextFetchAt: number;
}

export async function recordSuccess(db: D1Database, id: number, now: number, s: FeedSuccess): Promise<void> {
  await db
    .prepare(
      `UPDATE feeds SET status = 'ok', last_error = NULL, error_count = 0, last_fetched_at = ?,
         title = COALESCE(NULLIF(?, ''), title), site_url = COALESCE(?, site_url),
         etag = ?, last_modified = ?, hinted_interval_ms = ?, next_fetch_at = ?
       WHERE id = ?`,
    )
    .bind(now, s.title, s.siteUrl, s.etag, s.lastModified, s.hintedIntervalMs, s.nextFetchAt, id)
    .run();
}

export async function recordNotModified(db: D1Database, id: number, now: number, nextFetchAt: number): Promise<void> {
  await db
    .prepare(`UPDATE feeds SET status = 'ok', last_error = NULL, error_count = 0, last_fetched_at = ?, next_fetch_at = ? WHERE id = ?`)
    .bind(now, nextFetchAt, id)
    .run();
}

export async function recordFailure(
  db: D1Database,
  id: number,
  now: number,
  failure: { message: string; nextFetchAt: number; gone: boolean },
): Promise<void> {
  await db
    .prepare(
      `UPDATE feeds SET status = ?, last_error = ?, error_count = error_count + 1, last_fetched_at = ?, next_fetch_at = ?
       WHERE id = ?`,
    )
    .bind(failure.gone ? 'gone' : 'error', failure.message, now, failure.nextFetchAt, id)
    .run();
}

/** A permanent redirect moves the subscription, unless another subscription already has that URL. */
export async function moveFeed(db: D1Database, id: number, newUrl: string): Promise<boolean> {
  const result = await db
    .prepare('UPDATE feeds SET url = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?)')
    .bind(newUrl, id, newUrl)
    .run();
  return (result.meta.changes ?? 0) > 0;
}
