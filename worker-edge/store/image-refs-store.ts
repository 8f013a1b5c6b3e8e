// Which image URLs stored items and articles use: the image proxy fetches these and refuses everything else.
// Each owner's set is replaced whole, so an image an item no longer shows stops being served.

/** The statements that replace an article's images (to run in the same batch that stores the article). */
export function replaceArticleImages(db: D1Database, articleId: string, urls: string[]): D1PreparedStatement[] {
  const insert = db.prepare('INSERT OR IGNORE INTO image_refs (url, article_id) VALUES (?, ?)');
  return [db.prepare('DELETE FROM image_refs WHERE article_id = ?').bind(articleId), ...urls.map((url) => insert.bind(url, articleId))];
}

export async function replaceItemImages(db: D1Database, items: Array<{ id: string; urls: string[] }>): Promise<void> {
  const remove = db.prepare('DELETE FROM image_refs WHERE item_id = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO image_refs (url, item_id) VALUES (?, ?)');
  const statements = items.flatMap(({ id, urls }) => [remove.bind(id), ...urls.map((url) => insert.bind(url, id))]);
  if (statements.length > 0) await db.batch(statements);
}

export async function isReferencedImage(db: D1Database, url: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS found FROM image_refs WHERE url = ? LIMIT 1').bind(url).first()) !== null;
}
