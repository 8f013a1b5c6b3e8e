// A new version of the service worker arrives while articles are queued. It waits (the open page is never taken
// over behind the reader's back), the page offers to reload, and once the reader accepts, the new version takes
// the same outbox and completes it.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import { originPath } from './support/articles.ts';
import { pick, requestWhileOffline } from './support/offline-requests.ts';
import { scriptOrigin } from './support/origin-control.ts';
import { openControlled, prepareReader, runningWorker, storedArticles } from './support/service-worker.ts';

const builtWorker = resolve(import.meta.dirname, '../../dist/assets/sw.js');

let original: string | null = null;

const suite = browserSuite();

beforeAll(async () => {
  const { page } = await prepareReader(suite.browser.context, suite.stack.site);
  await page.close();
});

afterAll(async () => {
  if (original !== null) writeFileSync(builtWorker, original);
  await suite.browser?.close();
  await suite.stack?.stop();
});

it('completes the queue under the new version, which takes over only when the reader reloads', async () => {
  const wanted = pick(suite.items, 0, 2);
  const ids = wanted.map((one) => one.id);
  for (const one of wanted) {
    await scriptOrigin(suite.stack.origin.url, originPath(one), [{ status: 503, headers: { 'retry-after': '6' } }]);
  }
  await requestWhileOffline(suite.browser.context, suite.stack.site, wanted);
  await suite.browser.context.setOffline(false);
  const oldWorker = await runningWorker(suite.browser.context);
  await eventually(async () => {
    const records = (await storedArticles(oldWorker)).filter((record) => ids.includes(record.itemId));
    return records.length === 2 && records.every((record) => record.state === 'queued' && record.attempts === 1)
      ? true
      : undefined;
  });

  // A new build of the worker, byte-different, marked so the test can tell which version runs.
  original = readFileSync(builtWorker, 'utf8');
  writeFileSync(builtWorker, `${original}\nself.__testVersion = 2;\n`);
  const page = await openControlled(suite.browser.context, `${suite.stack.site}/`);
  await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
  const notice = page.locator('[data-update-ready]');
  await notice.waitFor({ timeout: 20_000 });
  // Waiting, not active: the open page still runs on the old version.
  expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(
    true,
  );

  await Promise.all([page.waitForEvent('load'), notice.locator('button').click()]);
  const newWorker = await eventually(async () => {
    const latest = suite.browser.context.serviceWorkers().at(-1);
    return latest && (await latest.evaluate(() => (self as unknown as { __testVersion?: number }).__testVersion)) === 2
      ? latest
      : undefined;
  });
  const records = await eventually(
    async () => {
      const all = (await storedArticles(page)).filter((record) => ids.includes(record.itemId));
      return all.length === 2 && all.every((record) => record.state === 'ready') ? all : undefined;
    },
    { timeoutMs: 30_000 },
  );
  expect(records.map((record) => record.attempts)).toEqual([2, 2]);
  expect(await newWorker.evaluate(() => (self as unknown as { __testVersion?: number }).__testVersion)).toBe(2);
  await page.close();
});
