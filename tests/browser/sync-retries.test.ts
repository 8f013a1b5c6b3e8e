// Failures, with the browser's own retries (field-trial flags: 1 s apart instead of 5 and 15 minutes). A failing
// origin keeps an article queued through every attempt, up to and past the browser's last chance; the page's own
// trigger then completes it. A removed page fails visibly and is notified once; a failing item never holds up others.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ItemSummary } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import { originPath } from './support/articles.ts';
import { originHits, scriptOrigin, type ScriptedAnswer } from './support/origin-control.ts';
import {
  openControlled,
  prepareReader,
  runningWorker,
  shownNotifications,
  storedArticle,
  storedArticles,
  syncTags,
  type PreparedReader,
} from './support/service-worker.ts';

let reader: PreparedReader;

const suite = browserSuite({ browser: { fastBackgroundSync: true } });

beforeAll(async () => {
  reader = await prepareReader(suite.browser.context, suite.stack.site);
  // No window of the site stays open: the retries seen are the browser's own, not the page's triggers.
  await reader.page.close();
});

const script = (path: string, responses: ScriptedAnswer[]) => scriptOrigin(suite.stack.origin.url, path, responses);
const hits = (path: string) => originHits(suite.stack.origin.url, path);

/** Requests articles from the offline page, as a reader would, then closes the app. */
async function requestOffline(wanted: ItemSummary[]): Promise<void> {
  const { context } = suite.browser;
  const page = await openControlled(context, `${suite.stack.site}/`);
  await context.setOffline(true);
  for (const one of wanted) {
    await page.goto(`${suite.stack.site}/read/${one.id}`);
    await page.locator('[data-offline-request] [data-save-offline]').click();
    await page.waitForSelector(`[data-offline-request] [data-item-id="${one.id}"][data-offline-state="queued"]`);
  }
  await page.close();
}

const syncEvents = () => reader.control.backgroundEvents.filter((event) => event.service === 'backgroundSync');

describe('a failing origin', () => {
  it('keeps the article queued through every browser retry and past the last chance; the page completes it later', async () => {
    const failing = suite.item(0);
    const failure = { status: 500, headers: { 'retry-after': '1' } };
    await script(originPath(failing), [failure, failure, failure]);
    const before = syncEvents().length;
    await requestOffline([failing]);
    await suite.browser.context.setOffline(false);

    // Three dispatches by the browser itself, the third its last chance; each one a real request to the origin.
    const worker = await runningWorker(suite.browser.context);
    await eventually(
      async () =>
        syncEvents()
          .slice(before)
          .filter((e) => e.eventName === 'Dispatched sync event').length >= 3
          ? true
          : undefined,
      { timeoutMs: 45_000 },
    );
    const record = await eventually(async () => {
      const found = await storedArticle(worker, failing.id);
      return found?.state === 'queued' && found.attempts === 3 ? found : undefined;
    });
    expect(record.lastError).toMatch(/500/);
    expect(await hits(originPath(failing))).toBe(3);
    const events = syncEvents().slice(before);
    const dispatches = events.filter((e) => e.eventName === 'Dispatched sync event');
    expect(dispatches.map((e) => e.metadata['Last Chance'] ?? e.metadata.last_chance)).toEqual(['No', 'No', 'Yes']);
    // After its last chance the browser has dropped the registration; the entry is still there, untouched.
    expect(await syncTags(worker)).toEqual([]);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await storedArticle(worker, failing.id))?.state).toBe('queued');

    // The origin is back (its script is used up). Opening the site is all the reader does.
    const page = await openControlled(suite.browser.context, `${suite.stack.site}/`);
    await eventually(async () => ((await storedArticle(page, failing.id))?.state === 'ready' ? true : undefined));
    await page.close();
  });

  it('fails a removed page visibly, notifies it once, and never holds up the others', async () => {
    const gone = suite.item(1);
    const slow = suite.item(2);
    const fine = suite.item(3);
    await script(originPath(gone), [{ status: 404 }]);
    await script(originPath(slow), [{ status: 503, headers: { 'retry-after': '30' } }]);
    await requestOffline([gone, slow, fine]);
    const started = Date.now();
    await suite.browser.context.setOffline(false);
    const worker = await runningWorker(suite.browser.context);

    const settled = await eventually(
      async () => {
        const all = await storedArticles(worker);
        const [g, s, f] = [gone, slow, fine].map((one) => all.find((record) => record.itemId === one.id));
        return g?.state === 'failed' && f?.state === 'ready' && s?.state === 'queued' && s.attempts >= 1
          ? { g, s, f }
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(settled.g.lastError).toMatch(/404|no longer|removed|gone/i);
    // Retry-After: 30 from the origin reaches the worker through the edge, and the entry waits that long.
    expect(settled.s.nextAttemptAt ?? 0).toBeGreaterThanOrEqual(started + 25_000);

    const failed = await eventually(async () => {
      const shown = (await shownNotifications(worker)).filter((n) => n.tag === 'offline-failed');
      return shown.length === 1 ? shown[0] : undefined;
    });
    expect(failed?.title).toBe(`Could not fetch: ${settled.g.title}`);
    expect(failed?.data?.url).toBe('/saved');

    // The page shows the reason on the failed entry's control.
    const page = await openControlled(suite.browser.context, `${suite.stack.site}/read/${fine.id}`);
    await page.waitForSelector(`.save-offline[data-item-id="${fine.id}"][data-offline-state="ready"]`);
    // Later runs do not notify the failure again.
    await page.evaluate(async () => {
      for (const n of await (await navigator.serviceWorker.ready).getNotifications({ tag: 'offline-failed' }))
        n.close();
    });
    await reader.control.dispatchSync();
    await new Promise((r) => setTimeout(r, 3000));
    expect((await shownNotifications(page)).filter((n) => n.tag === 'offline-failed')).toEqual([]);
    expect((await storedArticle(page, gone.id))?.attempts).toBe(1);
    await page.close();
  });
});
