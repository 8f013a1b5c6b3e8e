// A browser without Background Sync (Firefox, Safari), simulated by deleting SyncManager before any page script
// runs: the same outbox completes through the page's own triggers (load, `online`), and no sync is registered.
import { beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import { pick, requestWhileOffline } from './support/offline-requests.ts';
import {
  openControlled,
  prepareReader,
  runningWorker,
  shownNotifications,
  storedArticle,
  type PreparedReader,
} from './support/service-worker.ts';

let reader: PreparedReader;

const suite = browserSuite();

beforeAll(async () => {
  await suite.browser.context.addInitScript(() => {
    delete (window as { SyncManager?: unknown }).SyncManager;
    delete (ServiceWorkerRegistration.prototype as { sync?: unknown }).sync;
  });
  reader = await prepareReader(suite.browser.context, suite.stack.site);
  await reader.page.close();
});

const registeredSyncs = () => reader.control.backgroundEvents.filter((event) => event.eventName === 'Registered sync');

it('drains on `online` while the page is open', async () => {
  const [wanted] = pick(suite.items, 0, 1);
  const page = await requestWhileOffline(suite.browser.context, suite.stack.site, [wanted!], { keepOpen: true });
  expect(await page.evaluate(() => 'SyncManager' in window || 'sync' in ServiceWorkerRegistration.prototype)).toBe(
    false,
  );
  await suite.browser.context.setOffline(false);
  await page.waitForSelector(`[data-item-id="${wanted!.id}"][data-offline-state="ready"]`, { timeout: 20_000 });
  // The page on screen shows it ready; no notification interrupts the reader who is looking at it.
  await eventually(async () => ((await storedArticle(page, wanted!.id))?.notified ? true : undefined));
  expect(await shownNotifications(page)).toEqual([]);
  expect(registeredSyncs()).toEqual([]);
  await page.close();
});

it('waits with the app closed, and drains when the site is opened again', async () => {
  const [wanted] = pick(suite.items, 1, 1);
  await requestWhileOffline(suite.browser.context, suite.stack.site, [wanted!]);
  await suite.browser.context.setOffline(false);
  // Nothing can wake the worker with the app closed when there is no Background Sync.
  await new Promise((r) => setTimeout(r, 3000));
  expect((await storedArticle(await runningWorker(suite.browser.context), wanted!.id))?.state).toBe('queued');

  const page = await openControlled(suite.browser.context, `${suite.stack.site}/`);
  await eventually(async () => ((await storedArticle(page, wanted!.id))?.state === 'ready' ? true : undefined));
  expect(registeredSyncs()).toEqual([]);
  await page.close();
});
