// Offline navigation in real Chromium: the app shell comes from the precache, pages and articles seen before
// from the runtime caches, and anything else gets the offline page, which is accessible and says what still works.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { axeViolations } from './support/axe.ts';
import { browserSuite } from './support/browser-suite.ts';
import { prepareReader } from './support/service-worker.ts';

let page: Page;

const suite = browserSuite();

beforeAll(async () => {
  ({ page } = await prepareReader(suite.browser.context, suite.stack.site));
  // Online, the reader looks at the front page (now through the worker) and one article.
  await page.reload();
  await page.goto(`${suite.stack.site}/read/${suite.items[0]!.id}`);
  await page.goto(`${suite.stack.site}/`);
  await suite.browser.context.setOffline(true);
});

/** Navigates and records which same-origin responses the service worker answered. */
async function visit(path: string) {
  const fromWorker = new Map<string, boolean>();
  const record = (response: import('playwright-core').Response) => {
    const url = new URL(response.url());
    if (url.origin === suite.stack.site) fromWorker.set(url.pathname, response.fromServiceWorker() && response.ok());
  };
  page.on('response', record);
  await page.goto(`${suite.stack.site}${path}`);
  await page.waitForLoadState('load');
  page.off('response', record);
  return fromWorker;
}

it('serves the app shell and the front page with the network down', async () => {
  const served = await visit('/');
  expect(served.get('/')).toBe(true);
  expect(served.get('/app.js')).toBe(true);
  expect(served.get('/reader.css')).toBe(true);
  expect(await page.locator('[data-item-id]').count()).toBeGreaterThan(0);
  const indicator = page.locator('#connectivity');
  await indicator.waitFor({ state: 'visible' });
  expect(await indicator.textContent()).toMatch(/^Offline/);
  expect(await page.evaluate(() => document.documentElement.dataset.connectivity)).toBe('offline');
});

it('opens an article read before, from cache', async () => {
  const served = await visit(`/read/${suite.items[0]!.id}`);
  expect(served.get(`/read/${suite.items[0]!.id}`)).toBe(true);
  expect(await page.locator('article.reader h1').textContent()).toBe(suite.items[0]!.title);
});

it('shows the offline page for a page never seen, without the article request', async () => {
  await visit('/sources');
  expect(await page.locator('main h1').textContent()).toBe('You are offline');
  // Only saved or prefetched articles are listed (one merely read is in a bounded cache); the list says so.
  await page.locator('[data-offline-list]', { hasText: 'Nothing is saved on this device yet.' }).waitFor();
  // Checked once the page's script has run (the list above is its work), so "hidden" is its verdict, not a race.
  expect(await page.locator('[data-offline-request]').isHidden()).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: '/tmp/offline-page.png', fullPage: true });
});

it('offers an article never seen, and the offline page itself is precached', async () => {
  await visit(`/read/${suite.items[1]!.id}`);
  // The offline page's script reveals the request for the article the reader wanted, after load.
  await page.locator('[data-offline-request]').waitFor({ state: 'visible', timeout: 10_000 });
  expect(await page.locator('[data-offline-request] [data-save-offline]').textContent()).toBe("Get it when I'm back online");
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: '/tmp/offline-request.png', fullPage: true });
  const served = await visit('/offline');
  expect(served.get('/offline')).toBe(true);
});
