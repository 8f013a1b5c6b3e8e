// When the page registers the browser's background work: the one-off `fetch-articles` sync while the outbox has
// work, and the `refresh-digest` periodic sync while the settings have background refresh on, each where the
// browser allows it. Where it does not, the page's own triggers stand in (fallback-drain.ts, digest-refresh.ts).
import type { ReaderSettings } from '../../contract/messages.ts';
import { PERIODIC_SYNC_TAG, SYNC_TAG } from '../../contract/paths.ts';
import { getSettings, serviceWorkerRegistration } from '../sw-bridge.ts';
import { capabilities, noteBackgroundSyncRefused } from './capabilities.ts';
import { periodicSyncAllowed } from './permissions.ts';

/**
 * How the background refresh runs now: 'periodic-sync' (the browser wakes the service worker), 'while-open' (the
 * page refreshes when shown and every 30 minutes: no Periodic Sync here, or the browser did not allow it), 'off'
 * (the reader turned it off where the browser could do it).
 */
export type BackgroundRefreshStatus = 'periodic-sync' | 'while-open' | 'off';

const HOUR_MS = 60 * 60 * 1000;

let refreshStatus: BackgroundRefreshStatus = 'off';
let refreshStatusKnown = false;

/** Registers the `fetch-articles` sync, so the outbox keeps being worked through with the page closed. */
export async function registerSync(): Promise<boolean> {
  if (!capabilities().backgroundSync) return false;
  try {
    const registration = await serviceWorkerRegistration();
    if (!registration.sync) return false;
    await registration.sync.register(SYNC_TAG);
    return true;
  } catch {
    // Refused (the reader blocked background sync for the site): the page's own triggers take over.
    noteBackgroundSyncRefused();
    return false;
  }
}

/** How the background refresh runs at the moment (known once the stored setting has been applied). */
export function backgroundRefreshStatus(): BackgroundRefreshStatus {
  return refreshStatus;
}

/** Whether the stored setting has been applied yet (before that, the status says 'off' without knowing). */
export function backgroundRefreshStatusKnown(): boolean {
  return refreshStatusKnown;
}

/**
 * Background refresh on: registers the `refresh-digest` periodic sync with the chosen interval where the browser
 * allows it (otherwise the page refreshes while open). Off: unregisters it.
 */
export async function applyBackgroundRefresh(settings: ReaderSettings): Promise<BackgroundRefreshStatus> {
  refreshStatus = await registerPeriodicSync(settings);
  refreshStatusKnown = true;
  return refreshStatus;
}

/**
 * Where the browser cannot refresh in the background (no Periodic Sync, or not allowed), the setting does not apply:
 * the page refreshes while open whatever it says, by the offline policy ("None" kept stops that too).
 */
async function registerPeriodicSync(settings: ReaderSettings): Promise<BackgroundRefreshStatus> {
  const registration = await serviceWorkerRegistration();
  const periodic = registration.periodicSync;
  if (!periodic || !(await periodicSyncAllowed())) return 'while-open';
  if (!settings.backgroundRefresh) {
    await periodic.unregister(PERIODIC_SYNC_TAG).catch(() => undefined);
    return 'off';
  }
  try {
    await periodic.register(PERIODIC_SYNC_TAG, { minInterval: settings.refreshIntervalHours * HOUR_MS });
    return 'periodic-sync';
  } catch (error) {
    // NotAllowedError: not installed and not granted. Expected and quiet; the page refreshes while open instead.
    if ((error as DOMException).name !== 'NotAllowedError') console.warn('Offline Reader: periodic sync failed', error);
    return 'while-open';
  }
}

/** Applies the stored setting once the service worker runs; a failure is logged, never thrown. */
export async function applyStoredBackgroundRefresh(): Promise<void> {
  try {
    await applyBackgroundRefresh(await getSettings());
  } catch (error) {
    console.warn('Offline Reader: could not apply the background refresh setting', error);
  }
}
