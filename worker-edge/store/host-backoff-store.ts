// Hosts that asked us to wait (429 / 503 with Retry-After): all their feeds wait, not just the one that asked,
// in every consumer invocation: each reads the pauses once when it starts and writes a new one at once.

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
