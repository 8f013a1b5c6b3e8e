// /saved: what this device can read offline (with sizes), what waits (with why, what happens next, and what the
// reader can do: keep, try again, remove), reader actions waiting to be sent or refused (also with Retry and Remove),
// and the storage used. The lists come from the service worker through the bridge and follow its announcements
// live, row by row in place (web/pages/patch-list.ts), so a save finishing in another tab shows up here at once
// without taking the reader's focus. Removing waits out an undo window (web/pages/undoable-removal.ts).
import type { OfflineEntry, QueuedAction } from '../../contract/messages.ts';
import { byId, el, errorText, hideJsNotes, quietButton } from '../dom.ts';
import { capabilities } from '../offline/capabilities.ts';
import { isOnline, onConnectivityChange } from '../offline/connectivity.ts';
import { actionWords, stateWords } from '../offline/offline-words.ts';
import { retryForOffline, saveForOffline } from '../offline/outbox.ts';
import { keepStorage } from '../offline/permissions.ts';
import { storageStatus } from '../offline/storage-estimate.ts';
import {
  listActions,
  listOffline,
  onActionChange,
  onOfflineChange,
  onOfflineRemoved,
  removeArticle,
} from '../sw-bridge.ts';
import { actionRow } from './action-rows.ts';
import { formatBytes, formatWhen } from './format.ts';
import { patchList } from './patch-list.ts';
import { removeWithUndo } from './undoable-removal.ts';

const entries = new Map<string, OfflineEntry>();
const actions = new Map<string, QueuedAction>();
/** Entries whose removal waits out its undo window: their rows are set aside, not rendered. */
const removing = new Set<string>();

function whatNext(entry: OfflineEntry): string {
  if (entry.state === 'fetching') return 'Fetching it now.';
  if (entry.state === 'failed')
    return isOnline()
      ? `${entry.lastError ?? 'The last attempt failed.'} It will not be tried again unless you try again.`
      : `${entry.lastError ?? 'The last attempt failed.'} Try again, and it is fetched when you are back online.`;
  if (!isOnline()) return 'You are offline: it is fetched as soon as you are back online.';
  const reason = entry.lastError ? `${entry.lastError} ` : '';
  if (entry.nextAttemptAt && entry.nextAttemptAt > Date.now())
    return `${reason}Next try ${formatWhen(entry.nextAttemptAt)}.`;
  return `${reason}Fetching shortly.`;
}

const button = (label: string, name: string, onClick: () => Promise<void>) => {
  const made = quietButton(label, name, onClick, showProblem);
  made.dataset.key = label;
  return made;
};

/** Keep, Try again or Try again now, when the entry has one; then Remove. */
function actionsOf(entry: OfflineEntry): HTMLElement {
  const action = actionWords(entry, isOnline());
  const title = entry.title || 'Untitled';
  const act =
    action === 'Keep offline'
      ? () => saveForOffline({ itemId: entry.itemId, url: entry.url, title: entry.title }).then(() => undefined)
      : () => retryForOffline(entry.itemId);
  return el(
    'span',
    { class: 'saved-actions' },
    action && button(action, `${action}: “${title}”`, act),
    button('Remove', `Remove “${title}”`, async () => removeLater(entry)),
  );
}

function removeLater(entry: OfflineEntry): void {
  const row = document.querySelector<HTMLElement>(`.saved-list li[data-item-id="${CSS.escape(entry.itemId)}"]`);
  if (!row) return;
  const title = entry.title || 'Untitled';
  removing.add(entry.itemId);
  // Set aside: no longer the entry's row (lists and tests find it gone), until Undo brings it back.
  row.removeAttribute('data-item-id');
  removeWithUndo({
    row,
    removedWords: `Removed “${title}”`,
    doneWords: `Removed “${title}”`,
    commit: () => removeArticle(entry.itemId),
    onDone: () => removing.delete(entry.itemId),
    onUndo: () => {
      removing.delete(entry.itemId);
      row.setAttribute('data-item-id', entry.itemId);
      render();
    },
    onError: (error) => {
      removing.delete(entry.itemId);
      row.setAttribute('data-item-id', entry.itemId);
      showProblem(`Removing “${title}” did not work: ${errorText(error)}`);
      render();
    },
  });
  render();
}

function row(entry: OfflineEntry, detail: string, reason: string | null): HTMLLIElement {
  return el(
    'li',
    { 'data-item-id': entry.itemId, 'data-offline-state': entry.state },
    el('a', { href: entry.url, class: 'saved-title' }, entry.title || 'Untitled'),
    el('span', { class: 'saved-detail' }, detail),
    actionsOf(entry),
    reason !== null && el('p', { class: 'saved-reason' }, reason),
  );
}

function readyRow(entry: OfflineEntry): HTMLLIElement {
  const detail = [
    stateWords(entry, isOnline()),
    entry.bytes !== null ? formatBytes(entry.bytes) : null,
    entry.readyAt ? formatWhen(entry.readyAt) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return row(entry, detail, null);
}

function waitingRow(entry: OfflineEntry): HTMLLIElement {
  const tries = entry.attempts > 0 ? ` · ${entry.attempts} ${entry.attempts === 1 ? 'try' : 'tries'}` : '';
  // The reason below says why; the detail line says where it stands, in the words used everywhere else.
  const words = entry.state === 'queued' && entry.lastError ? 'Waiting to try again' : stateWords(entry, isOnline());
  return row(entry, `${entry.state === 'failed' ? 'Could not save' : words}${tries}`, whatNext(entry));
}

function render(): void {
  const all = [...entries.values()]
    .filter((entry) => !removing.has(entry.itemId))
    .sort((a, b) => (b.readyAt ?? b.createdAt) - (a.readyAt ?? a.createdAt));
  const ready = all.filter((e) => e.state === 'ready');
  const waiting = all.filter((e) => e.state !== 'ready');
  const readyList = byId('offline-ready');
  const waitingList = byId('offline-waiting');
  if (readyList) patchList(readyList, ready.map(readyRow));
  if (waitingList)
    patchList(waitingList, [
      ...waiting.map(waitingRow),
      ...[...actions.values()].map((action) => actionRow(action, showProblem)),
    ]);
  const readyEmpty = byId('offline-ready-empty');
  const waitingEmpty = byId('offline-waiting-empty');
  if (readyEmpty) readyEmpty.hidden = ready.length > 0;
  if (waitingEmpty) waitingEmpty.hidden = waiting.length + actions.size > 0;
}

function showProblem(message: string): void {
  const empty = byId('offline-ready-empty');
  if (!empty) return;
  empty.textContent = message;
  empty.hidden = false;
}

async function showStorage(): Promise<void> {
  const { usage, quota, persisted } = await storageStatus();
  const set = (id: string, text: string) => {
    const target = byId(id);
    if (target) target.textContent = text;
  };
  set('storage-used', formatBytes(usage));
  const share = usage / quota < 0.01 ? 'less than 1 %' : `${Math.round((usage / quota) * 100)} %`;
  set('storage-quota', quota ? `${formatBytes(quota)} (${share} used)` : 'Unknown');
  set(
    'storage-persistent',
    persisted ? 'Yes: the browser keeps it' : 'No: the browser may clear it when space runs low',
  );
  const persist = byId<HTMLButtonElement>('persist-storage');
  if (persist) persist.hidden = persisted || !capabilities().persistentStorage;
}

function offerPersistence(): void {
  byId('persist-storage')?.addEventListener('click', async () => {
    await keepStorage();
    await showStorage();
  });
}

export async function enhanceSavedPage(): Promise<void> {
  hideJsNotes();
  offerPersistence();
  const loading = byId('offline-loading');
  if (loading) loading.hidden = false;
  onOfflineChange((entry) => {
    entries.set(entry.itemId, entry);
    render();
    void showStorage();
  });
  onOfflineRemoved((itemId) => {
    entries.delete(itemId);
    render();
    void showStorage();
  });
  onActionChange((action, removed) => {
    if (removed) actions.delete(action.id);
    else actions.set(action.id, action);
    render();
  });
  onConnectivityChange(render);
  try {
    await showStorage();
    const [offline, queued] = await Promise.all([listOffline(), listActions()]);
    for (const entry of offline) entries.set(entry.itemId, entry);
    for (const action of queued) actions.set(action.id, action);
    render();
  } catch (error) {
    showProblem(`Offline reading is not available in this browser: ${errorText(error)}`);
  } finally {
    if (loading) loading.hidden = true;
  }
}
