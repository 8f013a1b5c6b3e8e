// Reading with the keyboard and read state on the device, in real Chromium: every key on the list and the article,
// the cases where no key may fire, read marks that survive a reload and hold offline, "Mark all as read" (the list,
// one source, one folder), unread counts per source and folder on /sources, the unread-only view, and axe with the
// keys' dialog open.
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ItemsPage } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { axeViolations } from './support/axe.ts';
import { browserSuite } from './support/browser-suite.ts';
import { askWorker, prepareReader } from './support/service-worker.ts';

const suite = browserSuite();
let page: Page;
const errors: string[] = [];

const url = (path: string) => `${suite.stack.site}${path}`;

beforeAll(async () => {
  ({ page } = await prepareReader(suite.browser.context, suite.stack.site));
  page.on('pageerror', (error) => errors.push(error.message));
});

/** Every item id the edge keeps (what any list of this site can show). */
async function allItemIds(feedId?: number): Promise<string[]> {
  const ids: string[] = [];
  let before: string | null = null;
  do {
    const query = new URLSearchParams({
      limit: '100',
      ...(feedId ? { feed: String(feedId) } : {}),
      ...(before ? { before } : {}),
    });
    const body = (await (await fetch(url(`/api/items?${query}`))).json()) as ItemsPage;
    ids.push(...body.items.map((item) => item.id));
    before = body.next;
  } while (before);
  return ids;
}

async function readMarks(ids: string[]): Promise<string[]> {
  const reply = await askWorker(page, 'read-marks', { itemIds: ids });
  expect(reply.ok).toBe(true);
  return (reply.value as { read: string[] }).read;
}

/** A list page, once its module has shown the device's read marks. */
async function openList(path = '/'): Promise<void> {
  await page.goto(url(path));
  await page.locator('#mark-all-read').waitFor({ state: 'visible', timeout: 10_000 });
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.items > li')].every(
      (li) => li.hasAttribute('data-read') || li.querySelector('.unread-dot'),
    ),
  );
  await page.locator('body[data-keyboard="on"]').waitFor({ state: 'attached', timeout: 10_000 });
}

const listIds = () =>
  page.locator('.items > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item-id')!));
const focusedId = () => page.evaluate(() => document.activeElement?.getAttribute('data-item-id') ?? null);
const isRead = (id: string) =>
  page.locator(`.items > li[data-item-id="${id}"]`).evaluate((li) => li.hasAttribute('data-read'));

beforeEach(async () => {
  // Every test starts with nothing read and the whole list shown.
  await page.goto(url('/'));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  expect((await askWorker(page, 'set-read', { itemIds: await allItemIds(), read: false })).ok).toBe(true);
  await page.evaluate(() => localStorage.removeItem('reader.unread-only'));
  errors.length = 0;
});

describe('keys on the list', () => {
  it('j and k move a visible focus through the items, scrolled into view', async () => {
    await openList();
    const ids = await listIds();
    await page.keyboard.press('j');
    expect(await focusedId()).toBe(ids[0]);
    for (let n = 0; n < 9; n++) await page.keyboard.press('j');
    expect(await focusedId()).toBe(ids[9]);
    const focused = page.locator(`.items > li[data-item-id="${ids[9]}"]`);
    expect(await focused.evaluate((li) => getComputedStyle(li).outlineStyle)).not.toBe('none');
    // Scrolled smoothly (unless the reader prefers less motion): wait for it to arrive in full view.
    const viewport = page.viewportSize()!;
    await eventually(
      async () => {
        const box = (await focused.boundingBox())!;
        return box.y >= 0 && box.y + box.height <= viewport.height ? true : undefined;
      },
      { timeoutMs: 5_000 },
    );
    await page.keyboard.press('k');
    expect(await focusedId()).toBe(ids[8]);
  });

  it('o and Enter open the focused item, as a click would (its title remembered for the page that answers offline)', async () => {
    await openList();
    const ids = await listIds();
    const linkText = await page.locator(`[data-item-id="${ids[1]}"] a[href^="/read/"]`).first().innerText();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('o');
    await page.waitForURL(`**/read/${ids[1]}`);
    const remembered = await page.evaluate(
      () => JSON.parse(sessionStorage.getItem('offline-reader:link-titles') ?? '[]') as Array<[string, string]>,
    );
    const title = remembered.find(([id]) => id === ids[1])?.[1] ?? '';
    expect(title.length).toBeGreaterThan(0);
    expect(linkText).toContain(title);
    await openList();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/read/${ids[0]}`);
  });

  it('m toggles the focused item read and unread, on the device', async () => {
    await openList();
    const [first] = await listIds();
    await page.keyboard.press('j');
    await page.keyboard.press('m');
    await eventually(async () => ((await isRead(first!)) ? true : undefined));
    expect(await page.locator(`.items > li[data-item-id="${first}"] .unread-dot`).count()).toBe(0);
    expect(await readMarks([first!])).toEqual([first]);
    await page.keyboard.press('m');
    await eventually(async () => ((await isRead(first!)) ? undefined : true));
    expect(await readMarks([first!])).toEqual([]);
  });

  it('s saves the focused item for offline', async () => {
    await openList();
    const ids = await listIds();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('s');
    await eventually(async () => {
      const entries = (await askWorker(page, 'list-offline', null)).value as Array<{ itemId: string; saved: boolean }>;
      return entries.some((entry) => entry.itemId === ids[1] && entry.saved) ? true : undefined;
    });
    expect(await page.locator('#keyboard-status').textContent()).toMatch(/offline/);
  });

  it('g then l goes to Latest, g then s to Saved', async () => {
    await page.goto(url('/saved'));
    await page.waitForLoadState('networkidle');
    await page.locator('body[data-keyboard="on"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await page.waitForURL(url('/'));
    await openList();
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.waitForURL(url('/saved'));
  });

  it('/ focuses the search box when the page has one, and does nothing (no error) when it has none', async () => {
    await openList();
    await page.keyboard.press('j');
    // The header's own search box (#site-search) gets the focus, and no "/" typed into it.
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('site-search');
    expect(await page.inputValue('#site-search')).toBe('');
    // With no search box at all, "/" leaves the focus where it was.
    await page.evaluate(() => {
      for (const box of document.querySelectorAll('input[type="search"]')) box.remove();
    });
    await page.locator('.items > li').first().focus();
    const before = await focusedId();
    await page.keyboard.press('/');
    expect(await focusedId()).toBe(before);
    // Another search box, without the header's: the first one on the page.
    await page.evaluate(() => {
      document
        .querySelector('main')!
        .insertAdjacentHTML('afterbegin', '<input type="search" id="other-search" aria-label="Other">');
    });
    await page.locator('.items > li').first().focus();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('other-search');
    expect(errors).toEqual([]);
  });

  it('? opens the list of keys as an accessible dialog; Escape closes it and focus returns', async () => {
    await openList();
    const ids = await listIds();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.locator('dt').count()).toBe(8);
    expect(await dialog.innerText()).toMatch(/Mark the selected or open article read or unread/);
    // No reading key works behind the dialog.
    await page.keyboard.press('j');
    expect(await dialog.isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedId()).toBe(ids[1]);
  });

  it('the footer says that ? lists the keys, and opens the list when clicked; a touch-only device is not told', async () => {
    await openList();
    const hint = page.locator('.site-footer #keyboard-hint button');
    expect(await hint.isVisible()).toBe(true);
    expect(await hint.innerText()).toBe('Press ? for keyboard shortcuts');
    await hint.click();
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.closest('#keyboard-hint') !== null)).toBe(true);
    // A phone without a keyboard: no hover at all, so the line would promise keys nobody can press.
    const touchOnly = await suite.browser.context.browser()?.newContext({ hasTouch: true, isMobile: true });
    if (!touchOnly) throw new Error('the suite browser has no way to open a touch-only context');
    try {
      const phone = await touchOnly.newPage();
      await phone.goto(url('/'));
      await phone.locator('body[data-keyboard="on"]').waitFor({ state: 'attached', timeout: 10_000 });
      expect(await phone.locator('#keyboard-hint').count()).toBe(1);
      expect(await phone.locator('#keyboard-hint').isVisible()).toBe(false);
    } finally {
      await touchOnly.close();
    }
  });
});

// The page's module fills these lists from the device (Saved re-renders them on every state change), so the keys
// start once the kept article is listed.
describe.each([
  { where: 'Saved', path: '/saved', what: 'what is on the device', kept: '#offline-ready', rows: '.saved-list > li' },
  {
    where: 'the offline page',
    path: '/offline',
    what: 'what opens offline',
    kept: '.offline-list',
    rows: '.offline-list > li[data-item-id]',
  },
])('keys on $where', ({ path, what, kept, rows }) => {
  it(`j moves through ${what} and o opens it`, async () => {
    const [id] = await allItemIds();
    expect((await askWorker(page, 'save-article', { itemId: id, url: `/read/${id}`, title: 'Kept' })).ok).toBe(true);
    await page.goto(url(path));
    await page.locator(`${kept} > li[data-item-id="${id}"]`).waitFor({ timeout: 30_000 });
    const first = page.locator(rows).first();
    await first.waitFor({ timeout: 10_000 });
    await page.locator('body[data-keyboard="on"]').waitFor({ state: 'attached', timeout: 10_000 });
    const firstId = await first.getAttribute('data-item-id');
    await page.keyboard.press('j');
    expect(await focusedId()).toBe(firstId);
    await page.keyboard.press('o');
    await page.waitForURL(`**/read/${firstId}`);
  });
});

describe('keys on an article', () => {
  it('j and k go to the older and newer article, m toggles it read, s saves it', async () => {
    const ids = await allItemIds();
    const id = ids[3]!;
    await page.goto(url(`/read/${id}`));
    // Opening it marked it read.
    await page.locator('article[data-read]').waitFor({ state: 'attached', timeout: 10_000 });
    expect(await readMarks([id])).toEqual([id]);
    await page.locator('body[data-keyboard="on"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.keyboard.press('m');
    await eventually(async () => ((await readMarks([id])).length === 0 ? true : undefined));
    expect(await page.locator('#keyboard-status').textContent()).toBe('Marked as unread.');
    await page.keyboard.press('m');
    await eventually(async () => ((await readMarks([id])).length === 1 ? true : undefined));

    await page.locator('[data-save-offline][data-wired]').first().waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('body[data-keyboard="on"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.keyboard.press('s');
    await page
      .locator('[data-save-offline][data-offline-state]')
      .first()
      .waitFor({ state: 'attached', timeout: 10_000 });

    const older = await page.locator('a[rel="next"]').getAttribute('href');
    await page.keyboard.press('j');
    await page.waitForURL(url(older!));
    const newer = await page.locator('a[rel="prev"]').getAttribute('href');
    expect(newer).toBe(`/read/${id}`);
    // The keys are the page script's: a key pressed before it runs on the new page does nothing.
    await page.locator('body[data-keyboard="on"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.keyboard.press('k');
    await page.waitForURL(url(`/read/${id}`));
  });
});

describe('no key fires', () => {
  it('in a text field, a select, a contenteditable, or with Ctrl, Alt or Meta held', async () => {
    await openList();
    await page.evaluate(() => {
      const fields =
        '<input type="text" id="a-field" aria-label="A field"><textarea id="a-textarea" aria-label="A text area"></textarea>' +
        '<div id="an-editable" contenteditable="true" role="textbox" aria-label="Editable"></div>';
      document.querySelector('main')!.insertAdjacentHTML('afterbegin', fields);
    });
    for (const target of ['#a-field', '#a-textarea', '#an-editable', '#source-filter']) {
      await page.focus(target);
      for (const key of ['j', 'm', '?', 'g', 'l']) await page.keyboard.press(key);
      expect(await focusedId(), target).toBeNull();
      expect(await page.getByRole('dialog').count(), target).toBe(0);
      expect(page.url(), target).toBe(url('/'));
    }
    expect(await page.inputValue('#a-field')).toBe('jm?gl');
    await page.locator('main h1').click();
    for (const modifier of ['Control', 'Alt', 'Meta']) {
      for (const key of ['j', 'm', '?']) await page.keyboard.press(`${modifier}+${key}`);
      expect(await focusedId(), modifier).toBeNull();
      expect(await page.getByRole('dialog').count(), modifier).toBe(0);
    }
    expect(errors).toEqual([]);
  });
});

describe('read state on the device', () => {
  it('an opened article is marked read on the list, after a reload and offline', async () => {
    await openList();
    const [first, second] = await listIds();
    await page.locator(`.items > li[data-item-id="${first}"] h2 a`).click();
    await page.locator('article[data-read]').waitFor({ state: 'attached', timeout: 10_000 });
    await openList();
    await page.reload();
    await openList();
    expect(await isRead(first!)).toBe(true);
    expect(await isRead(second!)).toBe(false);

    await suite.browser.context.setOffline(true);
    try {
      await openList();
      expect(await isRead(first!)).toBe(true);
      // Offline, marking works too, and holds.
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('m');
      await eventually(async () => ((await isRead(second!)) ? true : undefined));
      await openList();
      expect(await isRead(second!)).toBe(true);
    } finally {
      await suite.browser.context.setOffline(false);
    }
  });

  it('"Mark all as read" marks the list on screen, and on a source\'s or a folder\'s page every item of it', async () => {
    await openList();
    const ids = await listIds();
    await page.click('#mark-all-read');
    await page.locator('#read-status', { hasText: 'as read' }).waitFor();
    expect((await readMarks(ids)).sort()).toEqual([...ids].sort());
    await openList();
    expect(await page.locator('.items > li:not([data-read])').count()).toBe(0);

    const feedId = (
      (await (await fetch(url('/api/feeds'))).json()) as { feeds: Array<{ id: number; itemCount: number }> }
    ).feeds.sort((a, b) => b.itemCount - a.itemCount)[0]!.id;
    const ofFeed = await allItemIds(feedId);
    await askWorker(page, 'set-read', { itemIds: ofFeed, read: false });
    await openList(`/?feed=${feedId}`);
    expect(await page.locator('#mark-all-read').innerText()).toMatch(/^Mark all from .+ as read$/);
    await page.click('#mark-all-read');
    await page.locator('#read-status', { hasText: 'as read' }).waitFor();
    expect((await readMarks(ofFeed)).length).toBe(ofFeed.length);

    // A folder's page: every item of every source in it, not only the page on screen.
    const folder = 'Brackwater Commons';
    const every = await allItemIds();
    await askWorker(page, 'set-read', { itemIds: every, read: false });
    await openList(`/?folder=${encodeURIComponent(folder)}`);
    expect(await listIds()).toHaveLength(20);
    expect(every.length).toBeGreaterThan(20);
    expect(await page.locator('#mark-all-read').innerText()).toBe(`Mark all in ${folder} as read`);
    await page.click('#mark-all-read');
    await page.locator('#read-status', { hasText: 'as read' }).waitFor();
    expect(await page.locator('#read-status').innerText()).toBe(`Marked ${every.length} articles as read.`);
    expect((await readMarks(every)).length).toBe(every.length);
  });

  it('/sources shows how many articles of each source and each folder are unread on this device', async () => {
    const { feeds } = (await (await fetch(url('/api/feeds'))).json()) as {
      feeds: Array<{ id: number; itemCount: number }>;
    };
    const feed = feeds.find((f) => f.itemCount >= 3)!;
    const ofFeed = await allItemIds(feed.id);
    await askWorker(page, 'set-read', { itemIds: ofFeed.slice(0, 2), read: true });
    await page.goto(url('/sources'));
    const count = page.locator(`a[data-unread-count="${feed.id}"]`);
    await page.locator(`a[data-unread-count="${feed.id}"][data-unread]`).waitFor({ timeout: 10_000 });
    expect(await count.innerText()).toBe(`${ofFeed.length - 2} unread of ${ofFeed.length}`);
    // The sample's sources are all in one folder: its heading counts them together.
    const every = await allItemIds();
    const unreadEverywhere = every.length - (await readMarks(every)).length;
    const folderCount = page.locator('section.folder[data-folder="Brackwater Commons"] [data-folder-unread]');
    await folderCount.waitFor({ timeout: 10_000 });
    expect(await folderCount.innerText()).toBe(` · ${unreadEverywhere} unread of ${every.length}`);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await axeViolations(page)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await askWorker(page, 'set-read', { itemIds: ofFeed, read: true });
    await page.reload();
    await page.locator(`a[data-unread-count="${feed.id}"][data-unread="0"]`).waitFor({ timeout: 10_000 });
    expect(await count.innerText()).toBe(`All ${ofFeed.length} read`);
  });

  it('the unread-only view hides read items, is kept across a reload, and j skips what it hides', async () => {
    await openList();
    const ids = await listIds();
    await askWorker(page, 'set-read', { itemIds: [ids[0], ids[2]], read: true });
    await openList();
    const toggle = page.locator('#unread-only');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const visible = () =>
      page.locator('.items > li:visible').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item-id')));
    expect(await visible()).toEqual(ids.filter((_, n) => n !== 0 && n !== 2));
    expect(await page.locator('#read-status').innerText()).toBe(`Showing ${ids.length - 2} unread.`);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await focusedId()).toBe(ids[3]);
    await openList();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await visible()).toHaveLength(ids.length - 2);
    await toggle.click();
    expect(await visible()).toEqual(ids);
  });

  it('says without JavaScript that read state needs it; with it, the page has no axe violations', async () => {
    await openList();
    await page.keyboard.press('j');
    expect(await page.locator('[data-read-tools] [data-js-note]').isHidden()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });
});
