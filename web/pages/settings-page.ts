// /settings: the reader's choices, stored by the service worker and applied here as they change (turning background
// refresh on or off registers or unregisters the periodic sync). Notification permission is asked only from the
// reader's own click on a notification switch, never on load. Where the browser lacks a capability, one plain note
// says what the reader gets instead.
import type { ReaderSettings } from '../../contract/messages.ts';
import { byId, el, errorText, hideJsNotes, say } from '../dom.ts';
import { applyBackgroundRefresh, backgroundRefreshStatus } from '../offline/background-sync-registration.ts';
import { capabilities } from '../offline/capabilities.ts';
import { notificationPermission, requestNotificationPermission } from '../offline/permissions.ts';
import { getSettings, onSettingsChange, updateSettings } from '../sw-bridge.ts';
import { showActivity } from './activity-log.ts';
import { offerClearOfflineData } from './clear-offline-data.ts';

type Field = HTMLInputElement | HTMLSelectElement;

const status = () => byId('settings-status');

function field(name: keyof ReaderSettings | 'notifications'): Field | null {
  return document.querySelector<Field>(`#settings-fields [name="${name}"]`);
}

function show(settings: ReaderSettings): void {
  const checks: Array<[string, boolean]> = [
    ['notifications', settings.notifyWhenReady],
    ['notifyNewArticles', settings.notifyNewArticles],
    ['backgroundRefresh', settings.backgroundRefresh],
  ];
  for (const [name, value] of checks) {
    const input = field(name as keyof ReaderSettings);
    if (input instanceof HTMLInputElement)
      input.checked = value && (!name.startsWith('notif') || notificationPermission() === 'granted');
  }
  for (const [name, value] of [
    ['refreshIntervalHours', settings.refreshIntervalHours],
    ['keepNewest', settings.keepNewest],
  ] as const) {
    const select = field(name);
    if (!(select instanceof HTMLSelectElement)) continue;
    if (![...select.options].some((o) => o.value === String(value)))
      select.add(new Option(String(value), String(value)));
    select.value = String(value);
  }
  const interval = field('refreshIntervalHours');
  if (interval) interval.disabled = !settings.backgroundRefresh;
}

function refreshNote(settings: ReaderSettings): string {
  switch (backgroundRefreshStatus()) {
    case 'periodic-sync':
      return `Background refresh is on: the browser fetches the newest ${settings.keepNewest} articles at most every ${settings.refreshIntervalHours} hours.`;
    case 'while-open':
      return 'This browser does not let the reader refresh in the background (Chrome and Edge allow it for the installed app). Instead, the newest articles are fetched whenever the reader is open.';
    default:
      return 'Background refresh is off: articles are fetched when you open them or save them.';
  }
}

function capabilityNotes(): string[] {
  const can = capabilities();
  const notes: string[] = [];
  if (!can.backgroundSync) {
    notes.push(
      'This browser has no Background Sync: articles you save while offline are fetched the next time the reader is open and online.',
    );
  }
  if (!can.notifications)
    notes.push('This browser cannot show notifications from the reader; Saved shows when articles are ready.');
  else if (notificationPermission() === 'denied') {
    notes.push(
      'Notifications are blocked for this site. To get them, allow notifications in the browser’s site settings.',
    );
  }
  return notes;
}

function showNotes(settings: ReaderSettings): void {
  byId('capability-notes')?.replaceChildren(
    ...[refreshNote(settings), ...capabilityNotes()].map((note) => el('li', {}, note)),
  );
}

/** A notification switch turned on asks for permission first, from this very click; refused, it stays off. */
async function notificationChoice(input: HTMLInputElement): Promise<boolean> {
  if (!input.checked) return false;
  const permission = await requestNotificationPermission();
  if (permission === 'granted') return true;
  input.checked = false;
  say(
    status(),
    'Notifications were not allowed, so this stays off. You can allow them in the browser’s site settings.',
    'error',
  );
  return false;
}

/**
 * Stores a change and puts it in force. Turning a notification setting on does not ask for permission:
 * notificationChoice does, from the same click.
 */
async function saveSettings(patch: Partial<ReaderSettings>): Promise<ReaderSettings> {
  const settings = await updateSettings(patch);
  await applyBackgroundRefresh(settings);
  return settings;
}

async function change(target: Field): Promise<ReaderSettings | null> {
  const input = target instanceof HTMLInputElement ? target : null;
  switch (target.name) {
    case 'notifications':
      return saveSettings({ notifyWhenReady: await notificationChoice(input!) });
    case 'notifyNewArticles':
      return saveSettings({ notifyNewArticles: await notificationChoice(input!) });
    case 'backgroundRefresh':
      return saveSettings({ backgroundRefresh: input!.checked });
    case 'refreshIntervalHours':
      return saveSettings({ refreshIntervalHours: Number(target.value) });
    case 'keepNewest':
      return saveSettings({ keepNewest: Number(target.value) });
    default:
      return null;
  }
}

function wireForm(): void {
  const form = byId<HTMLFormElement>('settings-form');
  form?.addEventListener('submit', (event) => event.preventDefault());
  form?.addEventListener('change', async (event) => {
    say(status(), '');
    try {
      const settings = await change(event.target as Field);
      if (!settings) return;
      show(settings);
      showNotes(settings);
      // A refused permission has already said why the switch stayed off.
      if (!status()?.textContent) say(status(), 'Saved.', 'ok');
    } catch (error) {
      say(status(), `That change could not be saved: ${errorText(error)}`, 'error');
    }
  });
}

/**
 * The stored background-refresh setting is applied as the service worker starts (start-offline-features.ts); the
 * note should describe what is in force, so wait (briefly) for that rather than applying it a second time alongside.
 */
async function backgroundRefreshApplied(settings: ReaderSettings): Promise<void> {
  for (
    let waited = 0;
    waited < 3000 && settings.backgroundRefresh && backgroundRefreshStatus() === 'off';
    waited += 100
  ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function enhanceSettingsPage(): Promise<void> {
  hideJsNotes();
  if (!capabilities().serviceWorker) {
    say(status(), 'This browser cannot run the reader’s offline features, so there is nothing to set here.', 'error');
    return;
  }
  try {
    const settings = await getSettings();
    await backgroundRefreshApplied(settings);
    show(settings);
    showNotes(settings);
    const fields = byId<HTMLFieldSetElement>('settings-fields');
    if (fields) fields.disabled = false;
    for (const name of ['notifications', 'notifyNewArticles'] as const) {
      const input = field(name);
      if (input && !capabilities().notifications) input.disabled = true;
    }
    onSettingsChange((next) => {
      show(next);
      showNotes(next);
    });
    wireForm();
    offerClearOfflineData();
    await showActivity();
  } catch (error) {
    say(status(), `Settings could not be loaded: ${errorText(error)}`, 'error');
  }
}
