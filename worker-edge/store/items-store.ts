// Items in D1: upserted per refresh (an item seen again is updated, not duplicated), paged for the API.
import { decodeListCursor, encodeListCursor } from '../../contract/list-cursor.ts';
import { keyItems, type KeyedItem } from './dedup-keys.ts';
import type { NormalisedItem } from '../model/feed.ts';
import { jsonChunks } from './json-rows.ts';
import { itemImageStatements } from './image-refs-store.ts';
import { sha256Hex, stableId } from './stable-id.ts';

export interface ExistingItem {
  id: string;
  guid: string | null;
  url: string | null;
  content_hash: string;
  published_at: number | null;
  sort_at: number;
}

export interface UpsertCounts {
  added: number;
  updated: number;
}

/** What a refresh will write for a feed's items, decided in memory against the rows it read once. */
export interface ItemChanges extends UpsertCounts {
  statements: D1PreparedStatement[];
  /** Items published since `since` after the change, or null when none of them has a date (the posting rate). */
  recentItems: number | null;
}

function contentHash(item: NormalisedItem): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      item.title,
      item.url,
      item.author,
      item.publishedAt,
      item.summary,
      item.contentHtml,
      item.imageUrl,
      item.guid,
    ]),
  );
}

/** Finds the stored row an incoming item corresponds to: same guid, else same link (guids that change every fetch). */
function matchExisting(
  keyed: KeyedItem,
  byGuid: Map<string, ExistingItem>,
  byUrl: Map<string, ExistingItem>,
  claimed: Set<string>,
) {
  const candidates = [keyed.guid ? byGuid.get(keyed.guid) : undefined, keyed.url ? byUrl.get(keyed.url) : undefined];
  return candidates.find((row) => row && !claimed.has(row.id));
}

/** The one read a changed feed costs: what it has stored, to recognise items seen again. */
export async function existingItems(db: D1Database, feedId: number): Promise<ExistingItem[]> {
  const { results } = await db
    .prepare('SELECT id, guid, url, content_hash, published_at, sort_at FROM items WHERE feed_id = ?')
    .bind(feedId)
    .all<ExistingItem>();
  return results;
}

/** The newest `keep` items of a document (undated ones count as new): older ones would be pruned at once. */
export function newestItems(items: NormalisedItem[], keep: number, now: number): NormalisedItem[] {
  if (items.length <= keep) return items;
  return items
    .map((item, index) => ({ item, index, at: item.publishedAt ?? now }))
    .sort((a, b) => b.at - a.at || a.index - b.index)
    .slice(0, keep)
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.item);
}

const ITEM_JSON_BYTES = 90_000;

/**
 * Plans a feed's item writes: inserts and updates as JSON rows (one bound parameter each statement, split under
 * D1's statement size), the image references of every written item in the same batch, and pruning to `retention`.
 */
export async function planItemChanges(
  db: D1Database,
  feed: { id: number; idSeed: string },
  incoming: NormalisedItem[],
  existing: ExistingItem[],
  now: number,
  options: { retention: number; recentSince: number },
): Promise<ItemChanges> {
  const byGuid = new Map(existing.filter((r) => r.guid).map((r) => [r.guid as string, r]));
  const byUrl = new Map(existing.filter((r) => r.url).map((r) => [r.url as string, r]));
  const byId = new Map(existing.map((r) => [r.id, r]));
  const claimed = new Set<string>();
  const inserts: string[] = [];
  const updates: string[] = [];
  const images: string[] = [];
  const written: string[] = [];
  const dates = existing.map((r) => r.published_at);

  for (const keyed of keyItems(newestItems(incoming, options.retention, now))) {
    const { item } = keyed;
    const hash = await contentHash(item);
    // Items known by neither guid nor link (their key is a hash of their text) are found again by their stable id.
    // The feed's seed, not its row id: a feed removed and added again gives its items the ids they had.
    const id = await stableId(feed.idSeed, keyed.key);
    const textKeyed = byId.get(id);
    const row =
      matchExisting(keyed, byGuid, byUrl, claimed) ?? (textKeyed && !claimed.has(textKeyed.id) ? textKeyed : undefined);
    const fields = [
      item.guid,
      item.url,
      item.title,
      item.author,
      item.publishedAt,
      item.summary,
      item.contentHtml,
      item.imageUrl,
      hash,
    ];
    let itemId: string;
    if (row) {
      claimed.add(row.id);
      if (row.content_hash === hash) continue;
      itemId = row.id;
      updates.push(JSON.stringify([itemId, ...fields]));
    } else {
      if (claimed.has(id)) continue;
      claimed.add(id);
      itemId = id;
      inserts.push(JSON.stringify([itemId, ...fields]));
      dates.push(item.publishedAt);
    }
    written.push(itemId);
    for (const url of item.imageSources) images.push(JSON.stringify([url, itemId]));
  }

  const statements: D1PreparedStatement[] = [];
  const field = (i: number) => `j.value ->> '$[${i}]'`;
  for (const chunk of jsonChunks(inserts, ITEM_JSON_BYTES)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO items (id, feed_id, guid, url, title, author, published_at, sort_at, summary, content_html, image_url,
             content_hash, first_seen_at, updated_at)
           SELECT ${field(0)}, ?1, ${field(1)}, ${field(2)}, ${field(3)}, ${field(4)}, ${field(5)}, COALESCE(${field(5)}, ?2),
             ${field(6)}, ${field(7)}, ${field(8)}, ${field(9)}, ?2, ?2
           FROM json_each(?3) j WHERE true ON CONFLICT (id) DO NOTHING`,
        )
        .bind(feed.id, now, chunk),
    );
  }
  for (const chunk of jsonChunks(updates, ITEM_JSON_BYTES)) {
    statements.push(
      db
        .prepare(
          `UPDATE items SET guid = ${field(1)}, url = ${field(2)}, title = ${field(3)}, author = ${field(4)},
             published_at = ${field(5)}, sort_at = COALESCE(${field(5)}, items.sort_at), summary = ${field(6)},
             content_html = ${field(7)}, image_url = ${field(8)}, content_hash = ${field(9)}, updated_at = ?1
           FROM json_each(?2) j WHERE items.id = ${field(0)}`,
        )
        .bind(now, chunk),
    );
  }
  if (written.length > 0) statements.push(...itemImageStatements(db, written, images));
  if (existing.length + inserts.length > options.retention) {
    statements.push(
      db
        .prepare(
          `DELETE FROM items WHERE feed_id = ?1 AND id NOT IN
             (SELECT id FROM items WHERE feed_id = ?1 ORDER BY sort_at DESC, id DESC LIMIT ?2)`,
        )
        .bind(feed.id, options.retention),
    );
  }
  const dated = dates.filter((d): d is number => d !== null);
  return {
    statements,
    added: inserts.length,
    updated: updates.length,
    recentItems: dated.length > 0 ? dated.filter((d) => d >= options.recentSince).length : null,
  };
}

export interface ItemRow {
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

/** An item as stored, without its content. */
export interface ItemRecord {
  id: string;
  feedId: number;
  title: string;
  url: string | null;
  author: string | null;
  /** Milliseconds since the epoch, or null when the feed gave no date. */
  publishedAt: number | null;
  summary: string;
  imageUrl: string | null;
}

export function toRecord(row: ItemRow): ItemRecord {
  return {
    id: row.id,
    feedId: row.feed_id,
    title: row.title,
    url: row.url,
    author: row.author,
    publishedAt: row.published_at,
    summary: row.summary,
    imageUrl: row.image_url,
  };
}

/** Paging cursor: the sort position of the last item shown, opaque to clients. */
export function encodeCursor(row: { sort_at: number; id: string }): string {
  return encodeListCursor({ sortAt: row.sort_at, id: row.id });
}

export const decodeCursor = decodeListCursor;

export interface ItemQuery {
  limit: number;
  before: { sortAt: number; id: string } | null;
  feedId: number | null;
  /** Only the items of the feeds in this folder (its exact name). */
  folder?: string | null;
  /** Only the items of the feeds in no folder. */
  withoutFolder?: boolean;
}

export async function listItems(db: D1Database, q: ItemQuery): Promise<{ items: ItemRecord[]; next: string | null }> {
  const where: string[] = [];
  const params: Array<number | string> = [];
  if (q.feedId !== null) {
    where.push('feed_id = ?');
    params.push(q.feedId);
  }
  if (q.folder) {
    where.push('feed_id IN (SELECT id FROM feeds WHERE folder = ?)');
    params.push(q.folder);
  }
  if (q.withoutFolder) where.push('feed_id IN (SELECT id FROM feeds WHERE folder IS NULL)');
  if (q.before) {
    // A row value: SQLite seeks the index to the cursor instead of gathering and sorting everything older.
    where.push('(sort_at, id) < (?, ?)');
    params.push(q.before.sortAt, q.before.id);
  }
  const sql = `SELECT id, feed_id, title, url, author, published_at, sort_at, summary, image_url FROM items
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY sort_at DESC, id DESC LIMIT ?`;
  const { results } = await db
    .prepare(sql)
    .bind(...params, q.limit + 1)
    .all<ItemRow>();
  const page = results.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toRecord), next: results.length > q.limit && last ? encodeCursor(last) : null };
}

export async function getItem(db: D1Database, id: string): Promise<(ItemRecord & { contentHtml: string }) | null> {
  const row = await db
    .prepare(
      'SELECT id, feed_id, title, url, author, published_at, sort_at, summary, image_url, content_html FROM items WHERE id = ?',
    )
    .bind(id)
    .first<ItemRow>();
  return row ? { ...toRecord(row), contentHtml: row.content_html ?? '' } : null;
}

export interface NeighbourItem {
  id: string;
  title: string;
}

/** The items either side of one in the order of the latest list (all sources): where "newer" and "older" lead. */
export async function neighbourItems(
  db: D1Database,
  id: string,
): Promise<{ newer: NeighbourItem | null; older: NeighbourItem | null }> {
  // Row values, so SQLite walks the items_latest index from the item's position instead of scanning.
  const position = '((SELECT sort_at FROM items WHERE id = ?1), ?1)';
  const [newer, older] = await db.batch<NeighbourItem>([
    db.prepare(`SELECT id, title FROM items WHERE (sort_at, id) > ${position} ORDER BY sort_at, id LIMIT 1`).bind(id),
    db
      .prepare(`SELECT id, title FROM items WHERE (sort_at, id) < ${position} ORDER BY sort_at DESC, id DESC LIMIT 1`)
      .bind(id),
  ]);
  return { newer: newer?.results[0] ?? null, older: older?.results[0] ?? null };
}

/**
 * The neighbours of several items in one statement (a batch of articles renders each one's page): the same two
 * one-row index walks per item as neighbourItems, as correlated subqueries over the ids (one JSON parameter).
 */
export async function neighboursOfItems(
  db: D1Database,
  ids: string[],
): Promise<Map<string, { newer: NeighbourItem | null; older: NeighbourItem | null }>> {
  if (ids.length === 0) return new Map();
  const position = '((SELECT sort_at FROM items WHERE id = j.value), j.value)';
  const walk = (order: string) =>
    `(SELECT json_object('id', id, 'title', title) FROM items WHERE (sort_at, id) ${order} LIMIT 1)`;
  const { results } = await db
    .prepare(
      `SELECT j.value AS of, ${walk(`> ${position} ORDER BY sort_at, id`)} AS newer, ${walk(`< ${position} ORDER BY sort_at DESC, id DESC`)} AS older
       FROM json_each(?) j`,
    )
    .bind(JSON.stringify(ids))
    .all<{ of: string; newer: string | null; older: string | null }>();
  const parse = (json: string | null) => (json === null ? null : (JSON.parse(json) as NeighbourItem));
  return new Map(results.map((row) => [row.of, { newer: parse(row.newer), older: parse(row.older) }]));
}
