// removed_feed_seeds is bounded: the trigger that remembers a removed feed's seed prunes in the same statement, to
// the newest REMOVED_FEED_SEEDS_KEPT removals, and a seed the feed's address gives anyway is never stored.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { addFeeds, REMOVED_FEED_SEEDS_KEPT } from '../../worker-edge/store/feeds-store.ts';
import { resetDatabase } from '../support/reset-database.ts';

const url = (n: number) => `https://feeds.example/${n}.xml`;

/** `count` feeds with seeds from before 0007 (their row ids), numbered from `from`, removed one by one in order. */
async function removeLegacyFeeds(from: number, count: number): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < ?1 + ?2 - 1)
     INSERT INTO feeds (url, created_at, item_id_seed) SELECT 'https://feeds.example/' || i || '.xml', 0, 'legacy-' || i FROM n`,
  )
    .bind(from, count)
    .run();
  // One statement deletes them in row order, firing the trigger once per row, as many removals would.
  await env.DB.prepare("DELETE FROM feeds WHERE url LIKE 'https://feeds.example/%'").run();
}

const remembered = async () =>
  (
    await env.DB.prepare('SELECT url, item_id_seed AS seed FROM removed_feed_seeds ORDER BY rowid').all<{
      url: string;
      seed: string;
    }>()
  ).results;

const seedOf = async (feedUrl: string) =>
  (await env.DB.prepare('SELECT item_id_seed AS seed FROM feeds WHERE url = ?').bind(feedUrl).first<{ seed: string }>())
    ?.seed;

beforeEach(async () => {
  await resetDatabase();
  await env.DB.prepare('DELETE FROM removed_feed_seeds').run();
});

describe('removed feeds’ seeds', () => {
  it('are kept for the newest removals only, pruned by the removal itself', async () => {
    await removeLegacyFeeds(1, REMOVED_FEED_SEEDS_KEPT + 5);
    const rows = await remembered();
    expect(rows).toHaveLength(REMOVED_FEED_SEEDS_KEPT);
    expect(rows[0]).toEqual({ url: url(6), seed: 'legacy-6' });
    expect(rows.at(-1)).toEqual({
      url: url(REMOVED_FEED_SEEDS_KEPT + 5),
      seed: `legacy-${REMOVED_FEED_SEEDS_KEPT + 5}`,
    });

    // A recent one added again gets the ids it had; one beyond the bound is seeded by its address.
    await addFeeds(env.DB, [{ url: url(REMOVED_FEED_SEEDS_KEPT) }, { url: url(1) }], Date.now());
    expect(await seedOf(url(REMOVED_FEED_SEEDS_KEPT))).toBe(`legacy-${REMOVED_FEED_SEEDS_KEPT}`);
    expect(await seedOf(url(1))).toBe(`url:${url(1)}`);
  });

  it('count a feed removed again once, as its newest removal', async () => {
    await removeLegacyFeeds(1, 3);
    await addFeeds(env.DB, [{ url: url(1) }], Date.now());
    await env.DB.prepare('DELETE FROM feeds WHERE url = ?').bind(url(1)).run();
    expect((await remembered()).map((row) => row.url)).toEqual([url(2), url(3), url(1)]);
  });

  it('leave out a seed the address gives anyway', async () => {
    await addFeeds(env.DB, [{ url: url(7) }], Date.now());
    expect(await seedOf(url(7))).toBe(`url:${url(7)}`);
    await env.DB.prepare('DELETE FROM feeds WHERE url = ?').bind(url(7)).run();
    expect(await remembered()).toEqual([]);
  });
});
