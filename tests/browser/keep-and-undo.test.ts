// Keeping, saying and undoing, as a reader meets them in real Chromium with the real service worker: Keep on an
// article the background refresh downloaded (from the control near the top); words that are true online and
// offline; the title of an article asked for offline carried from the list; /saved updating its rows in place (the
// focus stays), offering no Retry offline, and Remove with Undo; /sources Remove with Undo, rows that never move
// under the pointer, the intro's count, and a source added again whose items keep their ids.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeedsResponse, ItemsPage } from '../../contract/http.ts';
import { buildSite } from '../../scripts/build-site.ts';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import { runCronUntilDigestHasArticles } from './support/digest-articles.ts';
import { askWorker, openControlled, prepareReader, storedArticles } from './support/service-worker.ts';
import { ADMIN_TOKEN } from './support/stack.ts';

beforeAll(async () => {
  await buildSite();
});
const suite = browserSuite();
const site = (path: string) => `${suite.stack.site}${path}`;

/** Where an element is on the page (not the viewport: the page may scroll). */
const pageTop = (locator: Locator) =>
  locator.evaluate((element) => element.getBoundingClientRect().top + window.scrollY);

async function cachedIn(page: Page, cacheName: string): Promise<string[]> {
  return page.evaluate(
    async (name) => (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname),
    cacheName,
  );
}

/** Every text a save control showed, from now on. */
async function recordControlTexts(page: Page, selector: string): Promise<() => Promise<string[]>> {
  await page.evaluate((selector) => {
    const seen: string[] = [];
    (window as unknown as { controlTexts: string[] }).controlTexts = seen;
    const control = document.querySelector(selector)!;
    seen.push(control.textContent ?? '');
    new MutationObserver(() => seen.push(control.textContent ?? '')).observe(control, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  }, selector);
  return () => page.evaluate(() => (window as unknown as { controlTexts: string[] }).controlTexts);
}

const top = '.save-offline-top';
const end = '.save-offline-end';

describe('keeping an article the background refresh downloaded', () => {
  it('offers Keep near the top, says it may be dropped, and once kept it is the reader’s, in the kept cache', async () => {
    const { context } = suite.browser;
    await runCronUntilDigestHasArticles(suite.stack.site, 1);
    const { page: front, control: worker } = await prepareReader(context, suite.stack.site);
    // The background refresh, as the browser fires it: the newest articles arrive as its own (prefetched).
    const prefetched = await eventually(
      async () => {
        const found = (await storedArticles(front)).find((record) => record.state === 'ready' && !record.saved);
        if (!found) await worker.dispatchPeriodicSync();
        return found;
      },
      { timeoutMs: 60_000, everyMs: 3_000 },
    );
    const page = await openControlled(context, site(`/read/${prefetched.itemId}`));
    const control = page.locator(`${top} [data-save-offline]`);
    await eventually(async () => ((await control.innerText()) === 'Keep offline' ? true : undefined));
    expect(await page.locator(`${top} [data-offline-mark]`).innerText()).toBe('Offline for now, may be dropped');
    expect(await page.locator(`${end} [data-save-offline]`).innerText()).toBe('Keep offline');
    expect(await control.getAttribute('aria-disabled')).toBe('false');

    await control.click();
    await eventually(async () =>
      (await storedArticles(page)).find((r) => r.itemId === prefetched.itemId)?.saved ? true : undefined,
    );
    await eventually(async () => ((await control.innerText()) === 'Saved for offline' ? true : undefined));
    // Said once: the control says where it stands, the mark beside it is empty.
    expect(await page.locator(`${top} [data-offline-mark]`).innerText()).toBe('');
    expect(await page.locator(`${end} [data-save-offline]`).innerText()).toBe('Saved for offline');
    expect(await control.getAttribute('aria-disabled')).toBe('true');
    const record = (await storedArticles(page)).find((r) => r.itemId === prefetched.itemId)!;
    expect(record).toMatchObject({ state: 'ready', saved: true, unread: false });
    const kept = await cachedIn(page, 'reader-saved-v1');
    expect(kept).toContain(`/read/${prefetched.itemId}`);
    expect(await cachedIn(page, 'reader-prefetched-v1')).not.toContain(`/read/${prefetched.itemId}`);

    await page.goto(site('/saved'));
    const row = page.locator(`#offline-ready li[data-item-id="${prefetched.itemId}"]`);
    await eventually(async () =>
      (await row.locator('.saved-detail').innerText()).startsWith('Saved for offline') ? true : undefined,
    );
    expect(await row.getByRole('button', { name: /Keep offline/ }).count()).toBe(0);
    await page.close();
    await front.close();
  });
});

describe('saving, in words that are true', () => {
  it('online, Save never says it waits for a connection, and ends saying it is saved', async () => {
    const { context } = suite.browser;
    const item = suite.items.at(-1)!;
    const page = await openControlled(context, site(`/read/${item.id}`));
    const control = page.locator(`${top} [data-save-offline][data-wired]`);
    await control.waitFor();
    const texts = await recordControlTexts(page, `${top} [data-save-offline]`);
    await control.click();
    await eventually(async () => ((await control.innerText()) === 'Saved for offline' ? true : undefined), {
      timeoutMs: 30_000,
    });
    const shown = await texts();
    expect(shown[0]).toBe('Save for offline');
    expect(shown.filter((text) => /back online|Queued/.test(text))).toEqual([]);
    await page.close();
  });

  it('offline, an article tapped in a list keeps the list’s title on the offline page and in the outbox', async () => {
    const { context } = suite.browser;
    const item = suite.items.at(-2)!;
    const page = await openControlled(context, site(`/?feed=${item.feedId}`));
    await context.setOffline(true);
    try {
      await page.locator(`.items a[href="/read/${item.id}"]`).click();
      const request = page.locator('[data-offline-request]');
      await request.waitFor({ state: 'visible' });
      expect(await request.locator('[data-offline-request-title]').innerText()).toBe(`“${item.title}”`);
      const control = request.locator('[data-save-offline]');
      await control.click();
      await page.waitForSelector(`[data-offline-request] [data-item-id="${item.id}"][data-offline-state="queued"]`);
      expect(await control.innerText()).toBe("Queued: downloads when you're back online");
      // The control says it; the mark beside it does not say it again.
      expect(await request.locator('[data-offline-mark]').innerText()).toBe('');
      expect((await storedArticles(page)).find((r) => r.itemId === item.id)?.title).toBe(item.title);
    } finally {
      await context.setOffline(false);
    }
    await page.close();
  });
});

describe('/saved', () => {
  it('offline, offers no Retry for what waits and says when it is tried; changes elsewhere leave the focus be', async () => {
    const { context } = suite.browser;
    const [first, second] = [suite.items.at(-3)!, suite.items.at(-4)!];
    const page = await openControlled(context, site('/saved'));
    await context.setOffline(true);
    try {
      await askWorker(page, 'save-article', { itemId: first.id, url: `/read/${first.id}`, title: first.title });
      const row = page.locator(`#offline-waiting li[data-item-id="${first.id}"]`);
      await row.waitFor();
      expect(await row.locator('.saved-reason').innerText()).toMatch(/You are offline: it is fetched as soon as/);
      expect(await row.getByRole('button').allInnerTexts()).toEqual(['Remove']);

      await row.getByRole('button', { name: /Remove/ }).focus();
      await page.evaluate(() => {
        (window as unknown as { focusedBefore: Element | null }).focusedBefore = document.activeElement;
      });
      await askWorker(page, 'save-article', { itemId: second.id, url: `/read/${second.id}`, title: second.title });
      await page.locator(`#offline-waiting li[data-item-id="${second.id}"]`).waitFor();
      expect(
        await page.evaluate(
          () => document.activeElement === (window as unknown as { focusedBefore: Element | null }).focusedBefore,
        ),
      ).toBe(true);
    } finally {
      await context.setOffline(false);
    }
    // Back online both are fetched; the row the reader is on moves to the ready list with the focus still in it.
    await page.locator(`#offline-ready li[data-item-id="${first.id}"]`).waitFor({ timeout: 30_000 });
    await page.locator(`#offline-ready li[data-item-id="${second.id}"]`).waitFor({ timeout: 30_000 });
    expect(
      await page.evaluate(
        () => document.activeElement === (window as unknown as { focusedBefore: Element | null }).focusedBefore,
      ),
    ).toBe(true);
    await page.close();
  });

  it('Remove shows Undo: Undo keeps the article; otherwise it goes once the window passes, its row staying put', async () => {
    const { context } = suite.browser;
    const item = suite.items.at(-3)!;
    const page = await openControlled(context, site('/saved'));
    const row = page.locator(`#offline-ready li[data-item-id="${item.id}"]`);
    await row.waitFor({ timeout: 30_000 });
    const where = await pageTop(row);

    await row.getByRole('button', { name: /Remove/ }).click();
    const removed = page.locator('#offline-ready li.row-removed');
    await removed.getByRole('button', { name: 'Undo' }).click();
    await row.waitFor();
    await page.waitForTimeout(6_000);
    expect((await storedArticles(page)).map((r) => r.itemId)).toContain(item.id);

    await row.getByRole('button', { name: /Remove/ }).click();
    expect(await removed.innerText()).toMatch(/Removed “.+”\./);
    expect(await pageTop(removed)).toBe(where);
    await eventually(async () => ((await storedArticles(page)).some((r) => r.itemId === item.id) ? undefined : true));
    expect(await removed.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    expect(await pageTop(removed)).toBe(where);
    await page.close();
  });
});

describe('/saved on a 375 px phone', () => {
  it('puts each row’s buttons side by side on one line, starting at the same place in every row', async () => {
    const { context } = suite.browser;
    const page = await openControlled(context, site('/saved'));
    await page.setViewportSize({ width: 375, height: 800 });
    // An item id the edge does not know fails at once: a row with two buttons (Try again, Remove).
    await askWorker(page, 'save-article', { itemId: '00000000feedf00d', url: '/read/00000000feedf00d', title: 'Gone' });
    const failed = page.locator('#offline-waiting li[data-item-id="00000000feedf00d"][data-offline-state="failed"]');
    await failed.waitFor({ timeout: 30_000 });
    const rows = await page.locator('.saved-list > li:not(.row-removed)').evaluateAll((items) =>
      items.map((item) =>
        [...item.querySelectorAll('.saved-actions button')].map((b) => ({
          top: b.getBoundingClientRect().top,
          left: b.getBoundingClientRect().left,
        })),
      ),
    );
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.some((buttons) => buttons.length === 2)).toBe(true);
    for (const buttons of rows) expect(new Set(buttons.map((b) => Math.round(b.top))).size).toBe(1);
    expect(new Set(rows.map((buttons) => Math.round(buttons[0]!.left))).size).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.close();
  });
});

describe('/sources', () => {
  async function feeds(): Promise<FeedsResponse['feeds']> {
    return ((await (await fetch(site('/api/feeds'))).json()) as FeedsResponse).feeds;
  }
  const itemIds = async (feedId: number) =>
    ((await (await fetch(site(`/api/items?feed=${feedId}&limit=100`))).json()) as ItemsPage).items
      .map((item) => item.id)
      .sort();

  it('Remove waits with Undo, rows never move under the pointer, the count follows, and re-adding keeps item ids', async () => {
    const { context } = suite.browser;
    const page = await openControlled(context, site('/sources'));
    await page.locator('#admin-token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Remember' }).click();
    const before = await feeds();
    const rows = page.locator('li.source');
    const [first, second] = [rows.nth(0), rows.nth(1)];
    const firstId = Number(await first.getAttribute('data-feed-id'));
    const feed = before.find((f) => f.id === firstId)!;
    const ids = await itemIds(feed.id);
    expect(ids.length).toBeGreaterThan(0);
    const secondTop = await pageTop(second);
    const remove = first.locator('[data-remove-feed]');
    const at = (await remove.boundingBox())!;
    const intro = page.locator('#sources-intro');
    expect(await intro.innerText()).toMatch(new RegExp(`^${before.length} sources`));

    // The case: a second click at the same spot 0.6 s later.
    await remove.click();
    await page.waitForTimeout(600);
    await page.mouse.click(at.x + at.width / 2, at.y + at.height / 2);
    expect(await pageTop(second)).toBe(secondTop);
    await first.getByRole('button', { name: 'Undo' }).click();
    await page.waitForTimeout(6_000);
    expect((await feeds()).length).toBe(before.length);
    expect(await second.locator('[data-remove-feed]').isVisible()).toBe(true);

    await remove.click();
    await eventually(async () =>
      (await page.locator('#sources-status').innerText()).startsWith(`Removed “${feed.title}” and its articles`)
        ? true
        : undefined,
    );
    expect((await feeds()).map((f) => f.id)).toEqual(before.map((f) => f.id).filter((id) => id !== feed.id));
    expect(await pageTop(second)).toBe(secondTop);
    await eventually(async () =>
      (await intro.innerText()).startsWith(`${before.length - 1} sources`) ? true : undefined,
    );

    await page.locator('#add-feed-url').fill(feed.url);
    await page.getByRole('button', { name: 'Add source' }).click();
    await eventually(async () =>
      (await page.locator('#sources-status').innerText()).match(/^Added/) ? true : undefined,
    );
    const again = (await feeds()).find((f) => f.url === feed.url)!;
    expect(again.id).not.toBe(feed.id);
    expect(await itemIds(again.id)).toEqual(ids);
    await page.close();
  });
});
