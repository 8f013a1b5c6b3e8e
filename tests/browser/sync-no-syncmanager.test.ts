// A browser without Background Sync (Firefox, Safari), simulated by deleting SyncManager before any page script
// runs: the same outbox completes through the page's own triggers (load, `online`), and no sync is registered.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ItemSummary } from '../../worker-edge/api/contract.ts';
import { eventually } from '../support/eventually.ts';
import { articleItems } from './support/articles.ts';
import { launchChromium, type LaunchedBrowser } from './support/chromium.ts';
import { pick, requestWhileOffline } from './support/offline-requests.ts';
import { openControlled, prepareReader, runningWorker, shownNotifications, storedArticle, type PreparedReader } from './support/service-worker.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: LaunchedBrowser;
let reader: PreparedReader;
let items: ItemSummary[];

beforeAll(async () => {
  stack = await startStack();
  items = await articleItems(stack.site);
  browser = await launchChromium();
  await browser.context.addInitScript(() => {
    delete (window as { SyncManager?: unknown }).SyncManager;
    delete (ServiceWorkerRegistration.prototype as { sync?: unknown }).sync;
  });
  reader = await prepareReader(browser.context, stack.site);
  await reader.page.close();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const registeredSyncs = () => reader.control.backgroundEvents.filter((event) => event.eventName === 'Registered sync');

it('drains on `online` while the page is open', async () => {
  const [wanted] = pick(items, 0, 1);
  const page = await requestWhileOffline(browser.context, stack.site, [wanted!], { keepOpen: true });
  expect(await page.evaluate(() => 'SyncManager' in window || 'sync' in ServiceWorkerRegistration.prototype)).toBe(false);
  await browser.context.setOffline(false);
  await page.waitForSelector(`[data-item-id="${wanted!.id}"][data-offline-state="ready"]`, { timeout: 20_000 });
  expect(await shownNotifications(page)).toEqual([expect.objectContaining({ title: expect.stringMatching(/^Ready to read offline: /), tag: 'offline-ready' })]);
  expect(registeredSyncs()).toEqual([]);
  await page.close();
});

it('waits with the app closed, and drains when the site is opened again', async () => {
  const [wanted] = pick(items, 1, 1);
  await requestWhileOffline(browser.context, stack.site, [wanted!]);
  await browser.context.setOffline(false);
  // Nothing can wake the worker with the app closed when there is no Background Sync.
  await new Promise((r) => setTimeout(r, 3000));
  expect((await storedArticle(await runningWorker(browser.context), wanted!.id))?.state).toBe('queued');

  const page = await openControlled(browser.context, `${stack.site}/`);
  await eventually(async () => ((await storedArticle(page, wanted!.id))?.state === 'ready' ? true : undefined));
  expect(registeredSyncs()).toEqual([]);
  await page.close();
});
