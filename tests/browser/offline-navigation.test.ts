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
  // What opens offline is listed, whatever put it on the device: here the article read before, and nothing else.
  const listed = page.locator('[data-offline-list] a');
  await listed.first().waitFor();
  expect(await listed.evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
    `/read/${suite.items[0]!.id}`,
  ]);
  // Checked once the page's script has run (the list above is its work), so "hidden" is its verdict, not a race.
  expect(await page.locator('[data-offline-request]').isHidden()).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: '/tmp/offline-page.png', fullPage: true });
});

it('offers an article never seen, and the offline page itself is precached', async () => {
  await visit(`/read/${suite.items[1]!.id}`);
  // The offline page's script reveals the request for the article the reader wanted, after load.
  await page.locator('[data-offline-request]').waitFor({ state: 'visible', timeout: 10_000 });
  expect(await page.locator('[data-offline-request] [data-save-offline]').textContent()).toBe(
    "Get it when I'm back online",
  );
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: '/tmp/offline-request.png', fullPage: true });
  const served = await visit('/offline');
  expect(served.get('/offline')).toBe(true);
});

it('opens Saved and Settings, never visited online, from the precache: they are the same for every reader', async () => {
  for (const [path, title] of [
    ['/saved', 'Saved for offline'],
    ['/settings', 'Settings'],
  ] as const) {
    const served = await visit(path);
    expect(served.get(path), path).toBe(true);
    expect(await page.locator('main h1').textContent()).toBe(title);
  }
  expect(await axeViolations(page)).toEqual([]);
});

it('shows pictures that are not on the device as inert placeholders: no failed load, no console error', async () => {
  // Pictures the reader has not kept: none in the runtime cache either, so every one must come from the network.
  await page.evaluate(async () => {
    for (const name of await caches.keys()) if (name.startsWith('reader-images')) await caches.delete(name);
  });
  const errors: string[] = [];
  const failed: string[] = [];
  const onConsole = (message: import('playwright-core').ConsoleMessage) => {
    if (message.type() === 'error') errors.push(message.text());
  };
  const onFailed = (request: import('playwright-core').Request) => failed.push(request.url());
  page.on('console', onConsole);
  page.on('requestfailed', onFailed);
  await visit('/');
  // Lazy pictures load once near the viewport: scroll through the list so every one is asked for.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(() => [...document.images].every((img) => img.complete), null, { timeout: 10_000 });
  const pictures = await page.evaluate(() =>
    [...document.images]
      .filter((img) => img.src.includes('/img?u='))
      .map((img) => ({ src: img.src, naturalWidth: img.naturalWidth })),
  );
  page.off('console', onConsole);
  page.off('requestfailed', onFailed);
  expect(pictures.length).toBeGreaterThan(0);
  for (const picture of pictures) expect(picture.naturalWidth, picture.src).toBeGreaterThan(0);
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
});
