// Which image URLs stored items and articles use: the image proxy fetches these and refuses everything else.
// Each owner's set is replaced whole, so an image an item no longer shows stops being served.
import { jsonChunks } from './json-rows.ts';

/** The statements that replace an article's images (to run in the same batch that stores the article). */
export function replaceArticleImages(db: D1Database, articleId: string, urls: string[]): D1PreparedStatement[] {
  const insert = db.prepare('INSERT OR IGNORE INTO image_refs (url, article_id) VALUES (?, ?)');
  return [
    db.prepare('DELETE FROM image_refs WHERE article_id = ?').bind(articleId),
    ...urls.map((url) => insert.bind(url, articleId)),
  ];
}

/**
 * The statements that replace these items' image sets (`refs`: JSON [url, itemId] rows), to run in the batch that
 * writes the items: references never lag behind the items that show them.
 */
export function itemImageStatements(db: D1Database, itemIds: string[], refs: string[]): D1PreparedStatement[] {
  const statements = jsonChunks(
    itemIds.map((id) => JSON.stringify(id)),
    90_000,
  ).map((ids) => db.prepare('DELETE FROM image_refs WHERE item_id IN (SELECT value FROM json_each(?))').bind(ids));
  for (const chunk of jsonChunks(refs, 90_000)) {
    statements.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO image_refs (url, item_id) SELECT j.value ->> '$[0]', j.value ->> '$[1]' FROM json_each(?) j`,
        )
        .bind(chunk),
    );
  }
  return statements;
}

export async function isReferencedImage(db: D1Database, url: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS found FROM image_refs WHERE url = ? LIMIT 1').bind(url).first()) !== null;
}
