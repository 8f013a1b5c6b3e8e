// /share, where the installed app receives a shared page. Online, the edge reads it now (GET /api/articles?url=)
// and it is saved for offline reading by its article id, showing each state. Offline, or when the publisher's site
// is failing, it goes into the service worker's outbox by its address instead: fetched when the connection (or the
// site) is back, with this screen closed too, and then filed under its article like any other.
// It saves at once only when the reader sent it (the edge's data-share-at-once: the share sheet, this site's own
// pages) or it is kept already; a link from another site, and every share the offline page shows (the service
// worker cannot see who started a navigation), waits for a tap on Save, so no one else fills the outbox.
import type { ApiError, ArticleView } from '../../contract/http.ts';
import type { OfflineEntry } from '../../contract/messages.ts';
import { pageArticleJsonUrl, readUrl } from '../../contract/paths.ts';
import { byId, el, errorText, hideJsNotes } from '../dom.ts';
import { isOnline, onConnectivityChange } from '../offline/connectivity.ts';
import { saveForOffline, savePageForOffline } from '../offline/outbox.ts';
import { fetchesWithAppClosed } from '../offline/permissions.ts';
import { listOffline, onOfflineChange } from '../sw-bridge.ts';

const STATE_TEXT: Record<OfflineEntry['state'], string> = {
  queued: 'Saved; waiting to be downloaded for offline reading.',
  fetching: 'Downloading it for offline reading…',
  ready: 'Ready to read offline.',
  failed: 'It could not be downloaded for offline reading.',
};

type Link = { href: string; label: string };

/** Whether this browser fetches the outbox with the screen closed (read once, when the page starts). */
let appClosedToo = false;

function tell(text: string, ...links: Link[]): void {
  const status = byId('share-status');
  status?.replaceChildren(text, ...links.flatMap((link) => [' ', el('a', { href: link.href }, link.label)]));
}

/** What the edge answered: the article, or why not and whether trying later may work. */
type Extracted = { article: ArticleView } | { message: string; passing: boolean };

async function extract(url: string): Promise<Extracted> {
  const res = await fetch(pageArticleJsonUrl(url));
  if (res.ok) return { article: (await res.json()) as ArticleView };
  const body = (await res.json().catch(() => null)) as ApiError | null;
  return {
    message: body?.error.message ?? `The reader could not fetch that page (it answered ${res.status}).`,
    passing: res.status >= 500 || res.status === 429 || res.status === 408,
  };
}

/**
 * Shows an entry's state as it changes: the entry saved by this page's id, or by its address. Returns what shows the
 * entry a save replied with, unless an announcement already told of a newer state: saving waits for the first fetch
 * to finish, so by then the reply may be older than what the worker announced meanwhile.
 */
function follow(matches: (entry: OfflineEntry) => boolean, original: Link): (replied: OfflineEntry) => void {
  let announced: OfflineEntry | null = null;
  const show = (entry: OfflineEntry) => {
    const read = { href: readUrl(entry.itemId), label: 'Read it now' };
    if (entry.state === 'ready') tell(STATE_TEXT.ready, read);
    else if (entry.state === 'failed') tell(`${STATE_TEXT.failed} ${entry.lastError ?? ''}`, original);
    else if (entry.pageUrl && entry.state === 'queued') {
      const why = entry.lastError ? `${entry.lastError} ` : '';
      const closed = appClosedToo ? ', even if you close this screen' : ' while the reader is open';
      tell(`${why}It is saved in your outbox and downloaded as soon as it can be${closed}.`, {
        href: '/saved',
        label: 'See what is waiting',
      });
    } else tell(STATE_TEXT[entry.state], ...(entry.pageUrl ? [] : [read]));
  };
  onOfflineChange((entry) => {
    if (!matches(entry)) return;
    announced = entry;
    show(entry);
  });
  return (replied) => show(announced ?? replied);
}

/** Into the outbox by address. false: no service worker to keep it, so this screen has to wait for the connection. */
async function queueByAddress(url: string, title: string, original: Link): Promise<boolean> {
  const show = follow((entry) => entry.pageUrl === url, original);
  try {
    show(await savePageForOffline({ pageUrl: url, title }));
    return true;
  } catch {
    tell('You are offline. Keep this screen open: the page is saved as soon as you are back online.');
    return false;
  }
}

async function save(box: HTMLElement): Promise<boolean> {
  const url = box.dataset.shareUrl ?? '';
  const title = box.dataset.shareTitle ?? '';
  const original = { href: url, label: 'Open the original' };
  if (!isOnline()) return queueByAddress(url, title, original);
  tell('Fetching the page…');
  let extracted: Extracted;
  try {
    extracted = await extract(url);
  } catch {
    // The connection dropped on the way.
    return queueByAddress(url, title, original);
  }
  if (!('article' in extracted)) {
    if (extracted.passing) return queueByAddress(url, title, original);
    tell(`${extracted.message} You can still open it at its own site.`, original);
    return true;
  }
  const { article } = extracted;
  const read = { href: readUrl(article.id), label: 'Read it now' };
  box.dataset.itemId = article.id;
  const show = follow((entry) => entry.itemId === article.id, original);
  try {
    show(await saveForOffline({ itemId: article.id, url: read.href, title: article.title || title || url }));
  } catch (error) {
    tell(`It is readable online, but could not be kept for offline reading: ${errorText(error)}`, read);
  }
  return true;
}

/** Saving it again changes nothing the reader did not already choose. */
async function alreadyKept(url: string): Promise<boolean> {
  try {
    return (await listOffline()).some((entry) => entry.pageUrl === url);
  } catch {
    return false;
  }
}

/** Resolves when the reader taps Save. */
function tapToSave(): Promise<void> {
  tell('Not saved yet: save it to read it offline.');
  const button = el('button', { type: 'button', class: 'button', 'data-share-save': true }, 'Save for offline');
  const row = el('p', {}, button);
  byId('share-status')?.after(row);
  return new Promise((resolve) => {
    button.addEventListener(
      'click',
      () => {
        row.remove();
        resolve();
      },
      { once: true },
    );
  });
}

export async function enhanceSharePage(): Promise<void> {
  hideJsNotes();
  const box = document.querySelector<HTMLElement>('[data-share-url]');
  if (!box) return;
  appClosedToo = await fetchesWithAppClosed();
  if (box.dataset.shareAtOnce === undefined && !(await alreadyKept(box.dataset.shareUrl ?? ''))) await tapToSave();
  if (await save(box)) return;
  const stop = onConnectivityChange(async (online) => {
    if (online && (await save(box))) stop();
  });
}
