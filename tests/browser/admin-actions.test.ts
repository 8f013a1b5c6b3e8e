// Changes to the sources made offline, in real Chromium with the real service worker: the outbox keeps them without
// the admin token (the worker asks an open window for it when it sends), Forget leaves no copy anywhere, a refused
// change is notified and offered Retry / Remove on /sources, a replayed DELETE that finds the source gone is done,
// and an action or entry may only point at this site, however its address is spelled.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FeedsResponse } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import {
  askWorker,
  openControlled,
  outboxDump,
  prepareReader,
  runningWorker,
  shownNotifications,
  storedActions,
  storedArticle,
} from './support/service-worker.ts';
import { ADMIN_TOKEN } from './support/stack.ts';

const suite = browserSuite();

async function feeds(): Promise<FeedsResponse['feeds']> {
  return ((await (await fetch(`${suite.stack.site}/api/feeds`)).json()) as FeedsResponse).feeds;
}

async function enterToken(page: Page, token = ADMIN_TOKEN): Promise<void> {
  await page.locator('#admin-token').fill(token);
  await page.getByRole('button', { name: 'Remember' }).click();
}

/** Every message the worker sends this page, kept for the test to read. */
async function recordWorkerMessages(page: Page): Promise<() => Promise<string>> {
  await page.evaluate(() => {
    const seen: unknown[] = [];
    (window as unknown as { workerMessages: unknown[] }).workerMessages = seen;
    navigator.serviceWorker.addEventListener('message', (event) => seen.push(event.data));
  });
  return () => page.evaluate(() => JSON.stringify((window as unknown as { workerMessages: unknown[] }).workerMessages));
}

describe('a change to the sources made offline', () => {
  it('is queued without the admin token and sent with the token the page holds when it goes', async () => {
    const { context } = suite.browser;
    const { page: front } = await prepareReader(context, suite.stack.site);
    await front.close();
    const page = await openControlled(context, `${suite.stack.site}/sources`);
    await enterToken(page);
    const messages = await recordWorkerMessages(page);
    const feed = (await feeds())[0]!;

    await context.setOffline(true);
    await page.locator(`[data-remove-feed="${feed.id}"]`).click();
    await eventually(async () =>
      (await page.locator('#sources-status').innerText()).match(/You are offline/) ? true : undefined,
    );
    const [queued, ...others] = await storedActions(page);
    expect(others).toEqual([]);
    expect(queued).toMatchObject({ method: 'DELETE', path: `/api/feeds/${feed.id}`, admin: true, state: 'queued' });
    expect(queued).not.toHaveProperty('headers');
    expect(await outboxDump(page)).not.toContain(ADMIN_TOKEN);
    await page.locator(`#pending-changes li[data-action-id="${queued!.id}"]`).waitFor();

    await context.setOffline(false);
    await eventually(async () => ((await storedActions(page)).length === 0 ? true : undefined), { timeoutMs: 30_000 });
    expect((await feeds()).map((f) => f.id)).not.toContain(feed.id);
    await page.locator('#pending-changes li').first().waitFor({ state: 'detached' });
    // Announced to every window of the site, and never with the token.
    expect(await messages()).toContain(queued!.id);
    expect(await messages()).not.toContain(ADMIN_TOKEN);
    await page.close();
  });

  it('after Forget, fails visibly (told on the page, not the tray, while it is on screen); Retry with the token entered again sends it', async () => {
    const { context } = suite.browser;
    const page = await openControlled(context, `${suite.stack.site}/sources`);
    const gone = `${suite.stack.origin.url}/site/feeds/harbour-courier.rss`;
    const known = (await feeds()).find((f) => f.url === gone);
    if (known) {
      await fetch(`${suite.stack.site}/api/feeds/${known.id}`, { method: 'DELETE', headers: suite.stack.admin });
      await page.reload();
    }
    await enterToken(page);

    await context.setOffline(true);
    await page.locator('#add-feed-url').fill(gone);
    await page.getByRole('button', { name: 'Add source' }).click();
    await eventually(async () =>
      (await page.locator('#sources-status').innerText()).match(/You are offline/) ? true : undefined,
    );
    await page.locator('#forget-admin-token').click();
    await eventually(async () =>
      (await page.locator('#sources-status').innerText()).match(/forgotten/) ? true : undefined,
    );
    expect(await page.evaluate(() => localStorage.getItem('reader.admin-token'))).toBeNull();
    expect(await outboxDump(page)).not.toContain(ADMIN_TOKEN);

    await context.setOffline(false);
    const row = page.locator('#pending-changes li[data-action-state="failed"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('.saved-reason').innerText()).toMatch(/No admin token in this browser/);
    // The page is on screen and shows the failure with its reason, so no system notification interrupts (the reader is
    // notified only when no window of the site is looking: tests/unit/notify-batch.test.ts); the failure is marked
    // told all the same, so leaving the page replays nothing.
    const worker = await runningWorker(context);
    const [failed] = await eventually(async () => {
      const actions = await storedActions(page);
      return actions[0]?.notified ? actions : undefined;
    });
    expect(failed).toMatchObject({ state: 'failed', notified: true });
    expect((await shownNotifications(worker)).filter((n) => n.tag === 'action-failed')).toEqual([]);

    await enterToken(page);
    await row.getByRole('button', { name: /Retry/ }).click();
    await eventually(async () => ((await storedActions(page)).length === 0 ? true : undefined), { timeoutMs: 30_000 });
    expect((await feeds()).map((f) => f.url)).toContain(gone);
    await page.close();
  });

  it('waits, uncounted, while no window of the site is open, and goes when one opens', async () => {
    const { context } = suite.browser;
    const { control, page } = await prepareReader(context, suite.stack.site);
    await page.goto(`${suite.stack.site}/sources`);
    await enterToken(page);
    // Queued straight into the worker (nothing asks for a drain), then the last window of the site closes.
    const queued = await askWorker(page, 'queue-action', {
      method: 'DELETE',
      path: '/api/feeds/999999',
      admin: true,
      label: 'Remove a source',
    });
    expect(queued.ok).toBe(true);
    const { id } = queued.value as { id: string };
    await page.close();
    const worker = await runningWorker(context);
    await control.dispatchSync();
    const waiting = await eventually(
      async () => {
        const action = (await storedActions(worker)).find((a) => a.id === id);
        return action?.lastError?.match(/Waiting for the Reader to be open/) ? action : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(waiting).toMatchObject({ state: 'queued', attempts: 0 });
    expect(await outboxDump(worker)).not.toContain(ADMIN_TOKEN);
    // Opening any page of the site sends it: a DELETE the server answers 404 (already gone) is done, not failed.
    const reader = await openControlled(context, `${suite.stack.site}/saved`);
    await eventually(async () => ((await storedActions(reader)).some((a) => a.id === id) ? undefined : true), {
      timeoutMs: 30_000,
    });
    expect(
      (await shownNotifications(reader)).filter(
        (n) => n.tag === 'action-failed' && n.data?.items.some((i) => i.itemId === id),
      ),
    ).toEqual([]);
    await reader.close();
  });
});

describe('addresses handed to the worker', () => {
  const hostile = [
    '/\\evil.example/api/feeds',
    '//evil.example/x',
    '/\\/evil.example',
    'https://evil.example/',
    '/\t/evil.example',
    '/\n/evil.example',
    '\t//evil.example',
    '/\\\tevil.example/x',
  ];

  it('refuses an action to any other origin, and opens entries only on this site', async () => {
    const { context } = suite.browser;
    const page = await openControlled(context, `${suite.stack.site}/saved`);
    for (const path of hostile) {
      const reply = await askWorker(page, 'queue-action', { method: 'POST', path, admin: false, label: 'x' });
      expect(reply, JSON.stringify(path)).toMatchObject({
        ok: false,
        error: 'An action must go to a path on this site.',
      });
      const itemId = `hostile${hostile.indexOf(path)}`;
      await askWorker(page, 'save-article', { itemId, url: path, title: 'x' });
      expect((await storedArticle(page, itemId))?.url, JSON.stringify(path)).toBe(`/read/${itemId}`);
      await askWorker(page, 'remove-article', { itemId });
    }
    expect(await storedActions(page)).toEqual([]);
    // This site's own addresses, relative or absolute, are taken as they are.
    await askWorker(page, 'save-article', { itemId: 'ownpage', url: `${suite.stack.site}/read/ownpage`, title: 'x' });
    expect((await storedArticle(page, 'ownpage'))?.url).toBe(`${suite.stack.site}/read/ownpage`);
    await askWorker(page, 'remove-article', { itemId: 'ownpage' });
    await page.close();
  });
});

describe('an outbox written by the previous version', () => {
  it('loses the admin tokens it copied into queued actions when the worker opens it', async () => {
    const browser = suite.browser.context.browser();
    if (!browser) throw new Error('this suite needs a browser it can open a second context in');
    const context = await browser.newContext();
    try {
      // A page of the site with no script and no service worker yet, to write version 1's database as it was.
      await context.route(`${suite.stack.site}/legacy-seed`, (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>seed</title>' }),
      );
      const seed = await context.newPage();
      await seed.goto(`${suite.stack.site}/legacy-seed`);
      await seed.evaluate(
        (token) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('offline-reader', 1);
            open.onupgradeneeded = () => {
              const db = open.result;
              db.createObjectStore('articles', { keyPath: 'itemId' }).createIndex('by-state', 'state');
              db.createObjectStore('actions', { keyPath: 'id' }).createIndex('by-state', 'state');
              db.createObjectStore('settings');
              db.createObjectStore('activity', { keyPath: 'id', autoIncrement: true });
              db.createObjectStore('remembered');
              open.transaction!.objectStore('actions').put({
                id: 'legacy',
                method: 'DELETE',
                path: '/api/feeds/999998',
                label: 'Remove a source',
                headers: { Authorization: `Bearer ${token}` },
                state: 'failed',
                attempts: 1,
                nextAttemptAt: null,
                lastError: 'Refused',
                createdAt: Date.now(),
                lease: null,
              });
            };
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              open.result.close();
              resolve();
            };
          }),
        ADMIN_TOKEN,
      );
      await seed.close();
      const page = await openControlled(context, `${suite.stack.site}/saved`);
      await page.locator('#offline-waiting li[data-action-id="legacy"]').waitFor();
      const [legacy] = await storedActions(page);
      expect(legacy).toMatchObject({ id: 'legacy', admin: true, state: 'failed' });
      expect(legacy).not.toHaveProperty('headers');
      expect(await outboxDump(page)).not.toContain(ADMIN_TOKEN);
    } finally {
      await context.close();
    }
  });
});
