// /saved: what this device can read offline (with sizes), what waits (with why, what happens next, Retry and
// Remove), reader actions waiting to be sent or refused (also with Retry and Remove), and the storage used.
// The lists come from the service worker through the bridge and follow its announcements live, so a save
// finishing in another tab shows up here at once.
import type { OfflineEntry, QueuedAction } from '../../contract/messages.ts';
import { byId, el, errorText, hideJsNotes, quietButton } from '../dom.ts';
import { capabilities } from '../offline/capabilities.ts';
import { isOnline, onConnectivityChange } from '../offline/connectivity.ts';
import { retryForOffline } from '../offline/outbox.ts';
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

const entries = new Map<string, OfflineEntry>();
const actions = new Map<string, QueuedAction>();

const STATE_WORDS = {
  queued: 'Waiting',
  fetching: 'Fetching now',
  failed: 'Could not be fetched',
  ready: 'Ready',
} as const;

function whatNext(entry: OfflineEntry): string {
  if (entry.state === 'fetching') return 'Fetching it now.';
  if (entry.state === 'failed')
    return `${entry.lastError ?? 'The last attempt failed.'} It will not be tried again unless you retry.`;
  if (!isOnline()) return 'You are offline: it is fetched as soon as you are back online.';
  const reason = entry.lastError ? `${entry.lastError} ` : '';
  if (entry.nextAttemptAt && entry.nextAttemptAt > Date.now())
    return `${reason}Next try ${formatWhen(entry.nextAttemptAt)}.`;
  return `${reason}Fetching shortly.`;
}

const button = (label: string, name: string, onClick: () => Promise<void>) =>
  quietButton(label, name, onClick, showProblem);

function readyRow(entry: OfflineEntry): HTMLLIElement {
  const detail = [
    entry.bytes !== null ? formatBytes(entry.bytes) : null,
    entry.saved ? 'saved by you' : 'kept by background refresh',
    entry.readyAt ? formatWhen(entry.readyAt) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return el(
    'li',
    { 'data-item-id': entry.itemId, 'data-offline-state': entry.state },
    el('a', { href: entry.url, class: 'saved-title' }, entry.title || 'Untitled'),
    el('span', { class: 'saved-detail' }, detail),
    el(
      'span',
      { class: 'saved-actions' },
      button('Remove', `Remove “${entry.title}”`, () => removeArticle(entry.itemId)),
    ),
  );
}

function waitingRow(entry: OfflineEntry): HTMLLIElement {
  const tries = entry.attempts > 0 ? ` · ${entry.attempts} ${entry.attempts === 1 ? 'try' : 'tries'}` : '';
  return el(
    'li',
    { 'data-item-id': entry.itemId, 'data-offline-state': entry.state },
    el('a', { href: entry.url, class: 'saved-title' }, entry.title || 'Untitled'),
    el('span', { class: 'saved-detail' }, `${STATE_WORDS[entry.state]}${tries}`),
    el(
      'span',
      { class: 'saved-actions' },
      entry.state !== 'fetching' && button('Retry', `Retry “${entry.title}”`, () => retryForOffline(entry.itemId)),
      button('Remove', `Remove “${entry.title}”`, () => removeArticle(entry.itemId)),
    ),
    el('p', { class: 'saved-reason' }, whatNext(entry)),
  );
}

function render(): void {
  const all = [...entries.values()].sort((a, b) => (b.readyAt ?? b.createdAt) - (a.readyAt ?? a.createdAt));
  const ready = all.filter((e) => e.state === 'ready');
  const waiting = all.filter((e) => e.state !== 'ready');
  byId('offline-ready')?.replaceChildren(...ready.map(readyRow));
  byId('offline-waiting')?.replaceChildren(
    ...waiting.map(waitingRow),
    ...[...actions.values()].map((action) => actionRow(action, showProblem)),
  );
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
