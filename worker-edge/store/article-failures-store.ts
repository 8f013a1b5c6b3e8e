// Pages we could not read, so that a gone page is not asked for again and again, and the cron leaves a failing
// site alone until its retry time instead of spending every run's budget on it.

export type ArticleFailureKind = 'gone' | 'upstream';

export interface ArticleFailureRecord {
  version: string;
  kind: ArticleFailureKind;
  message: string;
  retryAt: number;
  failedAt: number;
  /** Until when readers asking in person get this failure without another fetch. */
  heldUntil: number;
}

/**
 * Failures kept at most: anyone may ask for pages that fail, so the table is capped as it is written (the oldest
 * go; forgetting one only means that page may be tried again sooner).
 */
export const FAILURES_KEPT = 5000;

/** Deletes the failures whose retry time is before `before`; RETURNING, so the batch's result counts them. */
export function forgetFailuresStatement(db: D1Database, before: number): D1PreparedStatement {
  return db.prepare('DELETE FROM article_failures WHERE retry_at < ? RETURNING id').bind(before);
}

export async function getArticleFailure(db: D1Database, id: string): Promise<ArticleFailureRecord | null> {
  return db
    .prepare(
      'SELECT version, kind, message, retry_at AS retryAt, failed_at AS failedAt, held_until AS heldUntil FROM article_failures WHERE id = ?',
    )
    .bind(id)
    .first<ArticleFailureRecord>();
}

export async function recordArticleFailure(db: D1Database, id: string, failure: ArticleFailureRecord): Promise<void> {
  await db.batch([
    db
      .prepare(
        'INSERT OR REPLACE INTO article_failures (id, version, kind, message, retry_at, failed_at, held_until) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .bind(id, failure.version, failure.kind, failure.message, failure.retryAt, failure.failedAt, failure.heldUntil),
    db
      .prepare(
        'DELETE FROM article_failures WHERE id IN (SELECT id FROM article_failures ORDER BY failed_at DESC LIMIT -1 OFFSET ?)',
      )
      .bind(FAILURES_KEPT),
  ]);
}

export function clearArticleFailure(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare('DELETE FROM article_failures WHERE id = ?').bind(id);
}
