// Storage running out while saving for offline, in real Chromium: the origin's quota is lowered over CDP
// (Storage.overrideQuotaForOrigin) so the real Cache.put raises QuotaExceededError. The background refresh's copies
// make room in the offline policy's order (what it drops next first, then the oldest it holds), logged, and the reader's own saves are never dropped; when nothing can make room
// the article fails visibly with the reason, its partial copies deleted, instead of being retried forever.
import type { CDPSession, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleView, ItemSummary } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import { runCronUntilDigestHasArticles } from './support/digest-articles.ts';
import {
  askWorker,
  cachedPaths,
  prepareReader,
  runningWorker,
  shownNotifications,
  storedArticles,
  type PreparedReader,
  type StoredArticle,
} from './support/service-worker.ts';

const suite = browserSuite();
let reader: PreparedReader;
let quota: CDPSession;

beforeAll(async () => {
  await runCronUntilDigestHasArticles(suite.stack.site, 6);
  reader = await prepareReader(suite.browser.context, suite.stack.site);
  quota = await suite.browser.context.newCDPSession(reader.controlPage);
});

/** What the site stores now, as the browser's quota counts it. */
const usage = (page: Page) => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);

/**
 * Usage once the browser has counted what was just deleted: Chromium updates the figure after the deletes land, so
 * a figure read at once can be too high and the quota set from it would leave room for the whole article.
 */
async function settledUsage(page: Page): Promise<number> {
  let last = await usage(page);
  return eventually(async () => {
    await new Promise((r) => setTimeout(r, 300));
    const now = await usage(page);
    const settled = now === last;
    last = now;
    return settled ? now : undefined;
  });
}

async function limitQuota(bytes: number | null): Promise<void> {
  await quota.send('Storage.overrideQuotaForOrigin', {
    origin: suite.stack.site,
    ...(bytes === null ? {} : { quotaSize: bytes }),
  });
}

/**
 * Every URL an article's save writes: its JSON, its page and its pictures, with their sizes; `textBytes` is its page
 * alone (the article is ready once that is stored, its JSON and pictures follow).
 */
async function articleCopies(item: ItemSummary): Promise<{ paths: string[]; bytes: number; textBytes: number }> {
  const view = (await (await fetch(`${suite.stack.site}/api/articles/${item.id}`)).json()) as ArticleView;
  const paths = [`/api/articles/${item.id}`, `/read/${item.id}`, ...view.images];
  const sizes = await Promise.all(
    paths.map(async (path) => (await (await fetch(`${suite.stack.site}${path}`)).arrayBuffer()).byteLength),
  );
  return {
    paths,
    bytes: sizes.reduce((sum, size) => sum + size, 0),
    textBytes: sizes[1]!,
  };
}

const prefetched = async (page: Page) =>
  (await storedArticles(page)).filter((record) => !record.saved && record.state === 'ready');

/** An article no one has kept yet, with pictures (so a save writes several copies). */
async function unkeptArticle(page: Page): Promise<ItemSummary> {
  const kept = new Set((await storedArticles(page)).map((record) => record.itemId));
  for (const item of [...suite.items].reverse()) {
    if (kept.has(item.id)) continue;
    const view = (await (await fetch(`${suite.stack.site}/api/articles/${item.id}`)).json()) as ArticleView;
    if (view.images.length > 0) return item;
  }
  throw new Error('the sample site has no unkept article with pictures left');
}

async function save(page: Page, item: ItemSummary): Promise<void> {
  const reply = await askWorker(page, 'save-article', { itemId: item.id, url: `/read/${item.id}`, title: item.title });
  expect(reply.ok).toBe(true);
  await askWorker(page, 'drain-outbox', { trigger: 'reader' });
}

describe('saving with storage full', () => {
  it('drops prefetched articles in the offline policy’s order to make room, says which, and keeps the reader saves', async () => {
    const { page } = reader;
    await askWorker(page, 'refresh-digest', { trigger: 'periodicsync' });
    const before = await eventually(
      async () => {
        const ready = await prefetched(page);
        return ready.length >= 3 ? ready : undefined;
      },
      { timeoutMs: 60_000 },
    );
    // The newest, read: the policy lets it go at the next refresh, so it goes first, before older unread ones.
    const published = (record: StoredArticle) => Date.parse((record as { publishedAt?: string }).publishedAt ?? '');
    const newest = [...before].sort((a, b) => published(b) - published(a));
    const read = newest[0]!;
    await askWorker(page, 'mark-read', { itemId: read.itemId });
    const item = await unkeptArticle(page);
    const { paths, bytes } = await articleCopies(item);

    await limitQuota((await settledUsage(page)) + Math.floor(bytes / 2));
    try {
      await save(page, item);
      const saved = await eventually(
        async () => {
          const record = (await storedArticles(page)).find((r) => r.itemId === item.id);
          return record?.state === 'ready' || record?.state === 'failed' ? record : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(saved).toMatchObject({ state: 'ready', saved: true });
      const after = (await prefetched(page)).map((r) => r.itemId);
      expect(after).not.toContain(read.itemId);
      // After the read one, the oldest went first: what is left is the newest unread.
      expect(
        newest
          .slice(1, 1 + after.length)
          .map((r) => r.itemId)
          .sort(),
      ).toEqual([...after].sort());
      const keptCopies = await cachedPaths(page, 'reader-saved-v1');
      for (const path of paths) expect(keptCopies).toContain(path);

      // Settings' activity log says what went, the read one first, and why.
      const log = (await askWorker(page, 'activity-log', null)).value as Array<{
        kind: string;
        dropped?: Array<{ itemId: string; reason: string }>;
      }>;
      const rooms = log.filter((entry) => entry.kind === 'make-room').reverse();
      expect(rooms[0]?.dropped?.[0]).toMatchObject({ itemId: read.itemId, reason: 'read' });
      await page.goto(`${suite.stack.site}/settings`);
      await expect
        .poll(() => page.locator('#activity-log').innerText())
        .toContain(`Storage full. Dropped to make room: “${read.title}” (read)`);
    } finally {
      await limitQuota(null);
    }
  });

  it('with nothing to drop, fails the article visibly and deletes what of it was written', async () => {
    const { page } = reader;
    for (const record of await prefetched(page)) await askWorker(page, 'remove-article', { itemId: record.itemId });
    const keptBefore = (await storedArticles(page)).filter((record) => record.saved && record.state === 'ready');
    const item = await unkeptArticle(page);
    const { paths, textBytes } = await articleCopies(item);

    // Not even its text fits: nothing of it can be readable.
    await limitQuota((await settledUsage(page)) + Math.floor(textBytes / 2));
    try {
      await save(page, item);
      const failed = await eventually(
        async () => {
          const record = (await storedArticles(page)).find((r) => r.itemId === item.id);
          return record?.state === 'failed' || record?.state === 'ready' ? record : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(failed.state).toBe('failed');
      expect(failed.lastError).toBe('Storage is full: remove something or free space');
      const copies = [
        ...(await cachedPaths(page, 'reader-saved-v1')),
        ...(await cachedPaths(page, 'reader-prefetched-v1')),
      ];
      for (const path of paths) expect(copies).not.toContain(path);
      // The reader's earlier saves are all still there.
      const keptAfter = (await storedArticles(page)).filter((record) => record.saved && record.state === 'ready');
      expect(keptAfter.map((r) => r.itemId).sort()).toEqual(keptBefore.map((r) => r.itemId).sort());
      // The reader is on the page that asked: it says so there (below, on /saved), and no notification interrupts.
      const worker = await runningWorker(suite.browser.context);
      await eventually(async () =>
        (await storedArticles(worker)).find((r) => r.itemId === item.id)?.notified ? true : undefined,
      );
      expect((await shownNotifications(worker)).filter((n) => n.tag === 'offline-failed')).toEqual([]);

      // It is not tried again by itself: a drain later leaves it failed.
      await askWorker(page, 'drain-outbox', { trigger: 'reader' });
      expect((await storedArticles(page)).find((r) => r.itemId === item.id)?.state).toBe('failed');
      await page.goto(`${suite.stack.site}/saved`);
      const row = page.locator(`#offline-waiting li[data-item-id="${item.id}"]`);
      expect(await row.locator('.saved-reason').innerText()).toMatch(/Storage is full: remove something or free space/);
    } finally {
      await limitQuota(null);
    }
  });
});
