// Notifications only when the reader is not looking, in real Chromium (whose headless pages are visible): news a
// background refresh brings while a page of the site is on screen is told on that page, in a status line with a
// link to the list that shows it, and not in the system tray; with no window of the site open, the tray has it.
// The deferred fetch keeps the same rule (tests/browser/sync-offline-request.test.ts); a hidden window counts as not
// looking (tests/unit/notify-batch.test.ts), which headless Chromium cannot show.
import { articlesArrive } from './support/source-news.ts';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeedsResponse } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { axeViolations } from './support/axe.ts';
import { browserSuite } from './support/browser-suite.ts';
import { runCronUntilDigestHasArticles } from './support/digest-articles.ts';
import {
  activity,
  openControlled,
  type PreparedReader,
  prepareReader,
  runningWorker,
  shownNotifications,
} from './support/service-worker.ts';

const suite = browserSuite();
let reader: PreparedReader;

beforeAll(async () => {
  const { site } = suite.stack;
  await runCronUntilDigestHasArticles(site);
  reader = await prepareReader(suite.browser.context, site);
  // The reader asks to hear about new articles (off by default), on the settings page.
  const settings = await openControlled(suite.browser.context, `${site}/settings`);
  await settings.waitForSelector('#settings-fields:not([disabled])');
  await settings.locator('#setting-notify-new').check();
  await eventually(async () => ((await settings.locator('#settings-status').innerText()).trim() ? true : undefined));
  await settings.close();
}, 120_000);

/** Runs the background refresh once and waits for its entry in the activity log. */
async function periodicRefresh(): Promise<void> {
  const worker = await runningWorker(suite.browser.context);
  const before = (await activity(worker)).length;
  await reader.control.dispatchPeriodicSync();
  await eventually(async () => ((await activity(worker)).length > before ? true : undefined), { timeoutMs: 30_000 });
}

const newsLine = (page: Page) => page.locator('[data-news-note][role="status"] .news-note');

describe('news while the reader is looking', () => {
  it('a refresh that keeps new articles while Latest is on screen tells the page, with a link to them; not the tray', async () => {
    const { page } = reader;
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    await periodicRefresh();
    const worker = await runningWorker(suite.browser.context);
    const run = (await activity(worker)).find((entry) => entry.kind === 'refresh-digest')!;
    expect(run.fetched.length).toBeGreaterThan(1);

    const line = newsLine(page);
    await line.waitFor({ timeout: 10_000 });
    expect(await line.innerText()).toBe(`${run.fetched.length} new articles to read offline. Show them Dismiss`);
    expect(await line.getByRole('link', { name: 'Show them' }).getAttribute('href')).toBe('/');
    expect((await shownNotifications(worker)).filter((n) => n.tag === 'new-articles')).toEqual([]);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await axeViolations(page), colorScheme).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    // Dismiss takes the line away.
    await line.getByRole('button', { name: 'Dismiss' }).click();
    expect(await newsLine(page).count()).toBe(0);
  });

  it('news of a source the reader follows goes to the page on screen, and to the tray once nobody looks', async () => {
    const { context } = suite.browser;
    const { site } = suite.stack;
    const { feeds } = (await (await fetch(`${site}/api/feeds`)).json()) as FeedsResponse;
    const source = feeds.find((feed) => feed.itemCount > 0)!;
    const sources = await openControlled(context, `${site}/sources`);
    await sources.waitForSelector('body[data-source-notify="ready"]');
    await sources.locator(`input[data-notify-source="${source.id}"]`).check();
    await sources.locator('#source-notify-status', { hasText: 'You will be notified' }).waitFor();
    await sources.close();

    const first = ['Lifeboat crew rescues yacht', 'New pontoon opens at the quay'];
    await articlesArrive(suite.stack, source, first, { guid: 'looking', firstPage: 9300 });
    const page = reader.page;
    await page.goto(`${site}/saved`);
    await periodicRefresh();
    const line = page.locator(`.news-note[data-news-url="/?feed=${source.id}"]`);
    await line.waitFor({ timeout: 10_000 });
    expect(await line.innerText()).toBe(`2 new from ${source.title}. Show them Dismiss`);
    const worker = await runningWorker(context);
    expect((await shownNotifications(worker)).filter((n) => n.tag === `source-${source.id}`)).toEqual([]);
    await line.getByRole('link', { name: 'Show them' }).click();
    await page.waitForURL(`${site}/?feed=${source.id}`);
    for (const title of first) expect(await page.locator('li.item', { hasText: title }).count()).toBe(1);

    // Nobody looking: every window of the site closed. What the page was told is not told again.
    const later = ['Harbour wall repairs begin', 'Ferry timetable changes for winter'];
    await articlesArrive(suite.stack, source, later, { guid: 'away', firstPage: 9400 });
    await page.goto('about:blank');
    await periodicRefresh();
    const shown = await eventually(
      async () => (await shownNotifications(await runningWorker(context))).find((n) => n.tag === `source-${source.id}`),
      { timeoutMs: 10_000 },
    );
    expect(shown.title).toBe(`2 new from ${source.title}`);
    expect(shown.data?.items.map((item) => item.title).sort()).toEqual([...later].sort());
  }, 180_000);
});
