// The search page online, in real Chromium against the real reader: the edge's results as the edge sends them, and,
// with the page script and the service worker, each that opens offline here marked in the one set of words, then
// the matches only this device holds (a page saved by its address, which the edge's index lacks) in a section of
// their own, never one the edge also finds, on its later pages included. The keys reach them; axe finds nothing in
// light or dark; and when the device cannot answer, the edge's results stand alone.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchResults } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { axeViolations } from './support/axe.ts';
import { browserSuite } from './support/browser-suite.ts';
import {
  askWorker,
  prepareReader,
  runningWorker,
  storedArticles,
  type PreparedReader,
  type StoredArticle,
} from './support/service-worker.ts';

const suite = browserSuite();
let reader: PreparedReader;

beforeAll(async () => {
  reader = await prepareReader(suite.browser.context, suite.stack.site);
}, 60_000);

/** Waits for the outbox to have this entry ready (online, a save drains at once). */
async function readyEntry(match: (record: StoredArticle) => boolean): Promise<StoredArticle> {
  return eventually(
    async () => {
      const record = (await storedArticles(reader.page)).find(match);
      return record?.state === 'ready' ? record : undefined;
    },
    { timeoutMs: 30_000 },
  );
}

async function saveItem(itemId: string, title: string): Promise<void> {
  const reply = await askWorker(reader.page, 'save-article', { itemId, url: `/read/${itemId}`, title });
  expect(reply.ok).toBe(true);
  await readyEntry((record) => record.itemId === itemId);
}

/** The search page online, once the page script has finished with the device's part ('failed' if it could not). */
async function search(page: Page, query: string): Promise<string> {
  await page.goto(`${suite.stack.site}/search?q=${encodeURIComponent(query)}`);
  await page.waitForSelector('body[data-device-hits-shown]');
  return (await page.getAttribute('body', 'data-device-hits-shown')) ?? '';
}

const ids = (page: Page, list: string) =>
  page
    .locator(`${list} li[data-item-id]`)
    .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.itemId ?? ''));
const edgeIds = (page: Page) => ids(page, '[data-edge-results]');
const deviceIds = (page: Page) => ids(page, '[data-device-hits]');
/** A title as a phrase: every word of it, in a row. */
const phrase = (title: string) => `"${title.replace(/"/g, ' ')}"`;
const mark = (page: Page, itemId: string) =>
  page.locator(`li[data-item-id="${itemId}"] [data-offline-mark]`).first().textContent();

/** A page no feed links to: the edge reads it when it is saved by its address, and its search never sees it. */
const generatedPage = () => `${suite.stack.origin.url}/generated/page/4242.html`;

describe('search online: the edge’s results and the device’s, marked', () => {
  it('marks the edge’s hits that open offline: kept, or here for now', async () => {
    const kept = suite.item(0);
    const readBefore = suite.item(1);
    await saveItem(kept.id, kept.title);
    // Read once online: the page is in the bounded articles cache, so it opens offline until it is dropped.
    await reader.page.goto(`${suite.stack.site}/read/${readBefore.id}`);
    await reader.page.locator('article.reader h1').waitFor();

    expect(await search(reader.page, phrase(kept.title))).toBe('0');
    expect(await edgeIds(reader.page)).toContain(kept.id);
    await expect.poll(() => mark(reader.page, kept.id)).toBe('Saved for offline');

    expect(await search(reader.page, phrase(readBefore.title))).toBe('0');
    expect(await edgeIds(reader.page)).toContain(readBefore.id);
    await expect.poll(() => mark(reader.page, readBefore.id)).toBe('Offline for now, may be dropped');
    const elsewhere = (await edgeIds(reader.page)).filter((id) => id !== readBefore.id && id !== kept.id);
    for (const id of elsewhere) expect(await mark(reader.page, id)).toBe('');
  });

  it('lists what only this device holds in its own section, after the edge’s, once; the keys reach it', async () => {
    const reply = await askWorker(reader.page, 'save-page', { pageUrl: generatedPage(), title: 'Report' });
    expect(reply.ok).toBe(true);
    const saved = await readyEntry((record) => record.pageUrl === generatedPage());

    // "winter" is in titles of the sample feeds and in the generated page: both lists, no item in both.
    expect(Number(await search(reader.page, 'winter'))).toBeGreaterThan(0);
    const edge = await edgeIds(reader.page);
    const device = await deviceIds(reader.page);
    // The figure: the edge's results are on screen at first paint; the device's section follows this much later.
    const timing = await reader.page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const section = performance.getEntriesByName('device-hits-shown')[0];
      return { dom: navigation.domContentLoadedEventEnd, device: section?.startTime ?? Number.NaN };
    });
    console.log(
      `search online: edge results at DOMContentLoaded ${timing.dom.toFixed(0)} ms; the device's section ${(timing.device - timing.dom).toFixed(0)} ms after`,
    );
    expect(edge.length).toBeGreaterThan(0);
    expect(device).toEqual([saved.itemId]);
    expect(edge).not.toContain(saved.itemId);
    expect(await reader.page.locator('#device-hits-title').textContent()).toBe('Found only on this device');
    const hit = reader.page.locator(`[data-device-hits] li[data-item-id="${saved.itemId}"]`);
    expect(await hit.locator('.item-title a').textContent()).toBe('Generated report 4242');
    expect(await hit.locator('.item-title a').getAttribute('href')).toBe(`/read/${saved.itemId}`);
    expect(await hit.locator('.search-snippet mark').first().textContent()).toMatch(/^winter$/i);
    await expect.poll(() => mark(reader.page, saved.itemId)).toBe('Saved for offline');
    // The section comes after the edge's results and their paging, in reading order.
    expect(
      await reader.page.evaluate(() => {
        const edgeResults = document.querySelector('[data-edge-results]');
        const deviceHits = document.querySelector('[data-device-hits]');
        return edgeResults?.nextElementSibling === deviceHits;
      }),
    ).toBe(true);

    for (const colorScheme of ['light', 'dark'] as const) {
      await reader.page.emulateMedia({ colorScheme });
      expect(await axeViolations(reader.page)).toEqual([]);
    }
    await reader.page.emulateMedia({ colorScheme: 'light' });
    await reader.page.screenshot({ path: '/tmp/search-both.png', fullPage: true });

    // j moves through the edge's hits and on into the device's; o opens the one selected.
    await reader.page.waitForSelector('body[data-keyboard="on"]');
    for (let n = 0; n <= edge.length; n += 1) await reader.page.keyboard.press('j');
    expect(await reader.page.evaluate(() => (document.activeElement as HTMLElement).dataset.itemId)).toBe(saved.itemId);
    await reader.page.keyboard.press('k');
    expect(await reader.page.evaluate(() => (document.activeElement as HTMLElement).dataset.itemId)).toBe(edge.at(-1));
    await reader.page.keyboard.press('j');
    await reader.page.keyboard.press('o');
    await reader.page.waitForURL(`${suite.stack.site}/read/${saved.itemId}`);

    // Words the edge has nowhere: its empty state stands, and the device's match follows it.
    expect(await search(reader.page, 'generated')).toBe('1');
    expect(await reader.page.locator('[data-edge-results] .empty-state h2').textContent()).toBe('Nothing matches');
    expect(await deviceIds(reader.page)).toEqual([saved.itemId]);
    expect(await axeViolations(reader.page)).toEqual([]);
  });

  it('leaves out a match the edge has on a later page of its results', async () => {
    const common = 'the';
    const whole = (await (await fetch(`${suite.stack.site}/api/search?q=${common}&limit=50`)).json()) as SearchResults;
    expect(whole.items.length).toBeGreaterThan(21);
    const later = whole.items[21]!;
    await saveItem(later.id, later.title);
    await search(reader.page, common);
    expect(await edgeIds(reader.page)).not.toContain(later.id);
    expect(await reader.page.locator('[data-edge-results] a[rel="next"]').count()).toBe(1);
    expect(await deviceIds(reader.page)).not.toContain(later.id);
    // The edge's next page shows it, marked; no second list there.
    await reader.page.locator('[data-edge-results] a[rel="next"]').click();
    await reader.page.waitForSelector('body[data-device-hits-shown]');
    expect(await edgeIds(reader.page)).toContain(later.id);
    await expect.poll(() => mark(reader.page, later.id)).toBe('Saved for offline');
    expect(await reader.page.locator('[data-device-hits]').count()).toBe(0);
  });

  it('keeps the edge’s results, and says nothing of the device, when the device cannot answer', async () => {
    const saved = await readyEntry((record) => record.pageUrl === generatedPage());
    // The worker's storage fails: listing a cache and reading an IndexedDB index throw, as a broken profile's would.
    const worker = await runningWorker(suite.browser.context);
    // (Only what the device's search reads: the precache, which serves the page's script, keeps working.)
    await worker.evaluate(() => {
      Cache.prototype.keys = () => Promise.reject(new DOMException('storage is broken', 'UnknownError'));
      IDBIndex.prototype.getAllKeys = () => {
        throw new DOMException('storage is broken', 'UnknownError');
      };
    });
    const html = await (await fetch(`${suite.stack.site}/search?q=winter`)).text();
    expect(await search(reader.page, 'winter')).toBe('failed');
    const edge = await edgeIds(reader.page);
    expect(edge.length).toBeGreaterThan(0);
    for (const id of edge) expect(html).toContain(`data-item-id="${id}"`);
    expect(edge).not.toContain(saved.itemId);
    expect(await reader.page.locator('[data-device-hits]').count()).toBe(0);
    expect(await reader.page.locator('main').textContent()).not.toMatch(/this device/);
    await reader.control.stopAllWorkers();
  });
});
