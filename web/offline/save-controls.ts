// Every `[data-save-offline]` control (the article page's "Save for offline", the offline page's "Get it when I'm
// back online"): it saves the article of the nearest `[data-item-id]`, says where that stands, and retries a
// failed one. Notification permission is asked here, from the reader's tap, and only if they want notifications.
import type { OfflineEntry } from '../../contract/messages.ts';
import { readUrl } from '../../contract/paths.ts';
import { errorText } from '../dom.ts';
import { getSettings, onSettingsChange } from '../sw-bridge.ts';
import { offlineEntry, onEntryChange } from './offline-states.ts';
import { retryForOffline, saveForOffline } from './outbox.ts';
import { requestNotificationPermission } from './permissions.ts';

const LABELS: Record<OfflineEntry['state'], (entry: OfflineEntry) => string> = {
  queued: (entry) =>
    entry.lastError && entry.attempts > 0
      ? `Waiting to try again: ${entry.lastError}`
      : "Queued: it will download when you're online",
  fetching: () => 'Saving for offline…',
  ready: () => 'Available offline',
  failed: (entry) => `Could not save${entry.lastError ? `: ${entry.lastError}` : ''}. Try again`,
};

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
  control.textContent = entry ? LABELS[entry.state](entry) : control.dataset.label;
  if (entry) control.dataset.offlineState = entry.state;
  else delete control.dataset.offlineState;
  control.setAttribute('aria-disabled', String(entry?.state === 'ready' || entry?.state === 'fetching'));
}

async function activate(control: HTMLElement): Promise<void> {
  const item = itemOf(control);
  if (!item) return;
  const entry = offlineEntry(item.itemId);
  if (entry?.state === 'ready' || entry?.state === 'fetching') return;
  // Asked within the tap's user activation, before anything slow; the answer does not hold up the save.
  if (notifyWhenReady) void requestNotificationPermission();
  if (entry?.state === 'failed') await retryForOffline(item.itemId);
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
  getSettings().then(
    (settings) => (notifyWhenReady = settings.notifyWhenReady),
    () => undefined,
  );
  onSettingsChange((settings) => (notifyWhenReady = settings.notifyWhenReady));
}
