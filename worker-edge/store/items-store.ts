// Items in D1: upserted per refresh (an item seen again is updated, not duplicated), paged for the API.
import type { ItemDetail, ItemSummary } from '../api/contract.ts';
import { keyItems, type KeyedItem } from '../feeds/dedup-keys.ts';
import type { NormalisedItem } from '../feeds/model.ts';
import { sha256Hex, stableId } from './stable-id.ts';

interface ExistingItem {
  id: string;
  guid: string | null;
  url: string | null;
  content_hash: string;
}

export interface UpsertCounts {
  added: number;
  updated: number;
}

function contentHash(item: NormalisedItem): Promise<string> {
  return sha256Hex(
    JSON.stringify([item.title, item.url, item.author, item.publishedAt, item.summary, item.contentHtml, item.imageUrl, item.guid]),
  );
}

/** Finds the stored row an incoming item corresponds to: same guid, else same link (guids that change every fetch). */
function matchExisting(keyed: KeyedItem, byGuid: Map<string, ExistingItem>, byUrl: Map<string, ExistingItem>, claimed: Set<string>) {
  const candidates = [keyed.guid ? byGuid.get(keyed.guid) : undefined, keyed.url ? byUrl.get(keyed.url) : undefined];
  return candidates.find((row) => row && !claimed.has(row.id));
}

export async function upsertItems(db: D1Database, feedId: number, items: NormalisedItem[], now: number): Promise<UpsertCounts> {
  const { results: existing } = await db
    .prepare('SELECT id, guid, url, content_hash FROM items WHERE feed_id = ?')
    .bind(feedId)
    .all<ExistingItem>();
  const byGuid = new Map(existing.filter((r) => r.guid).map((r) => [r.guid as string, r]));
  const byUrl = new Map(existing.filter((r) => r.url).map((r) => [r.url as string, r]));
  const byId = new Map(existing.map((r) => [r.id, r]));
  const claimed = new Set<string>();

  const insert = db.prepare(
    `INSERT INTO items (id, feed_id, guid, url, title, author, published_at, sort_at, summary, content_html, image_url,
       content_hash, first_seen_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const update = db.prepare(
    `UPDATE items SET guid = ?, url = ?, title = ?, author = ?, published_at = ?, sort_at = COALESCE(?, sort_at),
       summary = ?, content_html = ?, image_url = ?, content_hash = ?, updated_at = ? WHERE id = ?`,
  );
  const statements: D1PreparedStatement[] = [];
  const counts: UpsertCounts = { added: 0, updated: 0 };

  for (const keyed of keyItems(items)) {
    const { item } = keyed;
    const hash = await contentHash(item);
    // Items known by neither guid nor link (their key is a hash of their text) are found again by their stable id.
    const id = await stableId(feedId, keyed.key);
    const textKeyed = byId.get(id);
    const row = matchExisting(keyed, byGuid, byUrl, claimed) ?? (textKeyed && !claimed.has(textKeyed.id) ? textKeyed : undefined);
    if (row) {
      claimed.add(row.id);
      if (row.content_hash === hash) continue;
      statements.push(
        update.bind(item.guid, item.url, item.title, item.author, item.publishedAt, item.publishedAt, item.summary,
          item.contentHtml, item.imageUrl, hash, now, row.id),
      );
      counts.updated++;
    } else {
      if (claimed.has(id)) continue;
      claimed.add(id);
      statements.push(
        insert.bind(id, feedId, item.guid, item.url, item.title, item.author, item.publishedAt, item.publishedAt ?? now,
          item.summary, item.contentHtml, item.imageUrl, hash, now, now),
      );
      counts.added++;
    }
  }
  if (statements.length > 0) await db.batch(statements);
  return counts;
}

/** Keeps the newest `keep` items of a feed; older ones go (their pages stay readable at the origin). */
export async function pruneItems(db: D1Database, feedId: number, keep: number): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM items WHERE feed_id = ?1 AND id NOT IN
         (SELECT id FROM items WHERE feed_id = ?1 ORDER BY sort_at DESC, id DESC LIMIT ?2)`,
    )
    .bind(feedId, keep)
    .run();
  return result.meta.changes ?? 0;
}

/** Items published since `since`: the posting rate the scheduler uses; null when the feed gives no dates at all. */
export async function countRecentItems(db: D1Database, feedId: number, since: number): Promise<number | null> {
  const row = await db
    .prepare('SELECT COALESCE(SUM(published_at >= ?), 0) AS recent, COUNT(published_at) AS dated FROM items WHERE feed_id = ?')
    .bind(since, feedId)
    .first<{ recent: number; dated: number }>();
  return row && row.dated > 0 ? row.recent : null;
}

interface ItemRow {
  id: string;
  feed_id: number;
  title: string;
  url: string | null;
  author: string | null;
  published_at: number | null;
  sort_at: number;
  summary: string;
  image_url: string | null;
  content_html?: string;
}

function toSummary(row: ItemRow): ItemSummary {
  return {
    id: row.id,
    feedId: row.feed_id,
    title: row.title,
    url: row.url,
    author: row.author,
    publishedAt: row.published_at === null ? null : new Date(row.published_at).toISOString(),
    summary: row.summary,
    imageUrl: row.image_url,
  };
}

/** Paging cursor: the sort position of the last item shown, opaque to clients. */
export function encodeCursor(row: { sort_at: number; id: string }): string {
  return btoa(`${row.sort_at}:${row.id}`).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

export function decodeCursor(cursor: string): { sortAt: number; id: string } | null {
  try {
    const text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const match = /^(-?\d+):([0-9a-f]{16})$/.exec(text);
    return match ? { sortAt: Number(match[1]), id: match[2] as string } : null;
  } catch {
    return null;
  }
}

export interface ItemQuery {
  limit: number;
  before: { sortAt: number; id: string } | null;
  feedId: number | null;
}

export async function listItems(db: D1Database, q: ItemQuery): Promise<{ items: ItemSummary[]; next: string | null }> {
  const where: string[] = [];
  const params: Array<number | string> = [];
  if (q.feedId !== null) {
    where.push('feed_id = ?');
    params.push(q.feedId);
  }
  if (q.before) {
    // A row value: SQLite seeks the index to the cursor instead of gathering and sorting everything older.
    where.push('(sort_at, id) < (?, ?)');
    params.push(q.before.sortAt, q.before.id);
  }
  const sql = `SELECT id, feed_id, title, url, author, published_at, sort_at, summary, image_url FROM items
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY sort_at DESC, id DESC LIMIT ?`;
  const { results } = await db.prepare(sql).bind(...params, q.limit + 1).all<ItemRow>();
  const page = results.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toSummary), next: results.length > q.limit && last ? encodeCursor(last) : null };
}

export async function getItem(db: D1Database, id: string): Promise<ItemDetail | null> {
  const row = await db
    .prepare('SELECT id, feed_id, title, url, author, published_at, sort_at, summary, image_url, content_html FROM items WHERE id = ?')
    .bind(id)
    .first<ItemRow>();
  return row ? { ...toSummary(row), contentHtml: row.content_html ?? '' } : null;
}

export interface NeighbourItem {
  id: string;
  title: string;
}

/** The items either side of one in the order of the latest list (all sources): where "newer" and "older" lead. */
export async function neighbourItems(db: D1Database, id: string): Promise<{ newer: NeighbourItem | null; older: NeighbourItem | null }> {
  // Row values, so SQLite walks the items_latest index from the item's position instead of scanning.
  const position = '((SELECT sort_at FROM items WHERE id = ?1), ?1)';
  const [newer, older] = await db.batch<NeighbourItem>([
    db.prepare(`SELECT id, title FROM items WHERE (sort_at, id) > ${position} ORDER BY sort_at, id LIMIT 1`).bind(id),
    db.prepare(`SELECT id, title FROM items WHERE (sort_at, id) < ${position} ORDER BY sort_at DESC, id DESC LIMIT 1`).bind(id),
  ]);
  return { newer: newer?.results[0] ?? null, older: older?.results[0] ?? null };
}
