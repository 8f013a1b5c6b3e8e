// Hosts that asked us to wait (429 / 503 with Retry-After): all their feeds wait, not just the one that asked.

export async function blockedHosts(db: D1Database, now: number): Promise<Map<string, number>> {
  const { results } = await db
    .prepare('SELECT host, until_at FROM host_backoff WHERE until_at > ?')
    .bind(now)
    .all<{ host: string; until_at: number }>();
  return new Map(results.map((r) => [r.host, r.until_at]));
}

export async function blockHost(db: D1Database, host: string, untilAt: number, reason: string): Promise<void> {
  await db
    .prepare(
      `INSERT INTO host_backoff (host, until_at, reason) VALUES (?, ?, ?)
       ON CONFLICT (host) DO UPDATE SET until_at = MAX(until_at, excluded.until_at), reason = excluded.reason`,
    )
    .bind(host, untilAt, reason)
    .run();
}

/** Pushes the feeds of a waiting host past the wait, so the scheduler does not pick them again meanwhile. */
export async function deferHostFeeds(db: D1Database, feedIds: number[], untilAt: number): Promise<void> {
  if (feedIds.length === 0) return;
  const stmt = db.prepare('UPDATE feeds SET next_fetch_at = MAX(next_fetch_at, ?) WHERE id = ?');
  await db.batch(feedIds.map((id) => stmt.bind(untilAt, id)));
}
