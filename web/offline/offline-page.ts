// The offline fallback page (served by the service worker at whatever address could not be loaded): for an
// article, offers "Get it when I'm back online"; for a shared page, offers to save it; for any page, lists what can
// be read offline right now.
import type { OfflineEntry } from '../../contract/messages.ts';
import { sharedPageIn } from '../../contract/share-target.ts';
import { el } from '../dom.ts';
import { listOffline, onOfflineChange } from '../sw-bridge.ts';
import { rememberedTitle } from './link-titles.ts';

const ARTICLE_PATH = /^\/read\/([^/]+)\/?$/;

function renderReadable(list: HTMLElement, entries: OfflineEntry[]): void {
  const ready = entries.filter((entry) => entry.state === 'ready');
  if (ready.length === 0) {
    list.replaceChildren(el('li', {}, 'Nothing is saved on this device yet.'));
    return;
  }
  list.replaceChildren(
    ...ready.map((entry) =>
      el('li', { 'data-item-id': entry.itemId }, el('a', { href: entry.url }, entry.title || 'Untitled')),
    ),
  );
}

export async function enhanceOfflinePage(): Promise<void> {
  const page = document.querySelector<HTMLElement>('[data-offline-page]');
  if (!page) return;
  const requested = ARTICLE_PATH.exec(location.pathname)?.[1];
  const request = page.querySelector<HTMLElement>('[data-offline-request]');
  if (requested && request) {
    const itemId = decodeURIComponent(requested);
    const box = request.querySelector<HTMLElement>('[data-item-id]');
    box?.setAttribute('data-item-id', itemId);
    // The title the link the reader followed had (this page's heading is "You are offline"), else the one the
    // device has; with neither, the fetch fills it in.
    const known = (await listOffline()).find((entry) => entry.itemId === itemId)?.title;
    const title = rememberedTitle(itemId) ?? known ?? '';
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
      title.parentElement?.replaceChildren(
        title,
        ' can wait in your outbox: once saved, it is downloaded as soon as you are back online, even if you close the app.',
      );
    }
    share.hidden = false;
    void import('../pages/share-page.ts').then((m) => m.enhanceSharePage());
  }
  const list = page.querySelector<HTMLElement>('[data-offline-list]');
  if (!list) return;
  const entries = new Map((await listOffline()).map((entry) => [entry.itemId, entry]));
  renderReadable(list, [...entries.values()]);
  onOfflineChange((entry) => {
    entries.set(entry.itemId, entry);
    renderReadable(list, [...entries.values()]);
  });
}
