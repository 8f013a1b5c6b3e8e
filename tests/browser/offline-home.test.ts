// Latest offline, from the device, in real Chromium: the service worker answers `/` and `/?feed=` with the list the
// background refresh kept (the edge's own markup, under the edge's CSP), each item marked as opening offline or
// offering "Get it when I'm back online"; a cached copy serves only while it is at least as new as that list; the
// offline page lists exactly the articles that open; the installed app started offline opens to the list.
import type { ConsoleMessage, Page, Response } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Digest, DigestFeed, ItemSummary } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { axeViolations } from './support/axe.ts';
import { browserSuite } from './support/browser-suite.ts';
import { ALL_PERMISSIONS, grantPermissions } from './support/chromium.ts';
import { openControlled, prepareReader, storedArticles } from './support/service-worker.ts';

interface DigestList {
  items: ItemSummary[];
  feeds: DigestFeed[];
  receivedAt: number;
}

const suite = browserSuite();
let page: Page;
let controlPage: Page;
/** The edge's own `/`, as the reader saw it online. */
let onlineHtml: string;
let onlineCsp: string | null;

/** The device's copy of the list, read from the service worker's IndexedDB. */
function digestList(target: Page): Promise<DigestList | undefined> {
  return target.evaluate(
    () =>
      new Promise<DigestList | undefined>((resolve, reject) => {
        const open = indexedDB.open('offline-reader');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('remembered').objectStore('remembered').get('digestList');
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as DigestList | undefined);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

/** As if the background refresh had just brought the list again. */
function makeListNewer(target: Page): Promise<void> {
  return target.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('offline-reader');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const store = open.result.transaction('remembered', 'readwrite').objectStore('remembered');
          const get = store.get('digestList');
          get.onsuccess = () => {
            const put = store.put({ ...(get.result as DigestList), receivedAt: Date.now() }, 'digestList');
            put.onsuccess = () => resolve();
            put.onerror = () => reject(put.error);
          };
        };
      }),
  );
}

async function visit(path: string, target = page): Promise<{ response: Response; errors: string[] }> {
  const errors: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(message.text());
  };
  target.on('console', onConsole);
  const response = (await target.goto(`${suite.stack.site}${path}`))!;
  await target.waitForLoadState('load');
  // The page's script has run once it has said whether the reader is online.
  await target.waitForFunction(() => document.documentElement.dataset.connectivity !== undefined);
  target.off('console', onConsole);
  return { response, errors };
}

/** One item of a list as the HTML says it, keyed by id; `deviceOnly` strips what only the device's copy adds. */
function itemsIn(html: string, deviceOnly = false): Map<string, string> {
  const items = new Map<string, string>();
  for (const match of html.matchAll(/<li class="item"[^>]*?data-item-id="([^"]+)"[\s\S]*?<\/li>/g)) {
    let markup = match[0];
    if (deviceOnly)
      markup = markup
        .replace(/ data-on-device=""/, '')
        .replace(/ data-title="[^"]*"/, '')
        .replace(/<p class="item-later">[\s\S]*?<\/p>/, '');
    items.set(match[1]!, markup);
  }
  return items;
}

const clearCachedPages = (target: Page) => target.evaluate(() => caches.delete('reader-pages-v1'));

beforeAll(async () => {
  // The digest carries only articles the edge has extracted: run the cron's prefetch, as production's cron does.
  await fetch(`${suite.stack.site}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
  await eventually(
    async () => {
      const digest = (await (await fetch(`${suite.stack.site}/api/digest`)).json()) as Digest;
      return digest.items.filter((item) => item.article).length >= 10 ? true : undefined;
    },
    { timeoutMs: 60_000 },
  );
  let control: Awaited<ReturnType<typeof prepareReader>>['control'];
  ({ page, controlPage, control } = await prepareReader(suite.browser.context, suite.stack.site));
  // Online, the front page (now through the worker); the background refresh keeps the list and the newest articles.
  const online = await page.reload();
  onlineHtml = await online!.text();
  onlineCsp = online!.headers()['content-security-policy'] ?? null;
  await control.dispatchPeriodicSync();
  const list = await eventually(
    async () => {
      const kept = await digestList(page);
      const ready = (await storedArticles(page)).filter((a) => a.state === 'ready');
      return kept && ready.length > 0 ? kept : undefined;
    },
    { timeoutMs: 30_000 },
  );
  // One article read online that the refresh did not keep: the oldest on the list.
  const read = list.items.at(-1)!;
  await page.goto(`${suite.stack.site}/read/${read.id}`);
  await page.goto(`${suite.stack.site}/`);
  await suite.browser.context.setOffline(true);
});

describe('Latest with no cached copy: drawn from the device', () => {
  it('lists the device’s items in the edge’s own markup, under the edge’s CSP, with no console error', async () => {
    await clearCachedPages(page);
    const { response, errors } = await visit('/');
    expect(response.fromServiceWorker()).toBe(true);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-security-policy']).toBe(onlineCsp);
    const html = await response.text();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const list = (await digestList(page))!;
    const offline = itemsIn(html, true);
    expect([...offline.keys()]).toEqual(list.items.map((item) => item.id));
    // The same item is the same HTML online and offline, apart from what only the device's copy adds.
    const online = itemsIn(onlineHtml);
    let compared = 0;
    for (const [id, markup] of offline) {
      if (!online.has(id)) continue;
      expect(markup).toBe(online.get(id));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });

  it('says it is the device’s copy and when it was refreshed', async () => {
    const note = page.locator('[data-device-copy]');
    expect(await note.textContent()).toMatch(/this is the list as this device last had it, refreshed .+\./);
    expect(await note.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await page.locator('main h1').textContent()).toBe('Latest');
  });

  it('marks each item: kept or offline for now when its article is on the device, else “Get it when I’m back online”', async () => {
    const pagesIn = (name: string) =>
      page.evaluate(async (cacheName) => {
        const ids: string[] = [];
        for (const request of await (await caches.open(cacheName)).keys()) {
          const match = /^\/read\/([^/]+)$/.exec(new URL(request.url).pathname);
          if (match && !new URL(request.url).search) ids.push(decodeURIComponent(match[1]!));
        }
        return ids;
      }, name);
    const kept = new Set(await pagesIn('reader-saved-v1'));
    const readable = new Set([
      ...kept,
      ...(await pagesIn('reader-prefetched-v1')),
      ...(await pagesIn('reader-articles-v1')),
    ]);
    const items = await page.locator('li.item').all();
    let marked = 0;
    let offered = 0;
    for (const item of items) {
      const id = (await item.getAttribute('data-item-id'))!;
      const mark = item.locator('[data-offline-mark]');
      const button = item.locator('[data-save-offline]');
      if (readable.has(id)) {
        const words = kept.has(id) ? 'Saved for offline' : 'Offline for now, may be dropped';
        await expect.poll(() => mark.textContent()).toBe(words);
        expect(await button.count()).toBe(0);
        marked += 1;
      } else {
        await button.waitFor({ state: 'visible' });
        expect(await button.textContent()).toBe("Get it when I'm back online");
        offered += 1;
      }
    }
    expect(marked).toBeGreaterThan(0);
    expect(offered).toBeGreaterThan(0);
  });

  it('has no axe violations, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await axeViolations(page), colorScheme).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: '/tmp/offline-home.png', fullPage: true });
  });

  it('queues “Get it when I’m back online” in the outbox with the item’s title', async () => {
    const item = page.locator('li.item:has([data-save-offline])').first();
    const id = (await item.getAttribute('data-item-id'))!;
    const title = (await digestList(page))!.items.find((listed) => listed.id === id)!.title;
    await item.locator('[data-save-offline]').click();
    const stored = await eventually(async () => (await storedArticles(page)).find((a) => a.itemId === id));
    expect(stored).toMatchObject({ state: 'queued', title, saved: true });
    await expect.poll(() => item.getAttribute('data-offline-state')).toBe('queued');
  });

  it('narrows to one source with ?feed=, by the device’s list', async () => {
    const list = (await digestList(page))!;
    const feed = list.feeds.find((f) => list.items.some((item) => item.feedId === f.id))!;
    const { response, errors } = await visit(`/?feed=${feed.id}`);
    expect(response.fromServiceWorker()).toBe(true);
    expect(await page.locator('main h1').textContent()).toBe(feed.title);
    const ids = await page
      .locator('li.item')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-item-id')));
    expect(ids).toEqual(list.items.filter((item) => item.feedId === feed.id).map((item) => item.id));
    for (const source of await page.locator('li.item .item-source').all())
      expect(await source.getAttribute('href')).toBe(`/?feed=${feed.id}`);
    expect(await page.locator('#source-filter').inputValue()).toBe(String(feed.id));
    expect(errors).toEqual([]);
  });

  it('narrows to one folder with ?folder=, and says so plainly when the device has nothing from it', async () => {
    const list = (await digestList(page))!;
    const folder = list.feeds.find((f) => f.folder !== null)!.folder!;
    const inFolder = new Set(list.feeds.filter((f) => f.folder === folder).map((f) => f.id));
    await visit(`/?folder=${encodeURIComponent(folder)}`);
    expect(await page.locator('main h1').textContent()).toBe(folder);
    const ids = await page
      .locator('li.item')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-item-id')));
    expect(ids).toEqual(list.items.filter((item) => inFolder.has(item.feedId)).map((item) => item.id));
    expect(ids.length).toBeGreaterThan(0);

    await visit('/?folder=Nothing%20here');
    expect(await page.locator('li.item').count()).toBe(0);
    expect(await page.locator('.empty-state h2').textContent()).toBe('Nothing from Nothing here on this device');
  });

  it('opens to the list when the installed app starts offline (start_url), never to the error page', async () => {
    // The manifest as the installed app reads it: from the precache, offline.
    const manifest = (await page.evaluate(() => fetch('/manifest.webmanifest').then((r) => r.json()))) as {
      start_url: string;
    };
    const app = await suite.browser.context.newPage();
    const { response } = await visit(manifest.start_url, app);
    expect(response.fromServiceWorker()).toBe(true);
    expect(await app.locator('main h1').textContent()).toBe('Latest');
    expect(await app.locator('li.item').count()).toBeGreaterThan(0);
    await app.close();
  });
});

describe('Latest with a cached copy', () => {
  it('serves a copy newer than the device’s list, saying whose copy it is; a newer list wins over it', async () => {
    await suite.browser.context.setOffline(false);
    await visit('/');
    await suite.browser.context.setOffline(true);
    const copy = await visit('/');
    expect(copy.response.fromServiceWorker()).toBe(true);
    // The edge's page as cached: no device marks of its own, but the note under the heading.
    expect(await page.locator('[data-on-device], .item-later').count()).toBe(0);
    expect(await page.locator('.page-head + [data-device-copy]').textContent()).toMatch(/as this device last had it/);
    expect(copy.response.headers()['content-security-policy']).toBe(onlineCsp);
    expect(copy.errors).toEqual([]);

    await makeListNewer(page);
    await visit('/');
    expect(await page.locator('[data-on-device]').count()).toBeGreaterThan(0);
    expect(await page.locator('.item-later').count()).toBeGreaterThan(0);
  });
});

describe('the offline page', () => {
  it('lists exactly the articles that open: the one just read among them, none that does not', async () => {
    const list = (await digestList(page))!;
    const justRead = list.items.at(-1)!;
    await visit('/sources');
    expect(await page.locator('main h1').textContent()).toBe('You are offline');
    const links = page.locator('[data-offline-list] a');
    await links.first().waitFor();
    const listed = await links.evaluateAll((anchors) =>
      anchors.map((a) => ({ href: a.getAttribute('href')!, title: a.textContent! })),
    );
    expect(listed.map((l) => l.href)).toContain(`/read/${encodeURIComponent(justRead.id)}`);
    expect(listed.find((l) => l.href.endsWith(encodeURIComponent(justRead.id)))?.title).toBe(justRead.title);
    expect(await axeViolations(page)).toEqual([]);

    // Every listed article opens offline...
    for (const { href, title } of listed) {
      await visit(href);
      expect(await page.locator('article.reader h1').textContent(), href).toBe(title);
    }
    // ...and every item on the list that does not open is left out.
    await visit('/');
    const notOnDevice = await page
      .locator('li.item:not([data-on-device])')
      .evaluateAll((items) => items.map((li) => `/read/${encodeURIComponent(li.getAttribute('data-item-id')!)}`));
    expect(notOnDevice.length).toBeGreaterThan(0);
    for (const href of notOnDevice) expect(listed.map((l) => l.href)).not.toContain(href);
    await visit(notOnDevice[0]!);
    expect(await page.locator('main h1').textContent()).toBe('You are offline');
  });

  it('promises a fetch with the app closed only where Background Sync is allowed', async () => {
    const list = (await digestList(page))!;
    const promise = page.locator('[data-offline-request] [data-closed-app-promise]');
    await visit(`/read/${encodeURIComponent(list.items[list.items.length - 2]!.id)}`);
    await page.locator('[data-offline-request]').waitFor({ state: 'visible' });
    await expect.poll(() => promise.isVisible()).toBe(true);
    // Notifications allowed and the reader's switch on: the page promises one.
    await expect
      .poll(() => page.locator('[data-offline-request] [data-ready-promise]').innerText())
      .toMatch(/you get a notification/);

    await grantPermissions(
      controlPage,
      suite.stack.site,
      ALL_PERMISSIONS.filter((p) => p !== 'backgroundSync'),
    );
    try {
      const fresh = await openControlled(suite.browser.context, `${suite.stack.site}/read/never-seen-here`);
      await fresh.locator('[data-offline-request]').waitFor({ state: 'visible' });
      expect(await fresh.locator('[data-offline-request]').innerText()).toMatch(/as soon as you are back online\./);
      expect(await fresh.locator('[data-offline-request] [data-closed-app-promise]').isHidden()).toBe(true);
      await fresh.close();
    } finally {
      await grantPermissions(controlPage, suite.stack.site, ALL_PERMISSIONS);
    }
  });

  it('promises a notification only where notifications are allowed: elsewhere, Saved', async () => {
    await grantPermissions(
      controlPage,
      suite.stack.site,
      ALL_PERMISSIONS.filter((p) => p !== 'notifications'),
    );
    try {
      const fresh = await openControlled(suite.browser.context, `${suite.stack.site}/read/never-seen-either`);
      await fresh.locator('[data-offline-request]').waitFor({ state: 'visible' });
      // The page's script has run (it revealed the request): its verdict on the words is in.
      expect(await fresh.locator('[data-offline-request] [data-ready-promise]').innerText()).toBe(
        'When it is ready, it is on Saved.',
      );
      await fresh.close();
    } finally {
      await grantPermissions(controlPage, suite.stack.site, ALL_PERMISSIONS);
    }
  });
});
