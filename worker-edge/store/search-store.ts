// The full-text index (migrations/0005_search.sql): items keep it in step through triggers; the article's text is
// written with the article. A search is one statement: the best matches by bm25 (title counts most, then the
// summary, then the article), the newest first among equals, and snippets for the one page shown.
import { MATCH_CLOSE, MATCH_OPEN, type SearchSource } from '../model/search.ts';
import { toRecord, type ItemRecord, type ItemRow } from './items-store.ts';

/** Where the last hit of a page stood: its score and its place in the reading order (the index's row for ties). */
export interface SearchCursor {
  score: number;
  sortAt: number;
  row: number;
}

export interface SearchHitRecord extends ItemRecord {
  /** The best matching passage, the matches between MATCH_OPEN and MATCH_CLOSE. */
  snippet: string;
}

export interface SearchRequest {
  /** An FTS5 query built by search/search-query.ts, never the reader's text. */
  match: string;
  source: SearchSource | null;
  limit: number;
  before: SearchCursor | null;
  /** Only among these items (the page asks which of the device's hits the edge finds too), when given. */
  among?: string[] | null;
}

/** Column weights for bm25: title, summary, article text. */
const WEIGHTS = '10.0, 4.0, 1.0';
const SNIPPET_TOKENS = 24;

export function encodeSearchCursor(c: SearchCursor): string {
  return btoa(`${c.score}:${c.sortAt}:${c.row}`).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

export function decodeSearchCursor(cursor: string): SearchCursor | null {
  try {
    const match = /^(-?[0-9.e+-]+):(-?\d{1,16}):(-?\d{1,19})$/.exec(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')));
    const score = Number(match?.[1]);
    return match && Number.isFinite(score) ? { score, sortAt: Number(match[2]), row: Number(match[3]) } : null;
  } catch {
    return null;
  }
}

/** Indexes an item's article text (plain text; replaces what was there), in the article's own write batch. */
export function articleTextStatement(db: D1Database, itemId: string, text: string): D1PreparedStatement {
  return db
    .prepare('UPDATE item_search SET body = ?2 WHERE rowid = (SELECT rowid FROM items WHERE id = ?1)')
    .bind(itemId, text);
}

export async function searchItems(
  db: D1Database,
  q: SearchRequest,
): Promise<{ hits: SearchHitRecord[]; next: string | null }> {
  const source = q.source;
  // A common word matches thousands of items, so only bm25 runs over every match: the newest-first tie-break reads
  // the item rows of the page's score range alone (`edge`: the score of the last row the page can hold), and the
  // snippets (the costly part) are made for the page only, its rows joined in that order (CROSS JOIN).
  const { results } = await db
    .prepare(
      `WITH scored AS MATERIALIZED (
         SELECT rowid AS rid, bm25(item_search, ${WEIGHTS}) AS score FROM item_search
         WHERE item_search MATCH ?1
           AND (?2 IS NULL OR rowid IN (SELECT rowid FROM items WHERE feed_id = ?2))
           AND (?3 IS NULL OR rowid IN (SELECT i.rowid FROM feeds f JOIN items i ON i.feed_id = f.id WHERE lower(f.title) = lower(?3)))
           AND (?10 IS NULL OR rowid IN (SELECT rowid FROM items WHERE id IN (SELECT value FROM json_each(?10))))
       ), after AS MATERIALIZED (
         SELECT rid, score FROM scored
         WHERE ?4 IS NULL OR score > ?4 OR (score = ?4 AND ((SELECT sort_at FROM items WHERE rowid = rid), rid) < (?5, ?6))
       ), edge AS (
         SELECT score FROM after ORDER BY score LIMIT 1 OFFSET ?7 - 1
       ), top AS (
         SELECT a.rid, a.score, i.sort_at FROM after a JOIN items i ON i.rowid = a.rid
         WHERE a.score <= COALESCE((SELECT score FROM edge), 1e308)
         ORDER BY a.score, i.sort_at DESC, a.rid DESC LIMIT ?7
       )
       SELECT i.id, i.feed_id, i.title, i.url, i.author, i.published_at, i.sort_at, i.summary, i.image_url, top.score,
         top.rid, snippet(item_search, -1, ?8, ?9, '…', ${SNIPPET_TOKENS}) AS snippet
       FROM top CROSS JOIN item_search CROSS JOIN items i
       WHERE item_search MATCH ?1 AND item_search.rowid = top.rid AND i.rowid = top.rid
       ORDER BY top.score, top.sort_at DESC, top.rid DESC`,
    )
    .bind(
      q.match,
      source?.kind === 'id' ? source.id : null,
      source?.kind === 'title' ? source.title : null,
      q.before?.score ?? null,
      q.before?.sortAt ?? null,
      q.before?.row ?? null,
      q.limit + 1,
      MATCH_OPEN,
      MATCH_CLOSE,
      q.among ? JSON.stringify(q.among) : null,
    )
    .all<ItemRow & { score: number; rid: number; snippet: string | null }>();
  const page = results.slice(0, q.limit);
  const last = page.at(-1);
  return {
    hits: page.map((row) => ({ ...toRecord(row), snippet: row.snippet ?? '' })),
    next:
      results.length > q.limit && last
        ? encodeSearchCursor({ score: last.score, sortAt: last.sort_at, row: last.rid })
        : null,
  };
}
