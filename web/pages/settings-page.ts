// /settings: the reader's choices, stored by the service worker and applied here as they change (turning background
// refresh on or off registers or unregisters the periodic sync; the offline policy holds at once). Notification
// permission is asked only from the reader's own click on a notification switch, never on load. Where the browser
// cannot do something (refresh in the background, tell Wi-Fi from mobile data), its switch is off and inert, and
// one plain note says what the reader gets instead; so does a Background Sync the reader blocked.
import type { ReaderSettings } from '../../contract/messages.ts';
import { byId, el, errorText, hideJsNotes, say } from '../dom.ts';
import {
  applyBackgroundRefresh,
  backgroundRefreshStatus,
  backgroundRefreshStatusKnown,
} from '../offline/background-sync-registration.ts';
import { capabilities } from '../offline/capabilities.ts';
import {
  backgroundSyncPermission,
  notificationPermission,
  requestNotificationPermission,
} from '../offline/permissions.ts';
import { getSettings, onSettingsChange, updateSettings } from '../sw-bridge.ts';
import { showActivity } from './activity-log.ts';
import { offerClearOfflineData } from './clear-offline-data.ts';
import { connectionIsDescribed, connectionWords, policyWords } from './offline-policy-words.ts';

type Field = HTMLInputElement | HTMLSelectElement;

const status = () => byId('settings-status');

function field(name: keyof ReaderSettings | 'notifications'): Field | null {
  return document.querySelector<Field>(`#settings-fields [name="${name}"]`);
}

function show(settings: ReaderSettings): void {
  const inForce = backgroundRefreshStatus();
  const checks: Array<[string, boolean]> = [
    ['notifications', settings.notifyWhenReady],
    ['notifyNewArticles', settings.notifyNewArticles],
    // Where the browser cannot refresh in the background, the switch is off, whatever was stored.
    ['backgroundRefresh', settings.backgroundRefresh && inForce !== 'while-open'],
    ['unmeteredOnly', settings.unmeteredOnly && connectionIsDescribed()],
  ];
  for (const [name, value] of checks) {
    const input = field(name as keyof ReaderSettings);
    if (input instanceof HTMLInputElement)
      input.checked = value && (!name.startsWith('notif') || notificationPermission() === 'granted');
  }
  for (const [name, value] of [
    ['refreshIntervalHours', settings.refreshIntervalHours],
    ['keepNewest', settings.keepNewest],
    ['keepDays', settings.keepDays],
    ['budgetMb', settings.budgetMb],
  ] as const) {
    const select = field(name);
    if (!(select instanceof HTMLSelectElement)) continue;
    if (![...select.options].some((o) => o.value === String(value)))
      select.add(new Option(String(value), String(value)));
    select.value = String(value);
  }
  const background = field('backgroundRefresh');
  if (background) background.disabled = inForce === 'while-open';
  const interval = field('refreshIntervalHours');
  if (interval) interval.disabled = inForce !== 'periodic-sync';
  const unmetered = field('unmeteredOnly');
  if (unmetered) unmetered.disabled = !connectionIsDescribed();
  const unmeteredHelp = byId('unmetered-help');
  if (unmeteredHelp) unmeteredHelp.textContent = connectionWords();
  const backgroundHelp = byId('background-help');
  if (backgroundHelp)
    backgroundHelp.textContent =
      inForce === 'while-open'
        ? 'This browser cannot refresh with the reader closed (Chrome and Edge allow it for the installed app): instead, the newest articles are fetched whenever the reader is open, by the limits below.'
        : 'The browser chooses the moment (usually on Wi-Fi and power), no more often than the interval below.';
}

function refreshNote(settings: ReaderSettings): string {
  const policy = policyWords(settings);
  if (settings.keepNewest === 0) return policy;
  switch (backgroundRefreshStatus()) {
    case 'periodic-sync':
      return `Background refresh is on, at most every ${settings.refreshIntervalHours} hours. Kept offline: ${lower(policy)}`;
    case 'while-open':
      // The switch's own help says why there is no background refresh here; this says what happens instead.
      return `Kept offline, fetched whenever the reader is open: ${lower(policy)}`;
    default:
      return 'Background refresh is off: articles are fetched when you open them or save them.';
  }
}

const lower = (sentence: string) => sentence.charAt(0).toLowerCase() + sentence.slice(1);

async function capabilityNotes(): Promise<string[]> {
  const can = capabilities();
  const notes: string[] = [];
  if ((await backgroundSyncPermission()) === 'denied') {
    notes.push(
      'Background Sync is blocked for this site in the browser’s settings: articles you save while offline are fetched only while the reader is open and online, not after you close it. To change this, allow background sync in the browser’s site settings.',
    );
  } else if (!can.backgroundSync) {
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

async function showNotes(settings: ReaderSettings): Promise<void> {
  const notes = [refreshNote(settings), ...(await capabilityNotes())];
  byId('capability-notes')?.replaceChildren(...notes.map((note) => el('li', {}, note)));
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
    case 'keepDays':
      return saveSettings({ keepDays: Number(target.value) });
    case 'budgetMb':
      return saveSettings({ budgetMb: Number(target.value) });
    case 'unmeteredOnly':
      return saveSettings({ unmeteredOnly: input!.checked });
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
      await showNotes(settings);
      // A refused permission has already said why the switch stayed off.
      if (!status()?.textContent) say(status(), 'Saved.', 'ok');
    } catch (error) {
      say(status(), `That change could not be saved: ${errorText(error)}`, 'error');
    }
  });
}

/**
 * The stored background-refresh setting is applied as the service worker starts (start-offline-features.ts); the
 * switch and the note should describe what is in force, so wait (briefly) for that rather than applying it a second
 * time alongside.
 */
async function backgroundRefreshApplied(): Promise<void> {
  for (let waited = 0; waited < 3000 && !backgroundRefreshStatusKnown(); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The parts that show this browser's values: hidden by the server, which cannot know them. */
const PARTS_WITH_VALUES = ['settings-form', 'activity-section', 'clear-section'];

export async function enhanceSettingsPage(): Promise<void> {
  if (!capabilities().serviceWorker) {
    const note = document.querySelector('[data-js-note]');
    if (note)
      note.textContent = 'This browser cannot run the reader’s offline features, so there is nothing to set here.';
    return;
  }
  hideJsNotes();
  // Shown once they hold this browser's values: on a first visit the worker may take seconds to answer, and until
  // then the controls would show the markup's choices, not the reader's.
  const reveal = () => {
    for (const id of PARTS_WITH_VALUES) {
      const part = byId(id);
      if (part) part.hidden = false;
    }
  };
  try {
    const settings = await getSettings();
    await backgroundRefreshApplied();
    show(settings);
    await showNotes(settings);
    reveal();
    const fields = byId<HTMLFieldSetElement>('settings-fields');
    if (fields) fields.disabled = false;
    for (const name of ['notifications', 'notifyNewArticles'] as const) {
      const input = field(name);
      if (input && !capabilities().notifications) input.disabled = true;
    }
    onSettingsChange((next) => {
      show(next);
      void showNotes(next);
    });
    wireForm();
    offerClearOfflineData();
    await showActivity();
  } catch (error) {
    // The message lives in the form: show it, without controls whose values are unknown.
    reveal();
    const fields = byId('settings-fields');
    if (fields) fields.hidden = true;
    say(status(), `Settings could not be loaded: ${errorText(error)}`, 'error');
  }
}
