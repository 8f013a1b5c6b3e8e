// /share, where the installed app receives a shared page: extract it at the edge now (GET /api/articles?url=), then
// save it for offline reading through the bridge, showing each state. While offline, it says so and saves the page
// as soon as the connection returns with this screen open.
import type { ApiError, ArticleView } from '../../worker-edge/api/contract.ts';
import { readUrl } from '../../sw/messages.ts';
import { isOnline, onConnectivityChange, onOfflineChange, saveForOffline, type OfflineEntry } from '../sw-bridge.ts';
import { byId, el, errorText, hideJsNotes } from './dom.ts';

const STATE_TEXT: Record<OfflineEntry['state'], string> = {
  queued: 'Saved; waiting to be downloaded for offline reading.',
  fetching: 'Downloading it for offline reading…',
  ready: 'Ready to read offline.',
  failed: 'It could not be downloaded for offline reading.',
};

function tell(text: string, link?: { href: string; label: string }): void {
  const status = byId('share-status');
  status?.replaceChildren(text, ...(link ? [' ', el('a', { href: link.href }, link.label)] : []));
}

async function extract(url: string): Promise<ArticleView | string> {
  const res = await fetch(`/api/articles?url=${encodeURIComponent(url)}`);
  if (res.ok) return (await res.json()) as ArticleView;
  const body = (await res.json().catch(() => null)) as ApiError | null;
  return body?.error.message ?? `The reader could not fetch that page (it answered ${res.status}).`;
}

async function save(box: HTMLElement): Promise<boolean> {
  const url = box.dataset.shareUrl ?? '';
  if (!isOnline()) {
    tell('You are offline. Keep this screen open: the page is saved as soon as you are back online.');
    return false;
  }
  tell('Fetching the page…');
  let article: ArticleView | string;
  try {
    article = await extract(url);
  } catch {
    tell('The connection dropped. Keep this screen open: the page is saved as soon as you are back online.');
    return false;
  }
  if (typeof article === 'string') {
    tell(`${article} You can still open it at its own site.`, { href: url, label: 'Open the original' });
    return true;
  }
  const read = { href: readUrl(article.id), label: 'Read it now' };
  box.dataset.itemId = article.id;
  // Saving waits for the first fetch to finish, so announcements may be newer than what it returns.
  let latest: OfflineEntry | null = null;
  const show = (entry: OfflineEntry) => tell(entry.state === 'failed' ? `${STATE_TEXT.failed} ${entry.lastError ?? ''}` : STATE_TEXT[entry.state], read);
  onOfflineChange((entry) => {
    if (entry.itemId !== article.id) return;
    latest = entry;
    show(entry);
  });
  try {
    const entry = await saveForOffline({ itemId: article.id, url: read.href, title: article.title || box.dataset.shareTitle || url });
    show(latest ?? entry);
  } catch (error) {
    tell(`It is readable online, but could not be kept for offline reading: ${errorText(error)}`, read);
  }
  return true;
}

export async function enhanceSharePage(): Promise<void> {
  hideJsNotes();
  const box = document.querySelector<HTMLElement>('[data-share-url]');
  if (!box) return;
  if (await save(box)) return;
  const stop = onConnectivityChange(async (online) => {
    if (online && (await save(box))) stop();
  });
}
