// Another site linking to /share, in real Chromium: a page on a second loopback origin (127.0.0.1, another site than
// localhost) links to the reader's share target with an address and a title of its choosing. Nothing is saved, and
// no notification carries its title, until the reader taps Save, online (the edge sees Sec-Fetch-Site: cross-site)
// and offline (the service worker sees no such header, so the offline page always asks). The share sheet
// (Sec-Fetch-Site: none) and the site's own pages still save at once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import {
  openControlled,
  prepareReader,
  runningWorker,
  shownNotifications,
  storedArticles,
} from './support/service-worker.ts';

const suite = browserSuite();
const BAIT = 'You won a prize: call this number';
let elsewhere: Server;
let elsewhereUrl: string;

const sharedPage = (name: string) => `${suite.stack.origin.url}/site/europa/${name}`;
const shareLink = (page: string) =>
  `${suite.stack.site}/share?url=${encodeURIComponent(page)}&title=${encodeURIComponent(BAIT)}`;

beforeAll(async () => {
  // The other site: one page whose only content is a link to the reader's share target, given as ?to=.
  elsewhere = createServer((req, res) => {
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Elsewhere</title><a id="bait" href="${to.replace(/"/g, '&quot;')}">Read this</a>`);
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => elsewhere?.close(resolve));
});

async function followBait(page: Page, target: string): Promise<void> {
  await page.goto(`${elsewhereUrl}?to=${encodeURIComponent(target)}`);
  await Promise.all([page.waitForURL(/\/share\?/), page.locator('#bait').click()]);
}

const keptFor = async (page: Page, address: string) =>
  (await storedArticles(page)).filter((record) => record.pageUrl === address);
const savedIds = async (page: Page) =>
  (await storedArticles(page))
    .filter((record) => record.saved)
    .map((record) => record.itemId)
    .sort();

/** Nothing the reader saves (by address or by article) appeared since `before`, and no notice names the bait. */
async function expectNothingSaved(page: Page, before: string[]): Promise<void> {
  // Long enough for a save that started by itself to show up in the outbox.
  await page.waitForTimeout(1500);
  expect(await savedIds(page)).toEqual(before);
  expect(JSON.stringify(await shownNotifications(page))).not.toContain(BAIT);
}

describe('a link to /share from another site', () => {
  it('online: shows the page and saves only after a tap on Save', async () => {
    const { context } = suite.browser;
    const { page } = await prepareReader(context, suite.stack.site);
    const address = sharedPage('lisbon-cafes.html');
    const before = await savedIds(page);
    await followBait(page, shareLink(address));
    expect(await page.locator('[data-share-url]').getAttribute('data-share-at-once')).toBeNull();
    await page.getByRole('button', { name: 'Save for offline' }).waitFor();
    expect(await page.locator('#share-status').innerText()).toMatch(/Not saved yet/);
    await expectNothingSaved(page, before);

    await page.getByRole('button', { name: 'Save for offline' }).click();
    await eventually(
      async () => ((await page.locator('#share-status').innerText()).match(/Ready to read offline/) ? true : undefined),
      { timeoutMs: 30_000 },
    );
    const itemId = (await page.locator('#share-status a').getAttribute('href'))?.replace('/read/', '');
    expect((await storedArticles(page)).find((record) => record.itemId === itemId)).toMatchObject({
      state: 'ready',
      saved: true,
    });
    await page.close();
  });

  it('offline: the offline page shows the address and queues it only after a tap on Save', async () => {
    const { context } = suite.browser;
    const page = await openControlled(context, `${suite.stack.site}/saved`);
    const address = sharedPage('zurich-lake-baths.html');
    const before = await savedIds(page);
    await page.goto(`${elsewhereUrl}?to=${encodeURIComponent(shareLink(address))}`);
    await context.setOffline(true);
    try {
      await Promise.all([page.waitForURL(/\/share\?/), page.locator('#bait').click()]);
      expect(await page.locator('main h1').textContent()).toBe('You are offline');
      await page.getByRole('button', { name: 'Save for offline' }).waitFor();
      expect(await page.locator('[data-offline-share] [data-share-title]').textContent()).toBe(BAIT);
      await expectNothingSaved(page, before);

      await page.getByRole('button', { name: 'Save for offline' }).click();
      await eventually(async () =>
        (await page.locator('#share-status').innerText()).match(/in your outbox/) ? true : undefined,
      );
      expect(await keptFor(page, address)).toMatchObject([{ state: 'queued', saved: true }]);
    } finally {
      await context.setOffline(false);
    }
    const worker = await runningWorker(context);
    const ready = await eventually(
      async () => {
        const [record] = (await storedArticles(worker)).filter((r) => r.pageUrl === address);
        return record?.state === 'ready' ? record : undefined;
      },
      { timeoutMs: 30_000 },
    );
    // The reader tapped Save, so the notice may come; it names the page by the publisher's own title.
    expect(ready.title).not.toBe(BAIT);
    await page.close();
  });
});

describe('the reader sharing a page', () => {
  it('from the share sheet (Sec-Fetch-Site: none) or from the site itself, saves at once', async () => {
    const { context } = suite.browser;
    await prepareReader(context, suite.stack.site);
    // The share sheet opens the app at the address, as the address bar does: a navigation no page started.
    const sheet = await context.newPage();
    const fromSheet = sharedPage('madrid-churros.html');
    await sheet.goto(shareLink(fromSheet));
    expect(await sheet.locator('[data-share-url]').getAttribute('data-share-at-once')).toBe('');
    await eventually(
      async () =>
        (await sheet.locator('#share-status').innerText()).match(/Ready to read offline/) ? true : undefined,
      { timeoutMs: 30_000 },
    );
    expect(await sheet.getByRole('button', { name: 'Save for offline' }).count()).toBe(0);

    const own = await openControlled(context, `${suite.stack.site}/saved`);
    const fromSite = sharedPage('marche-des-capucins.html');
    await own.evaluate((to) => location.assign(to), `/share?url=${encodeURIComponent(fromSite)}`);
    await own.waitForURL(/\/share\?/);
    expect(await own.locator('[data-share-url]').getAttribute('data-share-at-once')).toBe('');
    await eventually(
      async () => ((await own.locator('#share-status').innerText()).match(/Ready to read offline/) ? true : undefined),
      { timeoutMs: 30_000 },
    );
    await sheet.close();
    await own.close();
  });
});
