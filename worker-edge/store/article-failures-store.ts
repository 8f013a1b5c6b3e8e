// Pages we could not read, so that a gone page is not asked for again and again, and the cron leaves a failing
// site alone until its retry time instead of spending every run's budget on it.

export type ArticleFailureKind = 'gone' | 'upstream';

export interface ArticleFailureRecord {
  version: string;
  kind: ArticleFailureKind;
  message: string;
  retryAt: number;
}

export async function getArticleFailure(db: D1Database, id: string): Promise<ArticleFailureRecord | null> {
  return db
    .prepare('SELECT version, kind, message, retry_at AS retryAt FROM article_failures WHERE id = ?')
    .bind(id)
    .first<ArticleFailureRecord>();
}

export async function recordArticleFailure(db: D1Database, id: string, failure: ArticleFailureRecord): Promise<void> {
  await db
    .prepare('INSERT OR REPLACE INTO article_failures (id, version, kind, message, retry_at) VALUES (?, ?, ?, ?, ?)')
    .bind(id, failure.version, failure.kind, failure.message, failure.retryAt)
    .run();
}

export function clearArticleFailure(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare('DELETE FROM article_failures WHERE id = ?').bind(id);
}
