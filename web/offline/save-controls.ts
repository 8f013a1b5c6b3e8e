// Every `[data-save-offline]` control (the article page's "Save for offline", at its top and its end; the offline
// page's "Get it when I'm back online"): it saves the article of the nearest `[data-item-id]` box, keeps one the
// background refresh downloaded, and tries a failed one again. Words come from offline-words.ts, once each: where
// the reader can act, the control names the action and the box's `[data-offline-mark]` says where the article
// stands; where there is nothing to do, the control says where it stands and the mark is empty, never both saying
// the same. Notification permission is asked here, from the reader's tap, and only if they want notifications.
import type { OfflineEntry } from '../../contract/messages.ts';
import { readUrl } from '../../contract/paths.ts';
import { errorText } from '../dom.ts';
import { getSettings, onSettingsChange } from '../sw-bridge.ts';
import { isOnline, onConnectivityChange } from './connectivity.ts';
import { offlineEntry, onEntryChange } from './offline-states.ts';
import { actionWords, stateWords } from './offline-words.ts';
import { retryForOffline, saveForOffline } from './outbox.ts';
import { requestNotificationPermission } from './permissions.ts';

let notifyWhenReady = true;

function itemOf(control: HTMLElement): { itemId: string; title: string } | null {
  const box = control.closest<HTMLElement>('[data-item-id]');
  const itemId = box?.dataset.itemId;
  if (!itemId) return null;
  const heading = box?.closest('article')?.querySelector('h1') ?? document.querySelector('main h1');
  const title = box?.dataset.title ?? control.dataset.title ?? heading?.textContent?.trim() ?? '';
  return { itemId, title };
}

function show(control: HTMLElement, entry: OfflineEntry | undefined): void {
  control.dataset.label ??= control.textContent?.trim() ?? '';
  const online = isOnline();
  const action = entry ? actionWords(entry, online) : control.dataset.label;
  control.textContent = action ?? (entry ? stateWords(entry, online) : '');
  if (entry) control.dataset.offlineState = entry.state;
  else delete control.dataset.offlineState;
  control.setAttribute('aria-disabled', String(action === null));
  const mark = control.closest('[data-item-id]')?.querySelector('[data-offline-mark]');
  if (mark) mark.textContent = entry && action !== null ? stateWords(entry, online) : '';
}

async function activate(control: HTMLElement): Promise<void> {
  const item = itemOf(control);
  if (!item) return;
  const entry = offlineEntry(item.itemId);
  if (entry && actionWords(entry, isOnline()) === null) return;
  // Keeping what is on the device already needs no notification, nor a download.
  if (entry?.state === 'ready') {
    await saveForOffline({ itemId: item.itemId, url: readUrl(item.itemId), title: item.title });
    return;
  }
  // Asked within the tap's user activation, before anything slow; the answer does not hold up the save.
  if (notifyWhenReady) void requestNotificationPermission();
  if (entry) await retryForOffline(item.itemId);
  else await saveForOffline({ itemId: item.itemId, url: readUrl(item.itemId), title: item.title });
}

function wire(control: HTMLElement): void {
  if ('wired' in control.dataset) return;
  control.dataset.wired = '';
  control.hidden = false;
  // The server renders a link to how offline reading works (it needs this script); now it is a button.
  if (control instanceof HTMLAnchorElement) control.setAttribute('role', 'button');
  const run = (event: Event) => {
    event.preventDefault();
    activate(control).catch((error: unknown) => {
      control.textContent = `Could not save: ${errorText(error)}`;
    });
  };
  control.addEventListener('click', run);
  control.addEventListener('keydown', (event) => {
    if (event.key === ' ') run(event);
  });
  const item = itemOf(control);
  show(control, item ? offlineEntry(item.itemId) : undefined);
}

/** Wires the controls on the page now and any added later. */
export function wireSaveControls(): void {
  const wireAll = () => {
    for (const control of document.querySelectorAll<HTMLElement>('[data-save-offline]')) wire(control);
  };
  wireAll();
  new MutationObserver(wireAll).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-item-id'],
  });
  onEntryChange((itemId, entry) => {
    for (const control of document.querySelectorAll<HTMLElement>('[data-save-offline]')) {
      if (itemOf(control)?.itemId === itemId) show(control, entry);
    }
  });
  // "Queued: downloads when you're back online" is only true offline.
  onConnectivityChange(() => {
    for (const control of document.querySelectorAll<HTMLElement>('[data-save-offline][data-wired]')) {
      const item = itemOf(control);
      show(control, item ? offlineEntry(item.itemId) : undefined);
    }
  });
  getSettings().then(
    (settings) => (notifyWhenReady = settings.notifyWhenReady),
    () => undefined,
  );
  onSettingsChange((settings) => (notifyWhenReady = settings.notifyWhenReady));
}
