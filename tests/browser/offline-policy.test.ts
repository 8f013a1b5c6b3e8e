// The automatic offline policy in a real Chromium: "None" in Settings is stored as 0 and downloads nothing; the
// periodic sync keeps the newest N unread, lets a read one go at the next refresh (a 304 too) and then fetches the
// next unread; Saved says what the policy holds and what goes next, and why. Where the browser has neither Periodic
// nor Background Sync (both refused here), Settings says so, with its background switch off and inert, and the
// page's own refresh follows the same policy.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestItem } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { launchChromium, type LaunchedBrowser } from './support/chromium.ts';
import { runCronUntilDigestHasArticles } from './support/digest-articles.ts';
import {
  activity,
  askWorker,
  openControlled,
  prepareReader,
  storedArticles,
  type Inside,
  type PreparedReader,
} from './support/service-worker.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let browser: LaunchedBrowser;
let reader: PreparedReader;
/** The digest's items with an article, newest first, as the edge sends them. */
let newest: DigestItem[];

beforeAll(async () => {
  stack = await startStack();
  newest = await runCronUntilDigestHasArticles(stack.site);
  // As the policy orders them: by publication, newest first, then by id.
  newest.sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || a.id.localeCompare(b.id));
  browser = await launchChromium();
  reader = await prepareReader(browser.context, stack.site);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const prefetchedIds = async (target: Inside) =>
  (await storedArticles(target))
    .filter((record) => !record.saved)
    .map((record) => record.itemId)
    .sort();

/** The newest `count` unread of the digest (with ties in publication resolved as the policy does: by id). */
const expectedNewest = (count: number, read: ReadonlySet<string> = new Set()) =>
  newest
    .filter((item) => !read.has(item.id))
    .slice(0, count)
    .map((item) => item.id)
    .sort();

/** A periodic sync, as the browser fires it; resolves with the run it logged. */
async function periodicRun(page: Page) {
  const before = (await activity(page)).length;
  await reader.control.dispatchPeriodicSync();
  return eventually(
    async () => {
      const log = await activity(page);
      return log.length > before && log[0]?.kind === 'refresh-digest' ? log[0] : undefined;
    },
    { timeoutMs: 30_000 },
  );
}

describe('with Periodic Sync', () => {
  it('stores "None" as 0, shows it as None, and downloads nothing', async () => {
    const page = await openControlled(browser.context, `${stack.site}/settings`);
    await page.locator('#settings-fields:not([disabled])').waitFor();
    expect(await page.locator('#settings-form').isVisible()).toBe(true);
    await page.locator('#setting-keep').selectOption('0');
    await eventually(async () =>
      (await page.locator('#settings-status').innerText()) === 'Saved.' ? true : undefined,
    );
    expect(await page.locator('#capability-notes').innerText()).toMatch(/Nothing is downloaded automatically/);

    await page.reload();
    await page.locator('#settings-fields:not([disabled])').waitFor();
    expect(await page.locator('#setting-keep').inputValue()).toBe('0');
    expect(await page.locator('#setting-keep option').allTextContents()).toEqual([
      'None',
      '10 unread',
      '20 unread',
      '50 unread',
    ]);
    expect((await askWorker(page, 'get-settings', null)).value).toMatchObject({ keepNewest: 0 });
    expect((await askWorker(page, 'refresh-digest', { trigger: 'reader' })).value).toEqual({
      outcome: 'skipped',
      cached: 0,
      unread: 0,
    });
    expect(await prefetchedIds(page)).toEqual([]);
    await page.close();
  });

  it('keeps the newest N unread; Saved says what it holds and the next to go', async () => {
    const page = reader.page;
    await askWorker(page, 'update-settings', { keepNewest: 3 });
    const run = await periodicRun(page);
    expect(run).toMatchObject({ trigger: 'periodicsync', notModified: false });
    expect(run.fetched).toHaveLength(3);
    expect(await prefetchedIds(page)).toEqual(expectedNewest(3));

    const saved = await openControlled(browser.context, `${stack.site}/saved`);
    await saved.locator('#offline-policy').waitFor();
    expect(await saved.locator('#policy-rules').innerText()).toBe(
      'The newest 3 unread articles, within 50 MB, on any connection.',
    );
    expect(await saved.locator('#policy-held').innerText()).toMatch(/^It holds 3 articles on this device now, \d/);
    const [first, , third] = newest;
    expect(await saved.locator('#policy-next').innerText()).toBe(
      `Next to go: “${third!.title}”, the oldest, when newer articles arrive.`,
    );

    // Read on this device: it goes at the next refresh, and Saved says so at once.
    await askWorker(page, 'set-read', { itemIds: [first!.id], read: true });
    await eventually(async () =>
      (await saved.locator('#policy-next').innerText()).includes(
        `“${first!.title}”, at the next refresh: you have read it`,
      )
        ? true
        : undefined,
    );

    // Nothing new on the server (a 304), but the read one goes all the same.
    const quiet = await periodicRun(page);
    expect(quiet.notModified).toBe(true);
    expect(await prefetchedIds(page)).toEqual(expectedNewest(3).filter((id) => id !== first!.id));
    await eventually(async () =>
      (await saved.locator('#policy-held').innerText()).startsWith('It holds 2 articles') ? true : undefined,
    );

    // Its place goes to the next unread one, and the read one is not downloaded again.
    const refill = await periodicRun(page);
    expect(refill.notModified).toBe(false);
    expect(refill.fetched.map((f) => f.itemId)).toEqual(
      expectedNewest(3, new Set([first!.id])).filter((id) => !expectedNewest(3).includes(id)),
    );
    expect(await prefetchedIds(page)).toEqual(expectedNewest(3, new Set([first!.id])));
    await saved.close();
  });

  it('lets go at once what a stricter policy no longer keeps', async () => {
    const page = await openControlled(browser.context, `${stack.site}/settings`);
    await page.locator('#settings-fields:not([disabled])').waitFor();
    await page.locator('#setting-keep').selectOption('0');
    await eventually(async () => ((await prefetchedIds(page)).length === 0 ? true : undefined));
    await page.close();
  });
});

describe('Settings', () => {
  it('without JavaScript, says it needs JavaScript and shows no control with a value it cannot know', async () => {
    const plain = await launchChromium({ javaScriptEnabled: false });
    try {
      const page = await plain.context.newPage();
      await page.goto(`${stack.site}/settings`);
      expect(await page.locator('[data-js-note]').innerText()).toMatch(/These settings need JavaScript/);
      expect(await page.locator('main :is(input, select, button):visible').count()).toBe(0);
      expect(await page.locator('#activity-section').isVisible()).toBe(false);
      expect(await page.locator('#install-help').isVisible()).toBe(true);
    } finally {
      await plain.close();
    }
  });

  it('says what "only on unmetered connections" can do with what the browser says of the connection', async () => {
    await askWorker(reader.page, 'update-settings', { keepNewest: 10 });
    const page = await openControlled(browser.context, `${stack.site}/settings`);
    await page.locator('#settings-fields:not([disabled])').waitFor();
    const unmetered = page.locator('#setting-unmetered');
    // Desktop Chromium tells only whether Data Saver is on, not Wi-Fi from mobile data.
    expect(await page.locator('#unmetered-help').innerText()).toMatch(/does not say whether it is on Wi-Fi/);
    expect(await unmetered.isDisabled()).toBe(false);
    await unmetered.check();
    await eventually(async () =>
      ((await askWorker(page, 'get-settings', null)).value as { unmeteredOnly?: boolean }).unmeteredOnly
        ? true
        : undefined,
    );
    expect(await page.locator('#capability-notes').innerText()).toMatch(/only on unmetered connections/);

    await page.close();

    // A browser that says it is on mobile data, as Chrome on Android does (desktop Chromium has no way to say it,
    // CDP's connection emulation included, so the page is told before its script runs).
    const phone = await browser.context.newPage();
    await phone.addInitScript(() =>
      Object.defineProperty(navigator, 'connection', {
        value: { type: 'cellular', effectiveType: '4g', saveData: false },
      }),
    );
    await phone.goto(`${stack.site}/settings`);
    await phone.locator('#settings-fields:not([disabled])').waitFor();
    expect(await phone.locator('#unmetered-help').innerText()).toMatch(
      /on mobile data: with this on, downloads wait for an unmetered connection/,
    );
    expect(await phone.locator('#setting-unmetered').isChecked()).toBe(true);
    await phone.locator('#setting-unmetered').uncheck();
    await eventually(async () =>
      ((await askWorker(phone, 'get-settings', null)).value as { unmeteredOnly?: boolean }).unmeteredOnly === false
        ? true
        : undefined,
    );
    await phone.close();

    // A browser that says nothing at all (Firefox, Safari): the switch is off and inert, and says why.
    const silent = await browser.context.newPage();
    await silent.addInitScript(() => Object.defineProperty(navigator, 'connection', { value: undefined }));
    await silent.goto(`${stack.site}/settings`);
    await silent.locator('#settings-fields:not([disabled])').waitFor();
    expect(await silent.locator('#setting-unmetered').isDisabled()).toBe(true);
    expect(await silent.locator('#setting-unmetered').isChecked()).toBe(false);
    expect(await silent.locator('#unmetered-help').innerText()).toMatch(
      /does not say what kind of connection it is on, so downloads cannot wait for Wi-Fi here/,
    );
    await silent.close();
  });
});

describe('without Periodic Sync or Background Sync', () => {
  it('says so in Settings, and the page’s own refresh follows the policy', async () => {
    const other = await launchChromium();
    try {
      const { page } = await prepareReader(other.context, stack.site, ['notifications', 'durableStorage']);
      // The page refreshes the digest itself on load, by the default policy: the newest 10.
      await eventually(async () => (await activity(page)).find((entry) => entry.kind === 'refresh-digest'), {
        timeoutMs: 30_000,
      });
      expect(await prefetchedIds(page)).toEqual(expectedNewest(10));

      const settings = await openControlled(other.context, `${stack.site}/settings`);
      await settings.locator('#settings-fields:not([disabled])').waitFor();
      const background = settings.locator('#setting-background');
      expect(await background.isChecked()).toBe(false);
      expect(await background.isDisabled()).toBe(true);
      expect(await settings.locator('#background-help').innerText()).toMatch(
        /cannot refresh with the reader closed .* fetched whenever the reader is open/,
      );
      const notes = await settings.locator('#capability-notes').innerText();
      expect(notes).toMatch(/Background Sync is blocked for this site/);
      expect(notes).toMatch(/fetched only while the reader is open and online, not after you close it/);
      expect(await settings.locator('#unmetered-help').innerText()).toMatch(
        /does not say whether it is on Wi-Fi or mobile data/,
      );

      // Fewer kept: the rest go at once.
      await askWorker(settings, 'update-settings', { keepNewest: 2 });
      expect(await prefetchedIds(page)).toEqual(expectedNewest(2));
      await settings.close();

      // The page's next refresh (as it would be after its 5-minute gap) keeps to the policy too.
      await askWorker(page, 'set-read', { itemIds: [newest[0]!.id], read: true });
      await page.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('offline-reader');
            open.onsuccess = () => {
              const tx = open.result.transaction('remembered', 'readwrite');
              tx.objectStore('remembered').delete('digestRefreshedAt');
              tx.oncomplete = () => {
                open.result.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
            open.onerror = () => reject(open.error);
          }),
      );
      const before = (await activity(page)).length;
      await page.reload();
      const run = await eventually(
        async () => {
          const log = await activity(page);
          return log.length > before ? log[0] : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(run).toMatchObject({ kind: 'refresh-digest', trigger: 'page-load' });
      expect(await prefetchedIds(page)).toEqual(expectedNewest(2, new Set([newest[0]!.id])));
    } finally {
      await other.close();
    }
  });
});
