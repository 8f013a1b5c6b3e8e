// The service worker killed in the middle of a sync (CDP ServiceWorker.stopAllWorkers): the entries it was
// fetching are leased to a worker that no longer exists, so the next one takes them back. Nothing is lost, and
// nothing is doubled: one entry per article, one cached copy per URL, one notification.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ItemSummary } from '../../worker-edge/api/contract.ts';
import { eventually } from '../support/eventually.ts';
import { articleItems } from './support/articles.ts';
import { launchChromium, type LaunchedBrowser } from './support/chromium.ts';
import { pick, requestWhileOffline } from './support/offline-requests.ts';
import { cachedPaths, prepareReader, runningWorker, shownNotifications, storedArticles, type PreparedReader } from './support/service-worker.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: LaunchedBrowser;
let reader: PreparedReader;
let items: ItemSummary[];

beforeAll(async () => {
  // Every request to the origin takes a while, so the sync is still fetching when the worker is killed.
  stack = await startStack({ latencyMs: 700 });
  items = await articleItems(stack.site);
  browser = await launchChromium({ fastBackgroundSync: true });
  reader = await prepareReader(browser.context, stack.site);
  await reader.page.close();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('loses nothing and duplicates nothing when the worker is stopped mid-sync', async () => {
  const wanted = pick(items, 0, 6);
  const ids = wanted.map((one) => one.id).sort();
  await requestWhileOffline(browser.context, stack.site, wanted);
  await browser.context.setOffline(false);

  const worker = await runningWorker(browser.context);
  await eventually(async () => ((await storedArticles(worker)).some((record) => record.state === 'fetching') ? true : undefined), { everyMs: 50 });
  await reader.control.stopAllWorkers();
  expect(browser.context.serviceWorkers().length).toBeLessThanOrEqual(1);

  // The browser counts the killed event as a failed attempt and retries (1 s later here); the new worker takes
  // back the leases the old one held.
  const records = await eventually(async () => {
    const latest = await runningWorker(browser.context);
    const all = (await storedArticles(latest)).filter((record) => ids.includes(record.itemId));
    return all.length === 6 && all.every((record) => record.state === 'ready') ? all : undefined;
  }, { timeoutMs: 60_000 });
  for (const record of records) {
    expect(record.attempts).toBeLessThanOrEqual(2);
    expect(record.notified).toBe(true);
  }

  const latest = await runningWorker(browser.context);
  const saved = await cachedPaths(latest, 'reader-saved-v1');
  expect(new Set(saved).size).toBe(saved.length);
  for (const record of records) {
    for (const url of record.cachedUrls) expect(saved).toContain(new URL(url).pathname + new URL(url).search);
  }
  expect(records.filter((record) => record.attempts === 2).length).toBeGreaterThan(0);

  const shown = await eventually(async () => {
    const ready = (await shownNotifications(latest)).filter((n) => n.tag === 'offline-ready');
    return ready.length === 1 && ready[0]?.data?.items.length === 6 ? ready : undefined;
  });
  expect(shown[0]?.data?.items.map((i) => i.itemId).sort()).toEqual(ids);
  expect(shown[0]?.title).toBe('6 articles ready to read offline');
});
