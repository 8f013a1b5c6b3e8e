// The story the reader tier exists for, in real Chromium: offline, a reader opens an article that is not on the
// device, taps "Get it when I'm back online" and closes the app. Back online, the browser fires `sync` with no
// window open; the service worker fetches the article and its images through the edge, caches them and shows one
// notification. A tap on it opens the article, which reads from cache.
import { describe, expect, it } from 'vitest';
import type { ItemSummary } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import { requestWhileOffline } from './support/offline-requests.ts';
import { originHits, scriptOrigin } from './support/origin-control.ts';
import {
  activity,
  cachedPaths,
  clickNotification,
  openControlled,
  prepareReader,
  runningWorker,
  shownNotifications,
  storedArticle,
  storedArticles,
  syncTags,
  type WorkerControl,
} from './support/service-worker.ts';

const suite = browserSuite();

describe('an article requested while offline', () => {
  let control: WorkerControl;

  it('is offered on the offline page, queued, fetched by `sync` with no window open, and notified', async () => {
    const { context } = suite.browser;
    const prepared = await prepareReader(context, suite.stack.site);
    const { page } = prepared;
    control = prepared.control;
    const wanted = suite.item(0);

    await context.setOffline(true);
    await page.goto(`${suite.stack.site}/read/${wanted.id}`);
    expect(await page.locator('main h1').textContent()).toBe('You are offline');
    const button = page.locator('[data-offline-request] [data-save-offline]');
    expect(await button.textContent()).toBe("Get it when I'm back online");
    await button.click();
    await page.waitForSelector(`[data-offline-request] [data-item-id="${wanted.id}"][data-offline-state="queued"]`);
    const queued = await storedArticle(page, wanted.id);
    expect(queued).toMatchObject({ state: 'queued', attempts: 0, saved: true, notified: false });
    expect(await syncTags(page)).toEqual(['fetch-articles']);

    // The reader closes the app: no window of the site is left.
    await page.close();
    await context.setOffline(false);

    const worker = await runningWorker(context);
    const ready = await eventually(
      async () => {
        const record = await storedArticle(worker, wanted.id);
        // Notified is set when the run ends, after the article is ready: wait for both.
        return record?.state === 'ready' && record.notified ? record : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(ready).toMatchObject({ attempts: 1, lastError: null, notified: true });
    expect(ready.bytes).toBeGreaterThan(1000);

    // The browser logs "Sync completed" once the event's promise settles, a moment after the run's last write.
    const events = await eventually(async () => {
      const names = control.backgroundEvents
        .filter((event) => event.service === 'backgroundSync')
        .map((event) => event.eventName);
      return names.includes('Sync completed') ? names : undefined;
    });
    expect(events).toContain('Registered sync');
    expect(events).toContain('Dispatched sync event');

    const [notification, ...others] = (await shownNotifications(worker)).filter((n) => n.tag === 'offline-ready');
    expect(others).toEqual([]);
    expect(notification?.title).toBe(`Ready to read offline: ${ready.title}`);
    expect(notification?.data?.url).toBe(`/read/${wanted.id}`);

    const saved = await cachedPaths(worker, 'reader-saved-v1');
    expect(saved).toContain(`/api/articles/${wanted.id}`);
    expect(saved).toContain(`/read/${wanted.id}`);
    const article = (await (await fetch(`${suite.stack.site}/api/articles/${wanted.id}`)).json()) as {
      images: string[];
    };
    for (const image of article.images) expect(saved).toContain(image);
  });

  it('opens from the notification and reads from cache, offline', async () => {
    const { context } = suite.browser;
    const wanted = suite.item(0);
    const page = await openControlled(context, `${suite.stack.site}/`);
    await context.setOffline(true);
    const worker = await runningWorker(context);
    await clickNotification(worker, 'offline-ready', 'read');
    await page.waitForURL(`${suite.stack.site}/read/${wanted.id}`);
    expect(await page.locator('article.reader h1').textContent()).toBe(wanted.title);
    await page.waitForSelector(`.save-offline[data-item-id="${wanted.id}"][data-offline-state="ready"]`);
    await page.locator('#connectivity').waitFor({ state: 'visible' });
    expect(await shownNotifications(page)).toEqual([]);
    await context.setOffline(false);
    await page.close();
  });

  it('batches several requests into one notification that points at /saved, and saving twice keeps one entry', async () => {
    const { context } = suite.browser;
    const page = await openControlled(context, `${suite.stack.site}/`);
    await context.setOffline(true);
    const wanted = [suite.item(1), suite.item(2), suite.item(3)];
    for (const one of wanted) {
      await page.goto(`${suite.stack.site}/read/${one.id}`);
      const button = page.locator('[data-offline-request] [data-save-offline]');
      await button.click();
      // Queued, the control says so and offers nothing (aria-disabled); a second tap all the same changes nothing.
      await button.click({ force: true });
      await page.waitForSelector(`[data-offline-request] [data-item-id="${one.id}"][data-offline-state="queued"]`);
    }
    const records = (await storedArticles(page)).filter((record) => wanted.some((one) => one.id === record.itemId));
    expect(records).toHaveLength(3);

    await page.close();
    await context.setOffline(false);
    const worker = await runningWorker(context);
    await eventually(
      async () => {
        const all = await storedArticles(worker);
        return wanted.every((one) => all.find((record) => record.itemId === one.id)?.state === 'ready')
          ? true
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const ready = await eventually(async () => {
      const shown = (await shownNotifications(worker)).filter((n) => n.tag === 'offline-ready');
      return shown.length === 1 && shown[0]?.data?.items.length === 3 ? shown[0] : undefined;
    });
    expect(ready.title).toBe('3 articles ready to read offline');
    expect(ready.data?.url).toBe('/saved');
  });

  it('is ready without a picture that failed for a passing reason, fetches the picture again when due, and says so once', async () => {
    const { context } = suite.browser;
    // An article with pictures that no test above asked for.
    let wanted: ItemSummary | undefined;
    let images: string[] = [];
    for (const candidate of suite.items.slice(4)) {
      const article = (await (await fetch(`${suite.stack.site}/api/articles/${candidate.id}`)).json()) as {
        images: string[];
      };
      if (article.images.length > 0) {
        wanted = candidate;
        images = article.images;
        break;
      }
    }
    if (!wanted) throw new Error('no sample article with pictures left');
    const picture = images[0]!;
    const pictureAtOrigin = new URL(new URL(picture, suite.stack.site).searchParams.get('u')!);
    const originPath = pictureAtOrigin.pathname + pictureAtOrigin.search;
    // The publisher's image server is briefly down: one 503 asking to come back in a second.
    await scriptOrigin(suite.stack.origin.url, originPath, [{ status: 503, headers: { 'retry-after': '1' } }]);
    const hitsBefore = await originHits(suite.stack.origin.url, originPath);

    await requestWhileOffline(context, suite.stack.site, [wanted]);
    await context.setOffline(false);
    const worker = await runningWorker(context);
    const complete = await eventually(
      async () => {
        const record = (await storedArticles(worker)).find((one) => one.itemId === wanted.id) as
          | (Awaited<ReturnType<typeof storedArticles>>[number] & { missingImages?: string[] })
          | undefined;
        return record?.state === 'ready' && record.missingImages?.length === 0 ? record : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(complete.notified).toBe(true);
    expect(complete.cachedUrls).toContain(new URL(picture, suite.stack.site).href);
    expect(await cachedPaths(worker, 'reader-saved-v1')).toContain(picture);
    // Asked twice at the origin: the 503, then the picture.
    expect((await originHits(suite.stack.origin.url, originPath)) - hitsBefore).toBe(2);
    // Ready once (announced then), not again when its picture arrived.
    const readyRuns = (await activity(worker)).filter((run) => run.fetched.some((one) => one.itemId === wanted.id));
    expect(readyRuns).toHaveLength(1);
    const [notification] = (await shownNotifications(worker)).filter((n) => n.tag === 'offline-ready');
    expect(notification?.data?.items.map((one) => one.itemId)).toContain(wanted.id);
  });

  it('completing while a window of the site is on screen, updates that page and shows no notification', async () => {
    const { context } = suite.browser;
    const wanted = suite.items[suite.items.length - 1]!;
    // Notifications allowed (as for a reader who turned them on), so their absence is the worker's choice.
    await (await prepareReader(context, suite.stack.site)).page.close();
    // The reader stays on the page (headless Chromium's pages are visible): `sync` fires as the connection returns.
    const page = await requestWhileOffline(context, suite.stack.site, [wanted], { keepOpen: true });
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    await context.setOffline(false);
    await page.waitForSelector(`[data-offline-request] [data-item-id="${wanted.id}"][data-offline-state="ready"]`, {
      timeout: 30_000,
    });
    const worker = await runningWorker(context);
    // Notified is set when the run ends, whether or not a notification was shown.
    await eventually(async () => ((await storedArticle(worker, wanted.id))?.notified ? true : undefined), {
      timeoutMs: 30_000,
    });
    const told = (await shownNotifications(worker)).filter((n) =>
      n.data?.items.some((one) => one.itemId === wanted.id),
    );
    expect(told).toEqual([]);
    await page.close();
  });

  it('stays readable online after the edge no longer has it (its source removed), from the copy kept on the device', async () => {
    const { context } = suite.browser;
    const kept = suite.item(0); // saved and ready since the first test
    const removed = await fetch(`${suite.stack.site}/api/feeds/${kept.feedId}`, {
      method: 'DELETE',
      headers: suite.stack.admin,
    });
    expect(removed.ok).toBe(true);
    expect((await fetch(`${suite.stack.site}/read/${kept.id}`)).status).toBe(404);

    // The browser's HTTP cache still holds the page (max-age one hour): empty it, as an hour later would.
    const page = await openControlled(context, `${suite.stack.site}/saved`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    await page.goto(`${suite.stack.site}/read/${kept.id}`);
    expect(await page.locator('article.reader h1').textContent()).toBe(kept.title);
    await page.close();
  });
});
