// Moving a source between folders on /sources, in real Chromium with the real service worker: online it is sent
// with the admin token and the list regroups; offline it waits in the outbox as a PATCH, without the token, and is
// sent when the connection returns.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FeedsResponse } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { browserSuite } from './support/browser-suite.ts';
import { openControlled, outboxDump, prepareReader, storedActions } from './support/service-worker.ts';
import { ADMIN_TOKEN } from './support/stack.ts';

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
    expect(await section.locator('h2').innerText()).toBe('Harbour news');

    // A name the server refuses is said, and nothing moves.
    await moveTo(page, other!.id, `${'x'.repeat(99)}\u0007`);
    await statusSays(page, /control characters/);
    expect((await feeds()).find((f) => f.id === other!.id)?.folder).toBe('Brackwater Commons');

    // An empty name takes it out of any folder.
    await moveTo(page, feed!.id, '');
    await statusSays(page, /to No folder/);
    expect((await feeds()).find((f) => f.id === feed!.id)?.folder).toBeNull();
    expect(await page.locator('section.folder h2').allInnerTexts()).toEqual(['Brackwater Commons', 'No folder']);
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
