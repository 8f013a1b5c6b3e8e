// Moving a source between folders on /sources, in real Chromium with the real service worker: online it is sent
// with the admin token and the list regroups; offline it waits in the outbox as a PATCH, without the token, and is
// sent when the connection returns.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type FeedsResponse, type ItemsPage, NO_FOLDER_FILTER } from '../../contract/http.ts';
import { itemsUrl } from '../../contract/paths.ts';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import { openControlled, outboxDump, prepareReader, storedActions } from './support/service-worker.ts';
import { ADMIN_TOKEN } from './support/stack.ts';

/** The folders' names on /sources, without the unread count the device may add after each. */
const folderNames = async (page: Page) =>
  (await page.locator('section.folder h2').allInnerTexts()).map((text) => text.replace(/ · \d+ unread of \d+$/, ''));

const suite = browserSuite();

async function feeds(): Promise<FeedsResponse['feeds']> {
  return ((await (await fetch(`${suite.stack.site}/api/feeds`)).json()) as FeedsResponse).feeds;
}

async function statusSays(page: Page, pattern: RegExp): Promise<string> {
  return eventually(async () => {
    const text = await page.locator('#sources-status').innerText();
    return pattern.test(text) ? text : undefined;
  });
}

async function moveTo(page: Page, feedId: number, folder: string): Promise<void> {
  const form = page.locator(`form[data-move-feed="${feedId}"]`);
  await form.locator('input[name="folder"]').fill(folder);
  await form.getByRole('button', { name: /^Move / }).click();
}

describe('moving a source to another folder', () => {
  it('online: asks for the token first, then moves it and shows it under its folder', async () => {
    const { context } = suite.browser;
    const { page: front } = await prepareReader(context, suite.stack.site);
    await front.close();
    const page = await openControlled(context, `${suite.stack.site}/sources`);
    // The stack subscribes through the sample site's OPML file, which files them all in one folder.
    const [feed, other] = await feeds();
    expect(feed!.folder).toBe('Brackwater Commons');

    await moveTo(page, feed!.id, 'Harbour news');
    await statusSays(page, /Enter the admin token first/);
    expect((await feeds()).find((f) => f.id === feed!.id)?.folder).toBe('Brackwater Commons');

    await page.locator('#admin-token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Remember' }).click();
    await moveTo(page, feed!.id, '  Harbour news ');
    await statusSays(page, /Moved “.+” to the folder “Harbour news”/);
    expect((await feeds()).find((f) => f.id === feed!.id)?.folder).toBe('Harbour news');
    const section = page.locator('section.folder', { has: page.locator(`li.source[data-feed-id="${feed!.id}"]`) });
    // The folder's unread count may follow its name, once the device has counted it.
    expect(await section.locator('h2').innerText()).toMatch(/^Harbour news(?: · \d+ unread of \d+)?$/);

    // A name the server refuses is said, and nothing moves.
    await moveTo(page, other!.id, `${'x'.repeat(99)}\u0007`);
    await statusSays(page, /control characters/);
    expect((await feeds()).find((f) => f.id === other!.id)?.folder).toBe('Brackwater Commons');

    // An empty name takes it out of any folder.
    await moveTo(page, feed!.id, '');
    await statusSays(page, /to No folder/);
    expect((await feeds()).find((f) => f.id === feed!.id)?.folder).toBeNull();
    expect(await folderNames(page)).toEqual(['Brackwater Commons', 'No folder']);
    await page.close();
  });

  it('offline: waits in the outbox as a PATCH without the token, and is made when back online', async () => {
    const { context } = suite.browser;
    const page = await openControlled(context, `${suite.stack.site}/sources`);
    await page.locator('#admin-token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Remember' }).click();
    const feed = (await feeds())[1]!;

    await context.setOffline(true);
    await moveTo(page, feed.id, 'Read later');
    await statusSays(page, /You are offline/);
    const [queued, ...others] = await storedActions(page);
    expect(others).toEqual([]);
    expect(queued).toMatchObject({
      method: 'PATCH',
      path: `/api/feeds/${feed.id}`,
      body: { folder: 'Read later' },
      admin: true,
      state: 'queued',
    });
    expect(await outboxDump(page)).not.toContain(ADMIN_TOKEN);

    await context.setOffline(false);
    await eventually(async () => ((await storedActions(page)).length === 0 ? true : undefined), { timeoutMs: 30_000 });
    expect((await feeds()).find((f) => f.id === feed.id)?.folder).toBe('Read later');
    await page.close();
  });
});

describe('the folder filter on /', () => {
  it('offers "No folder", which shows the articles of the sources in no folder', async () => {
    const [feed] = await feeds();
    const res = await fetch(`${suite.stack.site}/api/feeds/${feed!.id}`, {
      method: 'PATCH',
      headers: { ...suite.stack.admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ folder: null }),
    });
    expect(res.status).toBe(200);
    const page = await suite.browser.context.newPage();
    await page.goto(`${suite.stack.site}/`);
    await page.locator('#folder-filter').selectOption({ label: 'No folder' });
    await page.locator('form.source-filter').getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/[?&]folder=(\+|%20)(&|$)/);
    expect(await page.locator('main h1').innerText()).toBe('No folder');
    const expected = (await (
      await fetch(`${suite.stack.site}${itemsUrl({ folder: NO_FOLDER_FILTER, limit: 20 })}`)
    ).json()) as ItemsPage;
    expect(expected.items.length).toBeGreaterThan(0);
    expect(expected.items.every((item) => item.feedId === feed!.id)).toBe(true);
    expect(
      await page.locator('.items > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item-id'))),
    ).toEqual(expected.items.map((item) => item.id));
    expect(await page.locator('#folder-filter option:checked').innerText()).toBe('No folder');
    await page.close();
  });
});

describe('renaming a folder on /sources', () => {
  it('moves every source of the folder to the new name, and the list regroups under it', async () => {
    const page = await openControlled(suite.browser.context, `${suite.stack.site}/sources`);
    await page.locator('#admin-token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Remember' }).click();
    const before = (await feeds()).filter((f) => f.folder === 'Brackwater Commons').map((f) => f.id);
    expect(before.length).toBeGreaterThan(1);
    const form = page.locator('form[data-rename-folder="Brackwater Commons"]');
    await form.locator('input[name="folder"]').fill('The Commons');
    await form.getByRole('button', { name: 'Rename the folder Brackwater Commons' }).click();
    await statusSays(
      page,
      new RegExp(`Renamed the folder “Brackwater Commons” to “The Commons” \\(${before.length} sources\\)`),
    );
    const after = await feeds();
    expect(after.filter((f) => f.folder === 'The Commons').map((f) => f.id)).toEqual(before);
    expect(after.some((f) => f.folder === 'Brackwater Commons')).toBe(false);
    expect(await folderNames(page)).toContain('The Commons');
    expect(await folderNames(page)).not.toContain('Brackwater Commons');
    await page.close();
  });
});
