// The offline fallback page (served by the service worker at whatever address could not be loaded): for an
// article, offers "Get it when I'm back online"; for a shared page, offers to save it; for any page, lists what can
// be read offline right now: exactly the articles whose page is on the device, whatever put it there.
import type { ReadableArticle } from '../../contract/messages.ts';
import { sharedPageIn } from '../../contract/share-target.ts';
import { el } from '../dom.ts';
import {
  getSettings,
  listOffline,
  listReadable,
  onOfflineChange,
  onOfflineRemoved,
  titleOnDevice,
} from '../sw-bridge.ts';
import { fetchesWithAppClosed } from './permissions.ts';
import { rememberedTitle } from './link-titles.ts';

const ARTICLE_PATH = /^\/read\/([^/]+)\/?$/;

function renderReadable(list: HTMLElement, readable: ReadableArticle[]): void {
  if (readable.length === 0) {
    list.replaceChildren(el('li', {}, 'No article is on this device yet.'));
    return;
  }
  list.replaceChildren(
    ...readable.map((article) =>
      el('li', { 'data-item-id': article.itemId }, el('a', { href: article.url }, article.title)),
    ),
  );
}

/** A notification is promised only where one will come: permission given and the reader's switch on. */
async function tellHowReadyIsTold(page: HTMLElement): Promise<void> {
  const promise = page.querySelector<HTMLElement>('[data-ready-promise]');
  if (!promise || !('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    if (!(await getSettings()).notifyWhenReady) return;
  } catch {
    return;
  }
  promise.textContent = 'When it is ready, you get a notification, or this page says so if it is on screen.';
}

export async function enhanceOfflinePage(): Promise<void> {
  const page = document.querySelector<HTMLElement>('[data-offline-page]');
  if (!page) return;
  if (await fetchesWithAppClosed())
    for (const promise of page.querySelectorAll<HTMLElement>('[data-closed-app-promise]')) promise.hidden = false;
  void tellHowReadyIsTold(page);
  const requested = ARTICLE_PATH.exec(location.pathname)?.[1];
  const request = page.querySelector<HTMLElement>('[data-offline-request]');
  if (requested && request) {
    const itemId = decodeURIComponent(requested);
    const box = request.querySelector<HTMLElement>('[data-item-id]');
    box?.setAttribute('data-item-id', itemId);
    // The title the link the reader followed had (this page's heading is "You are offline"), else the one the
    // outbox or the device's latest list has; with none, the fetch fills it in.
    const queued = (await listOffline()).find((entry) => entry.itemId === itemId)?.title;
    const title = rememberedTitle(itemId) ?? queued ?? (await titleOnDevice(itemId).catch(() => null)) ?? '';
    box?.setAttribute('data-title', title);
    const shown = request.querySelector('[data-offline-request-title]');
    if (shown && title) shown.textContent = `“${title}”`;
    request.hidden = false;
  }
  const share = page.querySelector<HTMLElement>('[data-offline-share]');
  const shared = location.pathname === '/share' ? sharedPageIn(new URLSearchParams(location.search)) : null;
  if (shared && share) {
    // The share screen's own script saves it (by address, since we are offline) and follows it from here. Never at
    // once: the worker cannot tell the reader's share sheet from another site's link, so it waits for a tap.
    share.dataset.shareUrl = shared.url;
    share.dataset.shareTitle = shared.title ?? '';
    const title = share.querySelector<HTMLElement>('[data-share-title]');
    if (title) {
      title.textContent = shared.title || new URL(shared.url).host;
      const promise = title.parentElement?.querySelector('[data-closed-app-promise]');
      title.parentElement?.replaceChildren(
        title,
        ' can wait in your outbox: once saved, it is downloaded as soon as you are back online',
        ...(promise ? [promise] : []),
        '.',
      );
    }
    share.hidden = false;
    void import('../pages/share-page.ts').then((m) => m.enhanceSharePage());
  }
  const list = page.querySelector<HTMLElement>('[data-offline-list]');
  if (!list) return;
  const refresh = async () => renderReadable(list, await listReadable());
  await refresh();
  // An article that becomes ready, or is removed, changes what opens: ask again rather than guess.
  onOfflineChange((entry) => {
    if (entry.state === 'ready') void refresh();
  });
  onOfflineRemoved(() => void refresh());
}
