// The cron handler, driven with a scheduled controller as Cloudflare's runtime would drive it.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import defaultFeedsOpml from '../../worker-edge/seed/default-feeds.opml';
import { parseOpml } from '../../worker-edge/feeds/opml.ts';
import { toFeedView } from '../../worker-edge/api/views.ts';
import { listFeeds } from '../../worker-edge/store/feeds-store.ts';
import { resetDatabase } from '../support/reset-database.ts';
import { runCron } from '../support/run-cron.ts';

beforeEach(resetDatabase);

describe('the cron', () => {
  it('seeds the subscriptions on its first run and refreshes every due feed', async () => {
    await runCron(Date.now());
    const feeds = (await listFeeds(env.DB)).map(toFeedView);
    const expected = parseOpml(await (await fetch(env.SEED_OPML_URL)).text()).outlines.length;
    expect(feeds).toHaveLength(expected);
    expect(feeds.every((f) => f.status === 'ok' && f.itemCount > 0)).toBe(true);
  });

  it('fetches nothing that is not due on the next run', async () => {
    const first = Date.now();
    await runCron(first);
    const before = (await listFeeds(env.DB)).map(toFeedView).map((f) => f.lastFetchedAt);
    await runCron(first + 60_000);
    expect((await listFeeds(env.DB)).map(toFeedView).map((f) => f.lastFetchedAt)).toEqual(before);
  });
});

describe('the bundled default subscriptions', () => {
  it('are a valid OPML list of public https feeds', () => {
    const { outlines, invalid } = parseOpml(defaultFeedsOpml);
    expect(invalid).toBe(0);
    expect(outlines.length).toBeGreaterThanOrEqual(8);
    for (const outline of outlines) {
      expect(new URL(outline.xmlUrl).protocol).toBe('https:');
      expect(outline.title).toBeTruthy();
    }
  });
});
