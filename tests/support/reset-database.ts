// Storage is shared by the tests of one file: tests that count rows start from empty tables.
import { env } from 'cloudflare:test';

export async function resetDatabase(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
  ).all<{ name: string }>();
  // Children before parents, so foreign keys never object.
  const tables = results.map((r) => r.name).sort((a, b) => (a === 'feeds' ? 1 : b === 'feeds' ? -1 : 0));
  await env.DB.batch(tables.map((name) => env.DB.prepare(`DELETE FROM "${name}"`)));
}
