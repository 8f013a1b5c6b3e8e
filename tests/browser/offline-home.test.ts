// Latest offline, from the device, in real Chromium: the service worker answers `/` and `/?feed=` with the list the
// background refresh kept (the edge's own markup, under the edge's CSP), each item marked as opening offline or
// offering "Get it when I'm back online"; a cached copy serves only while it is at least as new as that list; the
// offline page lists exactly the articles that open; the installed app started offline opens to the list.
import { articlesArrive } from './support/source-news.ts';
import type { ConsoleMessage, Page, Response } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DigestFeed, FeedsResponse, ItemSummary } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { axeViolations } from './support/axe.ts';
import { browserSuite } from './support/browser-suite.ts';
import { ALL_PERMISSIONS, grantPermissions } from './support/chromium.ts';
import { runCronUntilDigestHasArticles } from './support/digest-articles.ts';
import {
  activity,
  openControlled,
  prepareReader,
  storedArticles,
  type WorkerControl,
} from './support/service-worker.ts';

interface DigestList {
  items: ItemSummary[];
  feeds: DigestFeed[];
  receivedAt: number;
}

const suite = browserSuite();
let page: Page;
let controlPage: Page;
let control: WorkerControl;
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
        .replace(/ data-on-device="[^"]*"/, '')
        .replace(/ data-title="[^"]*"/, '')
        .replace(/<p class="item-later">[\s\S]*?<\/p>/, '');
    items.set(match[1]!, markup);
  }
  return items;
}

/** The articles whose page is on the device (`readable`), and those the reader kept, from the caches themselves. */
async function pagesOnDevice(): Promise<{ kept: Set<string>; readable: Set<string> }> {
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
  return { kept, readable };
}

const markWords = (kept: boolean) => (kept ? 'Saved for offline' : 'Offline for now, may be dropped');

/** Every item on the page is marked as its article stands: kept, offline for now, or offered to be fetched later. */
async function expectMarks(): Promise<void> {
  const { kept, readable } = await pagesOnDevice();
  const items = await page.locator('li.item').all();
  let marked = 0;
  let offered = 0;
  for (const item of items) {
    const id = (await item.getAttribute('data-item-id'))!;
    const mark = item.locator('[data-offline-mark]');
    const button = item.locator('[data-save-offline]');
    if (readable.has(id)) {
      const words = markWords(kept.has(id));
      // The list itself says which the reader kept, so the mark is right before the page hears from the outbox
      // (which may answer late while the worker indexes what it just fetched for search).
      expect(await item.getAttribute('data-on-device')).toBe(kept.has(id) ? 'kept' : '');
      await expect.poll(() => mark.textContent(), { timeout: 1_000 }).toBe(words);
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
  expect(await page.locator('[data-device-readable]').textContent()).toBe(
    `${marked} of these ${marked + offered} articles open offline (marked “Saved for offline” or “Offline for now”); for the others, tap “Get it when I'm back online” on any you want, and it is fetched once you are.`,
  );
}

const clearCachedPages = (target: Page) => target.evaluate(() => caches.delete('reader-pages-v1'));

beforeAll(async () => {
  await runCronUntilDigestHasArticles(suite.stack.site);
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
    await expectMarks();
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
  it('serves a copy newer than the device’s list, marked as the device’s own copy is, and saying whose copy it is', async () => {
    await suite.browser.context.setOffline(false);
    await visit('/');
    // The article asked for offline above is fetched now: wait, so both copies below see the same device.
    await eventually(
      async () =>
        (await storedArticles(page)).every((a) => a.state === 'ready' || a.state === 'failed') ? true : undefined,
      { timeoutMs: 30_000 },
    );
    await suite.browser.context.setOffline(true);
    const copy = await visit('/');
    expect(copy.response.fromServiceWorker()).toBe(true);
    const copyHtml = await copy.response.text();
    expect(await page.locator('.page-head + [data-device-copy]').textContent()).toMatch(/as this device last had it/);
    expect(await page.locator('[data-device-copy] + [data-device-readable]').count()).toBe(1);
    expect(copy.response.headers()['content-security-policy']).toBe(onlineCsp);
    expect(copy.errors).toEqual([]);
    await expectMarks();
    expect(await axeViolations(page)).toEqual([]);

    // A newer list wins over the copy; the same items read the same, marks, titles and buttons included.
    await makeListNewer(page);
    const drawn = await visit('/');
    const drawnHtml = await drawn.response.text();
    expect(drawnHtml).not.toBe(copyHtml);
    const fromCopy = itemsIn(copyHtml);
    let compared = 0;
    for (const [id, markup] of itemsIn(drawnHtml)) {
      if (!fromCopy.has(id)) continue;
      expect(fromCopy.get(id)).toBe(markup);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(5);
    expect(await page.locator('[data-on-device]').count()).toBeGreaterThan(0);
    expect(await page.locator('.item-later').count()).toBeGreaterThan(0);
  });
});

describe('Latest online', () => {
  it('marks what opens offline on this device, kept or for now, in the same words as offline', async () => {
    await suite.browser.context.setOffline(false);
    try {
      const { errors } = await visit('/');
      const { kept, readable } = await pagesOnDevice();
      const counts = { kept: 0, forNow: 0, neither: 0 };
      for (const item of await page.locator('li.item').all()) {
        const id = (await item.getAttribute('data-item-id'))!;
        const mark = item.locator('[data-offline-mark]');
        if (readable.has(id)) {
          await expect.poll(() => mark.textContent()).toBe(markWords(kept.has(id)));
          counts[kept.has(id) ? 'kept' : 'forNow'] += 1;
        } else {
          expect(await item.getAttribute('data-on-device')).toBeNull();
          expect(await mark.textContent()).toBe('');
          counts.neither += 1;
        }
      }
      expect(counts.kept).toBeGreaterThan(0);
      expect(counts.forNow).toBeGreaterThan(0);
      expect(counts.neither).toBeGreaterThan(0);
      expect(await page.locator('[data-save-offline]').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await suite.browser.context.setOffline(true);
    }
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

  it('names an article reached without a link (a notification, a bookmark) by the device’s list', async () => {
    const list = (await digestList(page))!;
    await visit('/');
    const id = await page.locator('li.item:not([data-on-device])').first().getAttribute('data-item-id');
    const title = list.items.find((item) => item.id === id)!.title;
    // No link followed in this tab: nothing remembered of one.
    await page.evaluate(() => sessionStorage.clear());
    await visit(`/read/${encodeURIComponent(id!)}`);
    await page.locator('[data-offline-request]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-offline-request-title]').textContent()).toBe(`“${title}”`);
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

/** Console errors while `run` goes, lazy loads and late failures included. */
async function consoleErrorsDuring(run: () => Promise<void>): Promise<string[]> {
  const errors: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(message.text());
  };
  page.on('console', onConsole);
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await run();
    // A failed picture is logged a moment after it fails.
    await page.waitForTimeout(500);
  } finally {
    page.off('console', onConsole);
  }
  return errors;
}

/** Scrolls to the end, so lazy pictures load, and says how each picture on the page came out. */
async function picturesShown(selector: string): Promise<Array<{ src: string; loaded: boolean }>> {
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll<HTMLImageElement>(sel)].every((img) => img.complete),
    selector,
  );
  return page
    .locator(selector)
    .evaluateAll((images) =>
      (images as HTMLImageElement[]).map((img) => ({ src: img.getAttribute('src')!, loaded: img.naturalWidth > 0 })),
    );
}

describe('pictures not on the device, offline', () => {
  it('render as inert placeholders, with no console error: on Latest, an article and the search page', async () => {
    // No picture on the device at all: the runtime cache's and the kept articles' are gone, once the background
    // refresh has finished putting its own there.
    await eventually(
      async () => ((await activity(page)).some((run) => run.kind === 'refresh-digest') ? true : undefined),
      { timeoutMs: 30_000 },
    );
    await page.evaluate(async () => {
      await caches.delete('reader-images-v1');
      for (const name of ['reader-saved-v1', 'reader-prefetched-v1', 'reader-articles-v1']) {
        const cache = await caches.open(name);
        for (const request of await cache.keys())
          if (new URL(request.url).pathname === '/img') await cache.delete(request);
      }
    });
    // The browser's HTTP cache holds the pictures met online too (max-age): empty it, as time would.
    const cdp = await suite.browser.context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    await clearCachedPages(page);
    let thumbnails: Array<{ src: string; loaded: boolean }> = [];
    const onLatest = await consoleErrorsDuring(async () => {
      await visit('/');
      thumbnails = await picturesShown('li.item img');
    });
    expect(thumbnails.length).toBeGreaterThan(0);
    expect(thumbnails.filter((img) => !img.loaded)).toEqual([]);
    const placeholder = await page.evaluate(async (src) => {
      const response = await fetch(src);
      return { type: response.headers.get('content-type'), mark: response.headers.get('x-offline-placeholder') };
    }, thumbnails[0]!.src);
    expect(placeholder).toEqual({ type: 'image/svg+xml', mark: '1' });
    expect(onLatest).toEqual([]);

    // An article on the device whose pictures are not.
    const readable = await page
      .locator('li.item[data-on-device]')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-item-id')!));
    let pictures: Array<{ src: string; loaded: boolean }> = [];
    const onArticle = await consoleErrorsDuring(async () => {
      for (const id of readable) {
        await visit(`/read/${encodeURIComponent(id)}`);
        pictures = await picturesShown('article.reader img');
        if (pictures.length > 0) break;
      }
    });
    expect(pictures.length).toBeGreaterThan(0);
    expect(pictures.filter((img) => !img.loaded)).toEqual([]);
    expect(onArticle).toEqual([]);

    // The search page, answered by the device.
    const title = (await page.locator('article.reader h1').textContent())!;
    const word = title.split(/\s+/).find((w) => /^[a-z]{4,}$/i.test(w)) ?? 'the';
    const onSearch = await consoleErrorsDuring(async () => {
      await visit(`/search?q=${encodeURIComponent(word)}`);
      await picturesShown('main img');
    });
    expect(await page.locator('main').textContent()).toMatch(/this device/i);
    expect(onSearch).toEqual([]);
  });
});

describe('Latest offline, page by page', () => {
  it('goes on to the older items the device holds, with the links and cursors the edge’s list uses', async () => {
    const { site } = suite.stack;
    await suite.browser.context.setOffline(false);
    // Two articles arrive in one source; the next background refresh pushes two older ones out of the digest.
    const { feeds } = (await (await fetch(`${site}/api/feeds`)).json()) as FeedsResponse;
    const source = feeds.find((feed) => feed.itemCount > 0)!;
    const fresh = ['Lifeboat crew rescues yacht', 'New pontoon opens at the quay'];
    await articlesArrive(suite.stack, source, fresh, { guid: 'paging', firstPage: 9200 });
    const before = (await digestList(page))!.items;
    await control.dispatchPeriodicSync();
    const list = await eventually(
      async () => {
        const kept = await digestList(page);
        return kept?.items.some((item) => item.title === fresh[0]) ? kept : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(list.items).toHaveLength(before.length + 2);
    expect(list.items.slice(-2).map((item) => item.id)).toEqual(before.slice(-2).map((item) => item.id));

    // The edge's own first and second pages, as a reader online sees them.
    const onlineFirst = await (await fetch(`${site}/`)).text();
    const olderHref = /<a href="([^"]+)" rel="next">Older articles<\/a>/.exec(onlineFirst)![1]!.replace(/&amp;/g, '&');
    const onlineSecond = await (await fetch(`${site}${olderHref}`)).text();

    await suite.browser.context.setOffline(true);
    await clearCachedPages(page);
    const first = await visit('/');
    expect(first.response.fromServiceWorker()).toBe(true);
    expect([...itemsIn(await first.response.text()).keys()]).toEqual([...itemsIn(onlineFirst).keys()]);
    const older = page.locator('nav.paging a[rel="next"]');
    expect(await older.textContent()).toBe('Older articles');
    expect(await older.getAttribute('href')).toBe(olderHref);

    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await older.click();
    await page.waitForURL(`${site}${olderHref}`);
    const shown = await page
      .locator('li.item')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-item-id')!));
    expect(shown).toEqual(list.items.slice(20).map((item) => item.id));
    expect(shown).toEqual([...itemsIn(onlineSecond).keys()].slice(0, shown.length));
    expect(await page.locator('[data-device-copy]').count()).toBe(1);
    expect(await page.locator('nav.paging a[rel="next"]').count()).toBe(0);
    expect(await page.locator('nav.paging a', { hasText: 'Newest' }).getAttribute('href')).toBe('/');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
