// Item ids survive a feed being removed and added again (same feed address and guid, same id), and the migration
// that made them so changed no existing id.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FeedCreated, ItemsPage } from '../../contract/http.ts';
import { SEEDED_KEY } from '../../worker-edge/jobs/seed-default-feeds.ts';
import { setMeta } from '../../worker-edge/store/meta-store.ts';
import { stableId } from '../../worker-edge/store/stable-id.ts';
import { adminHeaders as admin, callApp as call } from '../support/call-app.ts';
import { refreshFeed, refreshSettings } from '../support/refresh-one.ts';
import { resetDatabase } from '../support/reset-database.ts';

const origin = env.FIXTURE_ORIGIN;
const subscribe = async (url: string) =>
  (
    (await (
      await call('/api/feeds', { method: 'POST', headers: admin, body: JSON.stringify({ url }) })
    ).json()) as FeedCreated
  ).feed;
const remove = (id: number) => call(`/api/feeds/${id}`, { method: 'DELETE', headers: admin });
const itemIds = async (feedId: number) =>
  ((await (await call(`/api/items?feed=${feedId}`)).json()) as ItemsPage).items.map((item) => item.id).sort();

beforeEach(async () => {
  await resetDatabase();
  await env.DB.prepare('DELETE FROM removed_feed_seeds').run();
  await setMeta(env.DB, SEEDED_KEY, '1');
  await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
});

describe('stable item ids', () => {
  it('a removed feed added again gives its items the ids they had, so earlier links open again', async () => {
    const url = `${origin}/local/refresh/three-items.rss?stable=1`;
    const first = await subscribe(url);
    const before = await itemIds(first.id);
    expect(before).toHaveLength(3);
    expect((await remove(first.id)).status).toBe(204);
    expect((await call(`/api/items/${before[0]}`)).status).toBe(404);

    // Another feed takes the next row id meanwhile: ids follow the address, not the row.
    await subscribe(`${origin}/local/refresh/no-guids.atom`);
    const again = await subscribe(url);
    expect(again.id).not.toBe(first.id);
    expect(await itemIds(again.id)).toEqual(before);
    expect((await call(`/api/items/${before[0]}`)).status).toBe(200);
  });

  it('items keyed by their text (no guid, no link) come back with the same ids too', async () => {
    const url = `${origin}/local/refresh/no-guids.atom?stable=2`;
    const first = await subscribe(url);
    const before = await itemIds(first.id);
    expect(before.length).toBeGreaterThan(0);
    await remove(first.id);
    expect(await itemIds((await subscribe(url)).id)).toEqual(before);
  });

  it('two feeds with the same guids still give their items different ids', async () => {
    const a = await subscribe(`${origin}/local/refresh/three-items.rss?copy=a`);
    const b = await subscribe(`${origin}/local/refresh/three-items.rss?copy=b`);
    const ids = [...(await itemIds(a.id)), ...(await itemIds(b.id))];
    expect(new Set(ids).size).toBe(6);
  });

  it('a feed from before the migration keeps the ids it had (made from its row id), after removal too', async () => {
    const url = `${origin}/local/refresh/three-items.rss?old=1`;
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0007'));
    const backfill = migration?.queries.find((q) => q.startsWith('UPDATE feeds SET item_id_seed'));
    expect(backfill).toBeDefined();
    // A feed as it stood before the migration: no seed yet. The trigger gives new feeds one, so take it away.
    const feed = await subscribe(`${url}&probe=1`);
    await remove(feed.id);
    await env.DB.prepare(
      "INSERT INTO feeds (url, title, status, next_fetch_at, created_at, item_id_seed) VALUES (?, 'Old', 'pending', 0, 0, 'x')",
    )
      .bind(url)
      .run();
    await env.DB.prepare('UPDATE feeds SET item_id_seed = NULL WHERE url = ?').bind(url).run();
    await env.DB.prepare(backfill as string).run();
    const row = await env.DB.prepare('SELECT id, item_id_seed FROM feeds WHERE url = ?')
      .bind(url)
      .first<{ id: number; item_id_seed: string }>();
    expect(row?.item_id_seed).toBe(String(row?.id));

    // Refreshed as the consumer does, with the seed the migration gave.
    expect((await refreshFeed(env.DB, row!.id, Date.now(), refreshSettings(env))).kind).toBe('refreshed');
    const expected = await Promise.all(['three-1', 'three-2', 'three-3'].map((g) => stableId(row!.id, `guid:${g}`)));
    expect(await itemIds(row!.id)).toEqual(expected.sort());

    await remove(row!.id);
    await subscribe(`${origin}/local/refresh/no-guids.atom?takes-the-row=1`);
    const again = await subscribe(url);
    expect(again.id).not.toBe(row!.id);
    expect(await itemIds(again.id)).toEqual(expected.sort());
  });
});
