// A page shared to the installed app while offline, in real Chromium: the share screen cannot load, so the service
// worker shows the offline page, which offers to save it (the worker cannot tell the share sheet from another site's
// link, so it waits for a tap); Save puts it in the outbox by its address. The reader closes the app; back online,
// `sync` has the edge read the page, caches it, files it under its article's id and notifies. Sharing it again finds
// the same entry without asking; a page that cannot be read fails visibly, with the edge's reason.
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import {
  cachedPaths,
  openControlled,
  prepareReader,
  runningWorker,
  shownNotifications,
  storedArticles,
  syncTags,
  type StoredArticle,
} from './support/service-worker.ts';

const shareAddress = (site: string, page: string, title: string) =>
  `${site}/share?title=${encodeURIComponent(title)}&text=${encodeURIComponent(`Worth reading ${page}`)}`;

const byAddress = (records: StoredArticle[], pageUrl: string) => records.filter((record) => record.pageUrl === pageUrl);

const suite = browserSuite();

describe('a page shared to the app while offline', () => {
  const shared = () => `${suite.stack.origin.url}/site/europa/zurich-lake-baths.html`;

  it('is queued by its address, fetched by `sync` with the app closed, filed under its article and notified', async () => {
    const { context } = suite.browser;
    const { page } = await prepareReader(context, suite.stack.site);
    await context.setOffline(true);
    await page.goto(shareAddress(suite.stack.site, shared(), 'Lake baths'));
    expect(await page.locator('main h1').textContent()).toBe('You are offline');
    // The offline page's script fills in the share (title, Save) once the worker answers.
    await page.getByRole('button', { name: 'Save for offline' }).waitFor();
    expect(await page.locator('[data-offline-share] [data-share-title]').textContent()).toBe('Lake baths');
    expect(byAddress(await storedArticles(page), shared())).toEqual([]);
    await page.getByRole('button', { name: 'Save for offline' }).click();
    await eventually(async () =>
      (await page.locator('#share-status').innerText()).match(/in your outbox/) ? true : undefined,
    );

    const [queued, ...others] = byAddress(await storedArticles(page), shared());
    expect(others).toEqual([]);
    expect(queued).toMatchObject({ itemId: `page:${shared()}`, state: 'queued', saved: true, title: 'Lake baths' });
    expect(await syncTags(page)).toEqual(['fetch-articles']);

    // The reader closes the app; the browser brings the connection back.
    await page.close();
    await context.setOffline(false);
    const worker = await runningWorker(context);
    const ready = await eventually(
      async () => {
        const [record] = byAddress(await storedArticles(worker), shared());
        return record?.state === 'ready' && record.notified ? record : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(ready.itemId).toMatch(/^[0-9a-f]{16}$/);
    expect(ready.url).toBe(`/read/${ready.itemId}`);
    expect(ready.title).not.toBe('Lake baths'); // the page's own title, from the edge
    expect((await storedArticles(worker)).filter((record) => record.itemId.startsWith('page:'))).toEqual([]);

    const article = (await (
      await fetch(`${suite.stack.site}/api/articles?url=${encodeURIComponent(shared())}`)
    ).json()) as { id: string; title: string };
    expect(ready.itemId).toBe(article.id);
    const [notification] = (await shownNotifications(worker)).filter((n) => n.tag === 'offline-ready');
    expect(notification?.title).toBe(`Ready to read offline: ${article.title}`);
    expect(notification?.data?.url).toBe(`/read/${article.id}`);
    const saved = await cachedPaths(worker, 'reader-saved-v1');
    expect(saved).toContain(`/api/articles/${article.id}`);
    expect(saved).toContain(`/read/${article.id}`);

    // Offline again, the article reads from the cache, and sharing it once more finds the same entry.
    const reader = await openControlled(context, `${suite.stack.site}/saved`);
    await reader.locator(`#offline-ready a[href="/read/${article.id}"]`).waitFor();
    await context.setOffline(true);
    await reader.goto(`${suite.stack.site}/read/${article.id}`);
    expect(await reader.locator('article.reader h1').textContent()).toBe(article.title);
    await reader.goto(shareAddress(suite.stack.site, shared(), 'Lake baths'));
    expect(await reader.getByRole('button', { name: 'Save for offline' }).count()).toBe(0);
    await eventually(async () =>
      (await reader.locator('#share-status').innerText()).match(/Ready to read offline/) ? true : undefined,
    );
    expect(await reader.locator('#share-status a').getAttribute('href')).toBe(`/read/${article.id}`);
    expect(byAddress(await storedArticles(reader), shared())).toHaveLength(1);
    await context.setOffline(false);
    await reader.close();
  });

  it('fails visibly, with the reason, when the address turns out not to be a readable page', async () => {
    const { context } = suite.browser;
    const missing = `${suite.stack.origin.url}/site/europa/no-such-page.html`;
    const page = await openControlled(context, `${suite.stack.site}/saved`);
    await context.setOffline(true);
    await page.goto(shareAddress(suite.stack.site, missing, 'Gone'));
    await page.getByRole('button', { name: 'Save for offline' }).click();
    await eventually(async () =>
      (await page.locator('#share-status').innerText()).match(/in your outbox/) ? true : undefined,
    );
    await context.setOffline(false);
    const failed = await eventually(
      async () => {
        const [record] = byAddress(await storedArticles(page), missing);
        return record?.state === 'failed' ? record : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(failed.itemId).toBe(`page:${missing}`);
    expect(failed.lastError).toMatch(/\S/);
    await eventually(async () =>
      (await page.locator('#share-status').innerText()).match(/could not be downloaded/) ? true : undefined,
    );
    expect(await page.locator('#share-status a').getAttribute('href')).toBe(missing);
    await page.close();
  });
});
