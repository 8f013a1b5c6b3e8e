// Which articles this reader has opened, so the latest list can mark the unread ones. The server keeps no reader
// state, so the set lives in this browser; bounded, because only recent items are ever listed. (The service worker
// keeps its own count of unread prefetched articles for the app badge; markRead tells it.)
import { el } from '../dom.ts';
import { markRead } from '../sw-bridge.ts';

const KEY = 'reader.read-items';
const KEEP = 1000;

function readIds(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** The article page: remember it as read, and let the app badge drop it. */
export function rememberReadArticle(): void {
  const itemId = document.querySelector<HTMLElement>('[data-article-id]')?.dataset.articleId;
  if (!itemId) return;
  const ids = readIds().filter((id) => id !== itemId);
  ids.push(itemId);
  try {
    localStorage.setItem(KEY, JSON.stringify(ids.slice(-KEEP)));
  } catch {
    // Storage full or disabled: the unread marks are a nicety, reading goes on.
  }
  markRead(itemId).catch(() => undefined);
}

/** The latest list: a dot and the words "Unread" on items not opened yet; read ones recede. */
export function markUnreadItems(): void {
  const read = new Set(readIds());
  for (const item of document.querySelectorAll<HTMLElement>('.items [data-item-id]')) {
    if (read.has(item.dataset.itemId ?? '')) {
      item.dataset.read = '';
      continue;
    }
    const link = item.querySelector('.item-title a');
    if (!link || link.querySelector('.unread-dot')) continue;
    link.prepend(el('span', { class: 'unread-dot' }), el('span', { class: 'visually-hidden' }, 'Unread: '));
  }
}
