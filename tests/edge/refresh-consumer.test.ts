// The queue consumer's own rules, in workerd with real D1 against the fixture origin: deliveries that died,
// the dead-letter queue, and documents too large for D1's row and statement limits.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_CONTENT_HTML_BYTES } from '../../worker-edge/feeds/normalise-item.ts';
import { addFeeds, getFeedByUrl } from '../../worker-edge/store/feeds-store.ts';
import { hits, scriptResponses } from '../support/origin-control.ts';
import { queueDriver, REFRESH_QUEUE_NAME } from '../support/queue-driver.ts';
import { resetDatabase } from '../support/reset-database.ts';

const origin = env.FIXTURE_ORIGIN;
let unique = 0;
const fresh = (path: string) => `${origin}${path}${path.includes('?') ? '&' : '?'}c=${++unique}`;

beforeEach(resetDatabase);

async function subscribed(url: string): Promise<number> {
  await addFeeds(env.DB, [{ url }], Date.now());
  return (await getFeedByUrl(env.DB, url))!.id;
}

describe('deliveries that died', () => {
  it('a feed whose message two consumers died on is marked failing on the third delivery; its batch refreshes', async () => {
    const suspectUrl = fresh('/local/refresh/three-items.rss');
    const goodUrl = fresh('/local/refresh/three-items.rss');
    const [suspect, good] = [await subscribed(suspectUrl), await subscribed(goodUrl)];
    const driver = queueDriver();
    await driver.env.REFRESH_QUEUE.sendBatch(
      [suspect, good].map((id) => ({ body: { kind: 'refresh', feedIds: [id] } })),
    );
    // As the queue would redeliver it: two earlier deliveries of the suspect's message never finished.
    driver.waiting[0]!.attempts = 3;
    const started = Date.now();
    const result = await driver.deliver(10);

    const failing = (await getFeedByUrl(env.DB, suspectUrl))!;
    expect(failing.status).toBe('error');
    expect(failing.last_error).toMatch(/stopped 2 times before it finished/);
    expect(failing.next_fetch_at).toBeGreaterThanOrEqual(started + 15 * 60_000);
    expect((await hits(suspectUrl)).count).toBe(0);
    expect((await getFeedByUrl(env.DB, goodUrl))!.status).toBe('ok');
    // Both outcomes are stored, so both messages are acknowledged: nothing is delivered again.
    expect(result!.explicitAcks.sort()).toEqual(driver.sent.map((m) => m.id).sort());
    expect(driver.waiting).toHaveLength(0);
  });

  it('a redelivered message of several feeds skips those refreshed since it was sent; only the first left is the suspect', async () => {
    const urls = [0, 1, 2, 3].map(() => fresh('/local/refresh/three-items.rss'));
    const ids: number[] = [];
    for (const url of urls) ids.push(await subscribed(url));
    const driver = queueDriver();
    await driver.env.REFRESH_QUEUE.send({ kind: 'refresh', feedIds: ids });
    const sentAt = Date.now();
    // The earlier deliveries got through the first feed, then died twice on the second.
    await env.DB.prepare('UPDATE feeds SET last_fetched_at = ?, status = ? WHERE id = ?')
      .bind(sentAt + 1, 'ok', ids[0])
      .run();
    driver.waiting[0]!.attempts = 3;
    await driver.deliver(10);
    expect((await hits(urls[0]!)).count).toBe(0);
    const second = (await getFeedByUrl(env.DB, urls[1]!))!;
    expect(second.status).toBe('error');
    expect(second.last_error).toMatch(/stopped 2 times/);
    expect((await hits(urls[1]!)).count).toBe(0);
    for (const url of urls.slice(2)) {
      expect((await getFeedByUrl(env.DB, url))!.status).toBe('ok');
      expect((await hits(url)).count).toBe(1);
    }
    expect(driver.waiting).toHaveLength(0);
  });

  it('a message that failed every delivery lands on the dead-letter queue, whose consumer marks its feed failing', async () => {
    const url = fresh('/local/refresh/three-items.rss');
    const id = await subscribed(url);
    const driver = queueDriver();
    await driver.env.REFRESH_QUEUE.send({ kind: 'refresh', feedIds: [id] });
    await driver.deliver(10, { queueName: `${REFRESH_QUEUE_NAME}-dlq` });
    const feed = (await getFeedByUrl(env.DB, url))!;
    expect(feed.status).toBe('error');
    expect(feed.last_error).toMatch(/failed on every try/);
    expect(feed.next_fetch_at).toBeGreaterThan(Date.now());
    expect((await hits(url)).count).toBe(0);
  });

  it('a message from another version of the Worker is acknowledged and logged, not retried forever', async () => {
    const driver = queueDriver();
    await driver.env.REFRESH_QUEUE.send({ kind: 'refresh-everything', please: true });
    const result = await driver.deliver(10);
    expect(result!.explicitAcks).toHaveLength(1);
    expect(driver.waiting).toHaveLength(0);
  });
});

describe('documents too large for D1', () => {
  function rss(items: string[]): string {
    return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>${items.join('')}</channel></rss>`;
  }
  const item = (i: number, description: string) =>
    `<item><guid>big-${i}</guid><title>Item ${i}</title><link>https://big.example/${i}</link>` +
    `<pubDate>${new Date(Date.UTC(2026, 10, 1) + i * 60_000).toUTCString()}</pubDate><description>${description}</description></item>`;

  it('keeps the newest 200 of 3,001 items, replaces content over the row budget by its summary, and stores the rest', async () => {
    const huge = `&lt;p&gt;${'word '.repeat(530_000)}&lt;/p&gt;`;
    const items = [
      item(3000, huge),
      ...Array.from({ length: 3000 }, (_, i) =>
        item(i, `&lt;p&gt;Item number ${i} &lt;img src="/p/${i}.jpg"&gt;&lt;/p&gt;`),
      ),
    ];
    const body = rss(items);
    expect(body.length).toBeGreaterThan(2_800_000);
    const url = fresh('/local/refresh/three-items.rss');
    await scriptResponses(url, [{ status: 200, headers: { 'content-type': 'application/rss+xml' }, body }]);
    const id = await subscribed(url);
    const driver = queueDriver();
    await driver.env.REFRESH_QUEUE.send({ kind: 'refresh', feedIds: [id] });
    await driver.deliver(10);

    const feed = (await getFeedByUrl(env.DB, url))!;
    expect(feed.status, feed.last_error ?? '').toBe('ok');
    const stored = await env.DB.prepare(
      'SELECT COUNT(*) AS n, MAX(LENGTH(content_html)) AS longest, MIN(sort_at) AS oldest FROM items WHERE feed_id = ?',
    )
      .bind(id)
      .first<{ n: number; longest: number; oldest: number }>();
    expect(stored!.n).toBe(200);
    expect(stored!.longest).toBeLessThanOrEqual(MAX_CONTENT_HTML_BYTES);
    // The newest 200 by date: items 2800..2999 and the huge one (3000) minus one.
    expect(stored!.oldest).toBe(Date.UTC(2026, 10, 1) + 2801 * 60_000);
    const big = await env.DB.prepare("SELECT content_html, summary FROM items WHERE guid = 'big-3000'").first<{
      content_html: string;
      summary: string;
    }>();
    expect(big!.content_html).toBe(`<p>${big!.summary}</p>`);
    // Every stored item's pictures are referenced, in the same batch as the items.
    const refs = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM image_refs r JOIN items i ON i.id = r.item_id WHERE i.feed_id = ?',
    )
      .bind(id)
      .first<{ n: number }>();
    expect(refs!.n).toBe(199);
  });
});
