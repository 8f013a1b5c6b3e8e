// The service worker killed in the middle of a sync (CDP ServiceWorker.stopAllWorkers): the entries it was
// fetching are leased to a worker that no longer exists, so the next one takes them back. Nothing is lost, and
// nothing is doubled: one entry per article, one cached copy per URL, one notification.
import { beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import { pick, requestWhileOffline } from './support/offline-requests.ts';
import {
  cachedPaths,
  prepareReader,
  runningWorker,
  shownNotifications,
  storedArticles,
  type PreparedReader,
} from './support/service-worker.ts';

let reader: PreparedReader;

// Every request to the origin takes a while, so the sync is still fetching when the worker is killed.
const suite = browserSuite({ stack: { latencyMs: 700 }, browser: { fastBackgroundSync: true } });

beforeAll(async () => {
  reader = await prepareReader(suite.browser.context, suite.stack.site);
  await reader.page.close();
});

it('loses nothing and duplicates nothing when the worker is stopped mid-sync', async () => {
  const wanted = pick(suite.items, 0, 6);
  const ids = wanted.map((one) => one.id).sort();
  await requestWhileOffline(suite.browser.context, suite.stack.site, wanted);
  await suite.browser.context.setOffline(false);

  const worker = await runningWorker(suite.browser.context);
  await eventually(
    async () => ((await storedArticles(worker)).some((record) => record.state === 'fetching') ? true : undefined),
    { everyMs: 50 },
  );
  await reader.control.stopAllWorkers();
  expect(suite.browser.context.serviceWorkers().length).toBeLessThanOrEqual(1);

  // The browser counts the killed event as a failed attempt and retries (1 s later here); the new worker takes
  // back the leases the old one held.
  const records = await eventually(
    async () => {
      const latest = await runningWorker(suite.browser.context);
      const all = (await storedArticles(latest)).filter((record) => ids.includes(record.itemId));
      // Notified is set when the run ends, after its last article is ready: wait for that too.
      return all.length === 6 && all.every((record) => record.state === 'ready' && record.notified) ? all : undefined;
    },
    { timeoutMs: 60_000 },
  );
  for (const record of records) {
    expect(record.attempts).toBeLessThanOrEqual(2);
    expect(record.notified).toBe(true);
  }

  const latest = await runningWorker(suite.browser.context);
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
