// Storage is shared by the tests of one file: tests that count rows start from empty tables.
import { env } from 'cloudflare:test';

export async function resetDatabase(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
  ).all<{ name: string; sql: string }>();
  // A virtual table (the FTS5 index) is emptied through itself; its shadow tables may not be written to.
  const virtual = results.filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql)).map((r) => `${r.name}_`);
  const owned = results.filter((r) => !virtual.some((prefix) => r.name.startsWith(prefix)));
  // Children before parents, so foreign keys never object.
  const tables = owned.map((r) => r.name).sort((a, b) => (a === 'feeds' ? 1 : b === 'feeds' ? -1 : 0));
  await env.DB.batch(tables.map((name) => env.DB.prepare(`DELETE FROM "${name}"`)));
}
