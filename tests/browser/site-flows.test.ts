// What a reader does on the site, in real Chromium with the real service worker: save an article and watch it go
// queued → ready on the article, the latest list and Saved; change settings (periodic sync really registered and
// unregistered; notification permission asked only on a click); manage sources with the admin token; share a page
// to the app; install where the browser offers it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { FeedsResponse, ItemSummary } from '../../contract/http.ts';
import { buildSite } from '../../scripts/build-site.ts';
import { eventually } from '../support/eventually.ts';
import { articleItems } from './support/articles.ts';
import { grantPermissions, launchChromium, type LaunchedBrowser, type LaunchOptions } from './support/chromium.ts';
import { openControlled } from './support/service-worker.ts';
import { ADMIN_TOKEN, startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let items: ItemSummary[];

beforeAll(async () => {
  await buildSite();
  stack = await startStack();
  items = await articleItems(stack.site);
});

afterAll(async () => {
  await stack?.stop();
});

async function withBrowser(
  run: (launched: LaunchedBrowser) => Promise<void>,
  options: LaunchOptions = {},
): Promise<void> {
  const launched = await launchChromium(options);
  try {
    await run(launched);
  } finally {
    await launched.close();
  }
}

const attribute = (page: Page, selector: string, name: string) => page.locator(selector).first().getAttribute(name);

describe('saving an article for offline reading', () => {
  it('goes queued while offline, then ready when back online, on the article, the latest list and Saved', async () => {
    await withBrowser(async ({ context }) => {
      // The oldest article: the newest ones may already be fetched by the background refresh while the page is open.
      const item = items.at(-1)!;
      const page = await openControlled(context, `${stack.site}/read/${item.id}`);
      await grantPermissions(page, stack.site, ['backgroundSync', 'durableStorage']);
      // The control near the top of the article (another, the same, is at its end).
      const box = `.save-offline-top[data-item-id="${item.id}"]`;
      await page.locator(`${box} [data-save-offline]`).waitFor();

      await context.setOffline(true);
      await page.locator(`${box} [data-save-offline]`).click();
      await eventually(async () =>
        (await attribute(page, box, 'data-offline-state')) === 'queued' ? true : undefined,
      );
      expect(await page.locator(`${box} [data-save-offline]`).innerText()).toBe(
        "Queued: downloads when you're back online",
      );
      expect(await page.locator('#connectivity').innerText()).toMatch(/Offline/);

      await context.setOffline(false);
      await eventually(
        async () => ((await attribute(page, box, 'data-offline-state')) === 'ready' ? true : undefined),
        { timeoutMs: 30_000 },
      );
      expect(await page.locator(`${box} [data-save-offline]`).innerText()).toBe('Saved for offline');

      await page.goto(`${stack.site}/?feed=${item.feedId}`);
      const listed = `.items [data-item-id="${item.id}"]`;
      await eventually(async () =>
        (await page.locator(`${listed} [data-offline-mark]`).innerText()) === 'Saved for offline' ? true : undefined,
      );
      expect(await attribute(page, listed, 'data-offline-state')).toBe('ready');

      await page.goto(`${stack.site}/saved`);
      const row = page.locator(`#offline-ready li[data-item-id="${item.id}"]`);
      await row.waitFor();
      expect(await row.innerText()).toMatch(/\d+(\.\d)? (KB|MB)/);
      expect(await row.innerText()).toMatch(/Saved for offline/);
      expect(await page.locator('#storage-used').innerText()).toMatch(/KB|MB/);
      await row.getByRole('button', { name: /Remove/ }).click();
      await row.waitFor({ state: 'detached' });
      await page.locator('#offline-ready-empty').waitFor({ state: 'visible', timeout: 10_000 });
    });
  });

  it('shows a failed save on Saved with its reason, and Retry / Remove', async () => {
    await withBrowser(async ({ context }) => {
      const page = await openControlled(context, `${stack.site}/saved`);
      await grantPermissions(page, stack.site, ['backgroundSync', 'durableStorage']);
      // An item id the server does not know: the edge answers 404, which fails visibly rather than retrying.
      await page.evaluate(() =>
        navigator.serviceWorker.ready.then(
          (registration) =>
            new Promise<void>((resolve) => {
              const channel = new MessageChannel();
              channel.port1.onmessage = () => resolve();
              registration.active!.postMessage(
                {
                  type: 'save-article',
                  payload: { itemId: '00000000deadbeef', url: '/read/00000000deadbeef', title: 'A vanished story' },
                },
                [channel.port2],
              );
            }),
        ),
      );
      await page.reload();
      const row = page.locator('#offline-waiting li[data-item-id="00000000deadbeef"]');
      await eventually(async () => ((await row.getAttribute('data-offline-state')) === 'failed' ? true : undefined), {
        timeoutMs: 30_000,
      });
      expect(await row.locator('.saved-reason').innerText()).toMatch(/not be tried again unless you try again/);
      await row.getByRole('button', { name: /Try again/ }).waitFor({ state: 'visible', timeout: 10_000 });
      await row.getByRole('button', { name: /Remove/ }).click();
      await row.waitFor({ state: 'detached' });
    });
  });
});

/**
 * Periodic Sync as an installed app would have it. Chromium refuses it in off-the-record contexts (a plain
 * launch's context) and forgets a permission set over CDP when the session that set it detaches: so a persistent
 * profile, and the session stays attached for the rest of the test.
 */
async function allowPeriodicSync(page: Page): Promise<void> {
  const session = await page.context().newCDPSession(page);
  await session.send('Browser.setPermission', {
    permission: { name: 'periodic-background-sync' },
    setting: 'granted',
    origin: stack.site,
  });
}

describe('settings', () => {
  it('asks for notification permission only on a click, and registers / unregisters the periodic sync', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'reader-settings-'));
    onTestFinished(() => rmSync(profile, { recursive: true, force: true }));
    await withBrowser(
      async ({ context }) => {
        // Counts permission prompts from the page's first script on (CDP injection is not subject to the page's CSP).
        await context.addInitScript(() => {
          const original = Notification.requestPermission.bind(Notification);
          (window as unknown as { prompts: number }).prompts = 0;
          Notification.requestPermission = (() => {
            (window as unknown as { prompts: number }).prompts++;
            return original();
          }) as typeof Notification.requestPermission;
        });
        const page = await openControlled(context, `${stack.site}/settings`);
        await allowPeriodicSync(page);
        await page.reload();
        await page.locator('#settings-fields:not([disabled])').waitFor();
        type PeriodicSync = { periodicSync: { getTags(): Promise<string[]> } };
        const tags = () =>
          page.evaluate(async () =>
            ((await navigator.serviceWorker.ready) as unknown as PeriodicSync).periodicSync.getTags(),
          );
        const background = page.locator('#setting-background');

        expect(await page.evaluate(() => (window as unknown as { prompts: number }).prompts)).toBe(0);
        expect(await background.isChecked()).toBe(true);
        expect(await page.locator('#capability-notes').innerText()).toMatch(/Background refresh is on/);
        expect(await tags()).toContain('refresh-digest');

        await background.uncheck();
        await eventually(async () => ((await tags()).includes('refresh-digest') ? undefined : true));
        expect(await page.locator('#setting-interval').isDisabled()).toBe(true);
        expect(await page.locator('#capability-notes').innerText()).toMatch(/Background refresh is off/);

        await background.check();
        await page.locator('#setting-interval').selectOption('24');
        await eventually(async () => ((await tags()).includes('refresh-digest') ? true : undefined));

        await page.reload();
        await page.locator('#settings-fields:not([disabled])').waitFor();
        expect(await page.locator('#setting-interval').inputValue()).toBe('24');
        expect(await page.evaluate(() => (window as unknown as { prompts: number }).prompts)).toBe(0);

        await page.locator('#setting-notifications').click();
        await eventually(async () =>
          (await page.evaluate(() => (window as unknown as { prompts: number }).prompts)) === 1 ? true : undefined,
        );
        // Headless Chromium refuses the prompt: the switch stays off and says why.
        await eventually(async () =>
          (await page.locator('#settings-status').innerText()).match(/not allowed/) ? true : undefined,
        );
        expect(await page.locator('#setting-notifications').isChecked()).toBe(false);
      },
      { userDataDir: profile },
    );
  });

  it('shows its controls only once they hold this browser’s values, on a first visit too', async () => {
    await withBrowser(async ({ context }) => {
      const page = await context.newPage();
      // The controls' values at the moment the form is first shown, before the worker that holds them has answered.
      await page.addInitScript(() => {
        const seen = new MutationObserver(() => {
          const form = document.getElementById('settings-form');
          if (!form || form.hidden) return;
          seen.disconnect();
          const values = [...form.querySelectorAll('select, input')].map((element) => {
            const control = element as HTMLInputElement;
            return `${control.name}=${control.type === 'checkbox' ? control.checked : control.value}`;
          });
          (window as unknown as { firstShown: string[] }).firstShown = values;
        });
        seen.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['hidden'] });
      });
      await page.goto(`${stack.site}/settings`);
      await page.locator('#settings-fields:not([disabled])').waitFor({ timeout: 20_000 });
      const shown = await page.evaluate(() => (window as unknown as { firstShown?: string[] }).firstShown);
      const now = await page.locator('#settings-form').evaluate((form) =>
        [...form.querySelectorAll('select, input')].map((element) => {
          const control = element as HTMLInputElement;
          return `${control.name}=${control.type === 'checkbox' ? control.checked : control.value}`;
        }),
      );
      expect(now).toContain('keepNewest=10');
      expect(shown).toEqual(now);
    });
  });

  it('where Periodic Sync is not allowed, says what the reader gets instead', async () => {
    await withBrowser(async ({ context }) => {
      const page = await openControlled(context, `${stack.site}/settings`);
      await page.locator('#settings-fields:not([disabled])').waitFor();
      expect(await page.locator('#capability-notes').innerText()).toMatch(/fetched whenever the reader is open/);
    });
  });
});

describe('sources', () => {
  it('removes and adds a source with the admin token entered once', async () => {
    await withBrowser(async ({ context }) => {
      const page = await context.newPage();
      await page.goto(`${stack.site}/sources`);
      const { feeds } = (await (await fetch(`${stack.site}/api/feeds`)).json()) as FeedsResponse;
      const feed = feeds[0]!;

      await page.locator(`[data-remove-feed="${feed.id}"]`).click();
      expect(await page.locator('#sources-status').innerText()).toMatch(/Enter the admin token first/);
      await page.locator('#admin-token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Remember' }).click();
      await page.locator(`[data-remove-feed="${feed.id}"]`).click();
      // Removed once the undo window has passed (tests/browser/keep-and-undo.test.ts has Undo itself).
      await eventually(async () =>
        (await page.locator('#sources-status').innerText()).startsWith('Removed') ? true : undefined,
      );
      const after = (await (await fetch(`${stack.site}/api/feeds`)).json()) as FeedsResponse;
      expect(after.feeds.map((f) => f.id)).not.toContain(feed.id);

      await page.reload();
      await page.locator('#add-feed-url').fill(feed.url);
      await page.getByRole('button', { name: 'Add source' }).click();
      await eventually(async () =>
        (await page.locator('#sources-status').innerText()).match(/^Added/) ? true : undefined,
      );
      expect(await page.locator('.source h3', { hasText: feed.title }).count()).toBe(1);
    });
  });

  it('says plainly when the token is wrong', async () => {
    await withBrowser(async ({ context }) => {
      const page = await context.newPage();
      await page.goto(`${stack.site}/sources`);
      await page.locator('#admin-token').fill('not-the-token');
      await page.getByRole('button', { name: 'Remember' }).click();
      await page.locator('#add-feed-url').fill(`${stack.origin.url}/site/feeds/field-notes.atom`);
      await page.getByRole('button', { name: 'Add source' }).click();
      await eventually(async () =>
        (await page.locator('#sources-status').innerText()).match(/token was refused/) ? true : undefined,
      );
    });
  });
});

describe('the share target', () => {
  it('saves a shared page for offline reading and links to it', async () => {
    await withBrowser(async ({ context }) => {
      const page = await openControlled(context, `${stack.site}/saved`);
      await grantPermissions(page, stack.site, ['backgroundSync', 'durableStorage']);
      const shared = `${stack.origin.url}/site/europa/lisbon-cafes.html`;
      await page.goto(`${stack.site}/share?title=Lisbon&text=${encodeURIComponent(`Worth reading ${shared}`)}`);
      await eventually(
        async () =>
          (await page.locator('#share-status').innerText()).match(/Ready to read offline/) ? true : undefined,
        { timeoutMs: 30_000 },
      );
      const href = await page.locator('#share-status a').getAttribute('href');
      expect(href).toMatch(/^\/read\/[0-9a-f]{16}$/);
      await page.goto(`${stack.site}/saved`);
      await page.locator(`#offline-ready a[href="${href}"]`).waitFor();
      await context.setOffline(true);
      await page.goto(`${stack.site}${href}`);
      expect(await page.locator('main h1').innerText()).not.toMatch(/offline/i);
      await context.setOffline(false);
    });
  });
});

describe('installing', () => {
  it('shows the Install button only when the browser offers installation, and prompts from it', async () => {
    await withBrowser(async ({ context }) => {
      const page = await context.newPage();
      await page.goto(`${stack.site}/settings`);
      expect(await page.locator('#install-app').isVisible()).toBe(false);
      expect(await page.locator('#install-help').innerText()).toMatch(/Add to Home Screen/);
      await page.evaluate(() => {
        const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
          prompt: async () => void ((window as unknown as { prompted: boolean }).prompted = true),
          userChoice: Promise.resolve({ outcome: 'accepted' }),
        });
        window.dispatchEvent(event);
      });
      await page.locator('#install-app').waitFor({ state: 'visible', timeout: 10_000 });
      await page.locator('#install-app-settings').click();
      expect(await page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true);
      expect(await page.locator('#install-app').isVisible()).toBe(false);
    });
  });
});
