// Read state on the pages: unread marks on the latest list, "Mark all as read", the unread-only view, an opened
// article marked read, unread counts per source and folder. The state itself is the service worker's (sw/read-state.ts keeps
// it in IndexedDB, so it holds offline); this module asks for it and shows it. Only the unread-only switch is kept
// here, in localStorage: it is how this reader likes the list, not what they have read.
import { NO_FOLDER_FILTER, type ItemsPage } from '../../contract/http.ts';
import { ITEMS_PATH } from '../../contract/paths.ts';
import { byId, el, errorText, hideJsNotes, say } from '../dom.ts';
import { markRead, readMarks, setRead } from '../sw-bridge.ts';

/** Where the page script kept read items before the service worker did: moved there once, then dropped. */
const LEGACY_KEY = 'reader.read-items';
const UNREAD_ONLY_KEY = 'reader.unread-only';
/** The edge keeps the newest 200 items a feed: two pages of the items API. */
const FEED_PAGES = 2;
/** A folder's sources together: enough pages for 20 sources kept in full. */
const FOLDER_PAGES = 40;

export const listedItems = () => [...document.querySelectorAll<HTMLElement>('.items > li[data-item-id]')];
export const isShownRead = (item: HTMLElement) => 'read' in item.dataset;

/** A dot and the words "Unread" on an unread item's title; a read one recedes. */
export function showRead(item: HTMLElement, read: boolean): void {
  item.querySelector('.unread-mark')?.remove();
  if (read) {
    item.dataset.read = '';
    return;
  }
  delete item.dataset.read;
  item
    .querySelector('.item-title a')
    ?.prepend(
      el(
        'span',
        { class: 'unread-mark' },
        el('span', { class: 'unread-dot' }),
        el('span', { class: 'visually-hidden' }, 'Unread: '),
      ),
    );
}

async function moveLegacyMarks(): Promise<void> {
  let ids: unknown;
  try {
    ids = JSON.parse(localStorage.getItem(LEGACY_KEY) ?? 'null');
  } catch {
    ids = null;
  }
  if (!Array.isArray(ids)) return;
  await setRead(
    ids.filter((id): id is string => typeof id === 'string' && id !== ''),
    true,
  );
  localStorage.removeItem(LEGACY_KEY);
}

/**
 * Every item id the edge still keeps of one source or one folder's sources (through the service worker's cache of
 * the items API offline).
 */
async function keptItemIds(filter: { feed: string } | { folder: string }): Promise<string[]> {
  const ids: string[] = [];
  let before: string | null = null;
  const pages = 'feed' in filter ? FEED_PAGES : FOLDER_PAGES;
  for (let page = 0; page < pages; page++) {
    const query = new URLSearchParams({ ...filter, limit: '100', ...(before ? { before } : {}) });
    const res = await fetch(`${ITEMS_PATH}?${query}`);
    if (!res.ok) throw new Error(`The items of this list could not be listed (${res.status}).`);
    const body = (await res.json()) as ItemsPage;
    ids.push(...body.items.map((item) => item.id));
    before = body.next;
    if (!before) break;
  }
  return ids;
}

/** The list's one source, else its one folder (Latest's `?feed=` and `?folder=`), else neither. */
function listFilter(): { feed: string } | { folder: string } | null {
  const feed = document.querySelector<HTMLElement>('[data-read-tools]')?.dataset.feedId;
  if (feed) return { feed };
  const folder = new URLSearchParams(location.search).get('folder');
  return folder ? { folder } : null;
}

function unreadOnly(): boolean {
  try {
    return localStorage.getItem(UNREAD_ONLY_KEY) === '1';
  } catch {
    return false;
  }
}

/** The unread-only view: read items are hidden while the switch is on, and it says when nothing is left. */
function applyUnreadOnly(on: boolean): void {
  const toggle = byId('unread-only');
  toggle?.setAttribute('aria-pressed', String(on));
  let shown = 0;
  for (const item of listedItems()) {
    item.hidden = on && isShownRead(item);
    if (!item.hidden) shown++;
  }
  if (on)
    say(
      byId('read-status'),
      shown === 0 ? 'Nothing unread here. Switch “Unread only” off to see every article.' : `Showing ${shown} unread.`,
    );
  else say(byId('read-status'), '');
}

async function markAllRead(): Promise<void> {
  const status = byId('read-status');
  const items = listedItems();
  const ids = items.map((item) => item.dataset.itemId ?? '');
  const filter = listFilter();
  // On one source's or one folder's page, every item of it, not only this page of them; offline, the ones on screen.
  if (filter) ids.push(...(await keptItemIds(filter).catch(() => [])));
  await setRead(ids, true);
  for (const item of items) showRead(item, true);
  applyUnreadOnly(unreadOnly());
  const count = new Set(ids).size;
  say(status, count === 1 ? 'Marked 1 article as read.' : `Marked ${count} articles as read.`, 'ok');
}

/** The latest list: the two switches at once, then the marks from the device (the worker may still be starting). */
export async function enhanceLatestList(): Promise<void> {
  const items = listedItems();
  const markAll = byId<HTMLButtonElement>('mark-all-read');
  const toggle = byId<HTMLButtonElement>('unread-only');
  if (items.length === 0 || !markAll || !toggle) return;
  hideJsNotes();
  const filter = listFilter();
  // The edge's words name a source; a folder's page marks the folder's every source, so it says so.
  if (filter && 'folder' in filter)
    markAll.textContent =
      filter.folder === NO_FOLDER_FILTER
        ? 'Mark all from sources in no folder as read'
        : `Mark all in ${filter.folder} as read`;
  markAll.hidden = false;
  toggle.hidden = false;
  markAll.addEventListener('click', () => {
    markAll.disabled = true;
    markAllRead()
      .catch((error: unknown) => say(byId('read-status'), `Could not mark them read: ${errorText(error)}`, 'error'))
      .finally(() => (markAll.disabled = false));
  });
  toggle.addEventListener('click', () => {
    const on = toggle.getAttribute('aria-pressed') !== 'true';
    try {
      localStorage.setItem(UNREAD_ONLY_KEY, on ? '1' : '0');
    } catch {
      // Storage disabled: the switch holds for this page only.
    }
    applyUnreadOnly(on);
  });
  await moveLegacyMarks().catch(() => undefined);
  const read = await readMarks(items.map((item) => item.dataset.itemId ?? ''));
  for (const item of items) showRead(item, read.has(item.dataset.itemId ?? ''));
  applyUnreadOnly(unreadOnly());
}

/** The article page: opening it marks it read (and the app badge drops it). */
export async function rememberReadArticle(): Promise<void> {
  const article = document.querySelector<HTMLElement>('[data-article-id]');
  const itemId = article?.dataset.articleId;
  if (!article || !itemId) return;
  await moveLegacyMarks().catch(() => undefined);
  await markRead(itemId);
  article.dataset.read = '';
}

/** /sources: "N articles" (what the server knows) becomes how many of them are unread on this device. */
export async function showUnreadCounts(): Promise<void> {
  const links = [...document.querySelectorAll<HTMLAnchorElement>('a[data-unread-count]')];
  await moveLegacyMarks().catch(() => undefined);
  // A few sources at a time: one request or two each.
  for (let start = 0; start < links.length; start += 4) {
    await Promise.all(
      links
        .slice(start, start + 4)
        .map(async (link) => {
          const ids = await keptItemIds({ feed: link.dataset.unreadCount ?? '' });
          const read = await readMarks(ids);
          const unread = ids.filter((id) => !read.has(id)).length;
          link.dataset.unread = String(unread);
          link.dataset.total = String(ids.length);
          link.textContent = unread === 0 ? `All ${ids.length} read` : `${unread} unread of ${ids.length}`;
        })
        .map((counted) => counted.catch(() => undefined)),
    );
  }
  showFolderCounts();
}

/** Each folder's heading on /sources: its sources' unread articles together, once every one of them is counted. */
function showFolderCounts(): void {
  for (const folder of document.querySelectorAll<HTMLElement>('section.folder')) {
    const links = [...folder.querySelectorAll<HTMLAnchorElement>('a[data-unread-count]')];
    const heading = folder.querySelector('.folder-heading');
    if (!heading || links.length === 0 || links.some((link) => link.dataset.unread === undefined)) continue;
    const unread = links.reduce((sum, link) => sum + Number(link.dataset.unread), 0);
    const total = links.reduce((sum, link) => sum + Number(link.dataset.total), 0);
    heading.querySelector('.folder-unread')?.remove();
    const words = unread === 0 ? `all ${total} read` : `${unread} unread of ${total}`;
    heading.append(el('span', { class: 'folder-unread', 'data-folder-unread': String(unread) }, ` · ${words}`));
  }
}
