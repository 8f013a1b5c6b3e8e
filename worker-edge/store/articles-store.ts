// Extracted articles in D1, stored as served (sanitised HTML, word count, proxied images) with their ETag.
import type { Article, ArticleSource, ItemForArticle } from '../model/article.ts';
import { clearArticleFailure, forgetFailuresStatement } from './article-failures-store.ts';
import { replaceArticleImages } from './image-refs-store.ts';
import { articleTextStatement } from './search-store.ts';

export interface StoredArticle {
  article: Article;
  version: string;
  etag: string;
  extractedAt: number;
}

interface ArticleRow {
  id: string;
  version: string;
  page_url: string | null;
  title: string;
  byline: string | null;
  site_name: string | null;
  published_at: string | null;
  content_html: string;
  word_count: number;
  images: string;
  source: ArticleSource;
  etag: string;
  extracted_at: number;
}

function toStored(row: ArticleRow): StoredArticle {
  return {
    article: {
      id: row.id,
      url: row.page_url,
      title: row.title,
      byline: row.byline,
      siteName: row.site_name,
      publishedAt: row.published_at,
      contentHtml: row.content_html,
      wordCount: row.word_count,
      images: JSON.parse(row.images) as string[],
      source: row.source,
    },
    version: row.version,
    etag: row.etag,
    extractedAt: row.extracted_at,
  };
}

export async function getArticle(db: D1Database, id: string): Promise<StoredArticle | null> {
  const row = await db.prepare('SELECT * FROM articles WHERE id = ?').bind(id).first<ArticleRow>();
  return row ? toStored(row) : null;
}

/** Articles by their own ids (an item's, or a kept page's), in one query. */
export async function getArticles(db: D1Database, ids: string[]): Promise<Map<string, StoredArticle>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT * FROM articles WHERE id IN (${ids.map(() => '?').join(', ')})`)
    .bind(...ids)
    .all<ArticleRow>();
  return new Map(results.map((row) => [row.id, toStored(row)]));
}

/** The articles of these items, in one query, by item id (items without one are absent). */
export async function getItemArticles(db: D1Database, itemIds: string[]): Promise<Map<string, StoredArticle>> {
  if (itemIds.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT * FROM articles WHERE item_id IN (${itemIds.map(() => '?').join(', ')})`)
    .bind(...itemIds)
    .all<ArticleRow & { item_id: string }>();
  return new Map(results.map((row) => [row.item_id, toStored(row)]));
}

/** The newest article asked for by this URL (an item's link or a ?url= request) extracted since `notBefore`. */
export async function getArticleByUrl(db: D1Database, url: string, notBefore: number): Promise<StoredArticle | null> {
  const row = await db
    .prepare('SELECT * FROM articles WHERE url = ? AND extracted_at >= ? ORDER BY extracted_at DESC LIMIT 1')
    .bind(url, notBefore)
    .first<ArticleRow>();
  return row ? toStored(row) : null;
}

export interface ArticleToStore {
  article: Article;
  /** The item it belongs to, or null for a page asked for by URL alone. */
  itemId: string | null;
  /** The URL it was asked for (null for an item without a link). */
  requestedUrl: string | null;
  version: string;
  etag: string;
  extractedAt: number;
  /** The original (absolute) URLs of the images the content uses: what the image proxy may fetch for it. */
  imageSources: string[];
  /** What the row and its picture references cost in D1 (pages read by address are kept under a byte budget). */
  storedBytes: number;
  /** The article as plain text: an item's article is searched by it. */
  text: string;
}

/** The most that pages read by their address may hold, in bytes and in number. */
export interface PagesLimit {
  bytes: number;
  pages: number;
}

const COLUMNS = [
  'item_id',
  'url',
  'version',
  'page_url',
  'title',
  'byline',
  'site_name',
  'published_at',
  'content_html',
  'word_count',
  'images',
  'source',
  'etag',
  'extracted_at',
  'stored_bytes',
];

/**
 * Deletes the pages read by address beyond the limit, least recently extracted first (a page asked for again is
 * extracted again within a day, which makes it newest); their picture references go with them (ON DELETE CASCADE).
 */
export function evictPagesStatement(db: D1Database, limit: PagesLimit): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM articles WHERE id IN (
         SELECT id FROM (
           SELECT id, SUM(stored_bytes) OVER newest AS bytes_so_far, ROW_NUMBER() OVER newest AS n
           FROM articles WHERE item_id IS NULL
           WINDOW newest AS (ORDER BY extracted_at DESC, id DESC ROWS UNBOUNDED PRECEDING)
         ) WHERE bytes_so_far > ? OR n > ?
       ) RETURNING id`,
    )
    .bind(limit.bytes, limit.pages);
}

/**
 * Stores (or replaces) an article with its image references, and forgets any earlier failure, in one batch; with
 * `pagesLimit`, the same batch evicts pages read by address beyond it, so the limit holds as soon as it is written.
 */
export async function saveArticle(db: D1Database, a: ArticleToStore, pagesLimit?: PagesLimit): Promise<void> {
  const { article } = a;
  await db.batch([
    db
      .prepare(
        `INSERT INTO articles (id, ${COLUMNS.join(', ')}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})
         ON CONFLICT (id) DO UPDATE SET ${COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
      )
      .bind(
        article.id,
        a.itemId,
        a.requestedUrl,
        a.version,
        article.url,
        article.title,
        article.byline,
        article.siteName,
        article.publishedAt,
        article.contentHtml,
        article.wordCount,
        JSON.stringify(article.images),
        article.source,
        a.etag,
        a.extractedAt,
        a.storedBytes,
      ),
    ...replaceArticleImages(db, article.id, a.imageSources),
    ...(a.itemId ? [articleTextStatement(db, a.itemId, a.text)] : []),
    clearArticleFailure(db, article.id),
    ...(pagesLimit ? [evictPagesStatement(db, pagesLimit)] : []),
  ]);
}

type ItemForArticleRow = {
  id: string;
  url: string | null;
  title: string;
  author: string | null;
  published_at: number | null;
  content_html: string;
  content_hash: string;
  feed_title: string;
};

const ITEM_FOR_ARTICLE = `SELECT i.id, i.url, i.title, i.author, i.published_at, i.content_html, i.content_hash, f.title AS feed_title
       FROM items i JOIN feeds f ON f.id = i.feed_id`;

function toItemForArticle(row: ItemForArticleRow): ItemForArticle & { contentHash: string } {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    author: row.author,
    publishedAt: row.published_at === null ? null : new Date(row.published_at).toISOString(),
    feedTitle: row.feed_title,
    feedContentHtml: row.content_html,
    contentHash: row.content_hash,
  };
}

/** An item as the article builder needs it, with the version of its content (changes when the feed changes it). */
export async function getItemForArticle(
  db: D1Database,
  id: string,
): Promise<(ItemForArticle & { contentHash: string }) | null> {
  const row = await db.prepare(`${ITEM_FOR_ARTICLE} WHERE i.id = ?`).bind(id).first<ItemForArticleRow>();
  return row ? toItemForArticle(row) : null;
}

/** Several items as the article builder needs them, in one query, by id (ids that are no item are absent). */
export async function getItemsForArticles(
  db: D1Database,
  ids: string[],
): Promise<Map<string, ItemForArticle & { contentHash: string }>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare(`${ITEM_FOR_ARTICLE} WHERE i.id IN (${ids.map(() => '?').join(', ')})`)
    .bind(...ids)
    .all<ItemForArticleRow>();
  return new Map(results.map((row) => [row.id, toItemForArticle(row)]));
}

/**
 * Among the `newest` items, at most `limit` whose article is missing or out of date (its version is not
 * `versionPrefix` + the item's content hash) and not waiting out a failure, newest first.
 */
export async function itemsNeedingArticles(
  db: D1Database,
  q: { newest: number; versionPrefix: string; now: number; limit: number },
): Promise<Array<{ id: string; url: string | null }>> {
  const { results } = await db
    .prepare(
      `SELECT i.id, i.url FROM (SELECT id, url, content_hash, sort_at FROM items ORDER BY sort_at DESC, id DESC LIMIT ?1) i
       LEFT JOIN articles a ON a.item_id = i.id
       LEFT JOIN article_failures f ON f.id = i.id
       WHERE (a.id IS NULL OR a.version != (?2 || i.content_hash))
         AND (f.id IS NULL OR f.retry_at <= ?3 OR f.version != (?2 || i.content_hash))
       ORDER BY i.sort_at DESC, i.id DESC LIMIT ?4`,
    )
    .bind(q.newest, q.versionPrefix, q.now, q.limit)
    .all<{ id: string; url: string | null }>();
  return results;
}

/**
 * In one batch, evicts the pages read by address beyond `limit` and forgets the failures whose retry time is before
 * `failuresBefore`; counted from RETURNING, since D1's meta.changes also counts the rows a cascade removed.
 */
export async function pruneStored(
  db: D1Database,
  limit: PagesLimit,
  failuresBefore: number,
): Promise<{ pageArticles: number; failures: number }> {
  const [pages, failures] = await db.batch([
    evictPagesStatement(db, limit),
    forgetFailuresStatement(db, failuresBefore),
  ]);
  return { pageArticles: pages?.results.length ?? 0, failures: failures?.results.length ?? 0 };
}

/** The ETags of these items' articles, in one query, by item id (items without one are absent). */
export async function articleEtagsOfItems(db: D1Database, itemIds: string[]): Promise<Map<string, string>> {
  if (itemIds.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT item_id, etag FROM articles WHERE item_id IN (${itemIds.map(() => '?').join(', ')})`)
    .bind(...itemIds)
    .all<{ item_id: string; etag: string }>();
  return new Map(results.map((row) => [row.item_id, row.etag]));
}
