// Periodic Background Sync keeps the newest articles on the device: `refresh-digest` is registered when the
// browser allows it, and each `periodicsync` makes one conditional request for the digest. New content: the newest
// articles are cached with their pages and images, and the app badge counts them. Nothing new: a 304, and nothing
// else moves. Where the browser does not allow it, registration fails quietly and the page refreshes while open.
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { launchChromium, type LaunchedBrowser } from './support/chromium.ts';
import { runCronUntilDigestHasArticles } from './support/digest-articles.ts';
import {
  activity,
  cachedPaths,
  openControlled,
  prepareReader,
  runningWorker,
  shownNotifications,
  storedArticles,
  type PreparedReader,
} from './support/service-worker.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: LaunchedBrowser;
let reader: PreparedReader;
/** Requests the service worker itself made (fetches of the digest, articles, pages, images). */
const workerRequests: Request[] = [];

beforeAll(async () => {
  stack = await startStack();
  await runCronUntilDigestHasArticles(stack.site);
  browser = await launchChromium();
  browser.context.on('request', (request) => {
    if (request.serviceWorker()) workerRequests.push(request);
  });
  reader = await prepareReader(browser.context, stack.site);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const periodicTags = () =>
  reader.page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      periodicSync?: { getTags(): Promise<string[]> };
    };
    return (await registration.periodicSync?.getTags()) ?? [];
  });

const pathOf = (request: Request) => new URL(request.url()).pathname;

describe('periodic sync, allowed', () => {
  it('registers `refresh-digest` on load', async () => {
    expect(await eventually(async () => ((await periodicTags()).length ? periodicTags() : undefined))).toEqual([
      'refresh-digest',
    ]);
  });

  it('fetches the digest, caches the newest articles with their images, sets the badge and tells a reader who asked', async () => {
    // The reader asks to hear about new articles (off by default), on the settings page.
    const settings = await openControlled(browser.context, `${stack.site}/settings`);
    await settings.waitForSelector('#settings-fields:not([disabled])');
    await settings.locator('#setting-notify-new').check();
    await eventually(async () => ((await settings.locator('#settings-status').innerText()).trim() ? true : undefined));
    await settings.close();
    const worker = await runningWorker(browser.context);
    await worker.evaluate(() => {
      // Headless Chromium has no badge to look at: record what the worker asks for.
      const scope = self as unknown as { navigator: { setAppBadge?: (n?: number) => Promise<void> }; badges: number[] };
      const original = scope.navigator.setAppBadge?.bind(scope.navigator);
      scope.badges = [];
      scope.navigator.setAppBadge = (n?: number) => {
        scope.badges.push(n ?? 0);
        return original ? original(n).catch(() => undefined) : Promise.resolve();
      };
    });
    // Nobody looking (no page of the site on screen): the news goes to the tray (tests/browser/news-while-looking.test.ts
    // has the page on screen).
    await reader.page.goto('about:blank');
    workerRequests.length = 0;
    await reader.control.dispatchPeriodicSync();

    const run = await eventually(
      async () =>
        (await activity(worker)).find((entry) => entry.kind === 'refresh-digest' && entry.trigger === 'periodicsync'),
      { timeoutMs: 30_000 },
    );
    expect(run.notModified).toBe(false);
    expect(run.fetched).toHaveLength(10);
    const prefetched = (await storedArticles(worker)).filter((record) => !record.saved);
    expect(prefetched).toHaveLength(10);
    expect(prefetched.every((record) => record.state === 'ready' && record.unread)).toBe(true);

    const cached = await cachedPaths(worker, 'reader-prefetched-v1');
    for (const record of prefetched) {
      expect(cached).toContain(`/read/${record.itemId}`);
      expect(cached).toContain(`/api/articles/${record.itemId}`);
    }
    expect(cached.filter((path) => path.startsWith('/img?')).length).toBeGreaterThan(0);
    expect(await worker.evaluate(() => (self as unknown as { badges: number[] }).badges.at(-1))).toBe(10);

    const digestRequests = workerRequests.filter((request) => pathOf(request) === '/api/digest');
    expect(digestRequests).toHaveLength(1);
    expect((await digestRequests[0]?.response())?.status()).toBe(200);

    const [news, ...more] = (await shownNotifications(worker)).filter((n) => n.tag === 'new-articles');
    expect(more).toEqual([]);
    expect(news?.title).toBe('10 new articles to read offline');
    expect(news?.data?.url).toBe('/');
    // Dismissed, so the next run's silence can be seen.
    await worker.evaluate(async () => {
      for (const shown of await (
        self as unknown as { registration: ServiceWorkerRegistration }
      ).registration.getNotifications({ tag: 'new-articles' }))
        shown.close();
    });
    await reader.page.goto(`${stack.site}/`);
  });

  it('dispatched again with nothing new: one 304, nothing re-downloaded', async () => {
    const worker = await runningWorker(browser.context);
    const before = (await activity(worker)).length;
    workerRequests.length = 0;
    await reader.control.dispatchPeriodicSync();
    const run = await eventually(
      async () => {
        const log = await activity(worker);
        return log.length > before ? log[0] : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(run).toMatchObject({ kind: 'refresh-digest', trigger: 'periodicsync', notModified: true, bytes: 0 });
    expect(workerRequests.map(pathOf)).toEqual(['/api/digest']);
    expect(workerRequests[0]?.headers()['if-none-match']).toMatch(/^"d-/);
    expect((await workerRequests[0]?.response())?.status()).toBe(304);
    expect((await shownNotifications(worker)).filter((n) => n.tag === 'new-articles')).toEqual([]);
  });

  it('opening a prefetched article takes it off the badge', async () => {
    const worker = await runningWorker(browser.context);
    const [first] = (await storedArticles(worker)).filter((record) => !record.saved);
    const page = await openControlled(browser.context, `${stack.site}/read/${first!.itemId}`);
    await eventually(async () =>
      (await storedArticles(page)).find((record) => record.itemId === first!.itemId)?.unread === false
        ? true
        : undefined,
    );
    expect((await storedArticles(page)).filter((record) => record.unread)).toHaveLength(9);
    await page.close();
  });

  it('is unregistered when the reader turns background refresh off', async () => {
    const page = await openControlled(browser.context, `${stack.site}/settings`);
    const toggle = page.locator('#setting-background');
    await page.waitForSelector('#settings-fields:not([disabled])');
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    expect(await eventually(async () => ((await periodicTags()).length === 0 ? [] : undefined))).toEqual([]);
    await page.close();
  });
});

describe('periodic sync, not allowed', () => {
  it('fails quietly and the page refreshes the digest itself while open', async () => {
    const other = await launchChromium();
    try {
      const messages: string[] = [];
      other.context.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') messages.push(message.text());
      });
      const { page } = await prepareReader(other.context, stack.site, [
        'backgroundSync',
        'notifications',
        'durableStorage',
      ]);
      const run = await eventually(
        async () => (await activity(page)).find((entry) => entry.kind === 'refresh-digest'),
        { timeoutMs: 30_000 },
      );
      expect(run.trigger).toBe('page-load');
      expect(run.fetched.length).toBeGreaterThan(0);
      expect(messages).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
