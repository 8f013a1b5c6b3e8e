// The page's own triggers for the outbox, for browsers without Background Sync (Firefox, Safari), for a sync the
// browser refused, and after Chromium's last attempt gave up: on load, on `online`, when the page becomes
// visible, and when the next queued entry is due. Where Background Sync works these only re-register it and
// hurry it along; the leases in the service worker keep any overlap from doubling work.
import type { DrainResult, OfflineEntry, RunTrigger } from '../../contract/messages.ts';
import { drainOutbox, listOffline, onOfflineChange } from '../sw-bridge.ts';
import { registerSync } from './background-sync-registration.ts';
import { isOnline, onConnectivityChange } from './connectivity.ts';

/** Lets the browser's own sync go first when it fires at the same moment. */
const GRACE_MS = 2000;

/**
 * Online, the worker drains the outbox now; while work remains the `fetch-articles` sync is registered where the
 * browser has Background Sync, so it keeps trying with the page closed. Safe to call often: work is never doubled.
 */
async function requestDrain(trigger: RunTrigger): Promise<DrainResult | null> {
  if (!isOnline()) return null;
  const result = await drainOutbox(trigger);
  if (result.remaining > 0) await registerSync();
  return result;
}

export function startFallbackDrain(): void {
  const drain = (trigger: RunTrigger) => void requestDrain(trigger).catch(() => undefined);
  const queued = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    clearTimeout(timer);
    if (queued.size === 0) return;
    const due = Math.min(...queued.values());
    timer = setTimeout(() => drain('timer'), Math.max(0, due - Date.now()) + GRACE_MS);
  };
  const note = (entry: OfflineEntry) => {
    // A ready entry that is still due has pictures to fetch again.
    if (entry.state === 'queued') queued.set(entry.itemId, entry.nextAttemptAt ?? Date.now());
    else if (entry.state === 'ready' && entry.nextAttemptAt !== null) queued.set(entry.itemId, entry.nextAttemptAt);
    else queued.delete(entry.itemId);
  };

  onConnectivityChange((online) => online && drain('online'));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') drain('visible');
  });
  onOfflineChange((entry) => {
    note(entry);
    schedule();
  });
  drain('page-load');
  listOffline().then(
    (entries) => {
      entries.forEach(note);
      schedule();
    },
    () => undefined,
  );
}
