// The reader's settings, kept where the service worker can read them without a page (a sync at night needs to
// know whether to notify). Stored values are merged over the defaults, so new settings need no migration; a
// setting whose stored meaning changed does, once, by the record's version.
import { broadcast } from './broadcast.ts';
import { DEFAULT_SETTINGS, type ReaderSettings } from '../contract/messages.ts';
import { openReaderDb, type StoredSettings } from './reader-db.ts';

/**
 * The meaning the settings are stored in now. Version 1 (no `version`) kept at least 1 newest article, so "None"
 * was stored as 1 and no other choice ever was (Settings never offered 1): version 2 reads it as "None", 0.
 */
const SETTINGS_VERSION = 2;

// keepNewest 0 is "None": the background refresh downloads nothing. keepDays 0 is "any age".
const LIMITS = {
  refreshIntervalHours: { min: 1, max: 24 * 7 },
  keepNewest: { min: 0, max: 50 },
  keepDays: { min: 0, max: 90 },
  budgetMb: { min: 5, max: 1000 },
} as const;

const clamp = (value: unknown, fallback: number, { min, max }: { min: number; max: number }) =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;

const flag = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);

/** Only known settings, of the right type and within bounds; anything else keeps its current value. */
function merged(current: ReaderSettings, patch: Partial<ReaderSettings>): ReaderSettings {
  return {
    notifyWhenReady: flag(patch.notifyWhenReady, current.notifyWhenReady),
    notifyNewArticles: flag(patch.notifyNewArticles, current.notifyNewArticles),
    backgroundRefresh: flag(patch.backgroundRefresh, current.backgroundRefresh),
    refreshIntervalHours: clamp(patch.refreshIntervalHours, current.refreshIntervalHours, LIMITS.refreshIntervalHours),
    keepNewest: clamp(patch.keepNewest, current.keepNewest, LIMITS.keepNewest),
    keepDays: clamp(patch.keepDays, current.keepDays, LIMITS.keepDays),
    budgetMb: clamp(patch.budgetMb, current.budgetMb, LIMITS.budgetMb),
    unmeteredOnly: flag(patch.unmeteredOnly, current.unmeteredOnly),
  };
}

/** Settings written by an older version, in this version's meanings; written back once, so a later 1 is a real 1. */
function upgraded(stored: StoredSettings): StoredSettings {
  const { version, ...settings } = stored;
  if ((version ?? 1) < 2 && settings.keepNewest === 1) settings.keepNewest = 0;
  return { ...settings, version: SETTINGS_VERSION };
}

export async function getSettings(): Promise<ReaderSettings> {
  const db = await openReaderDb();
  const tx = db.transaction('settings', 'readwrite');
  let stored = await tx.store.get('reader');
  if (stored && (stored.version ?? 1) < SETTINGS_VERSION) {
    stored = upgraded(stored);
    await tx.store.put(stored, 'reader');
  }
  await tx.done;
  return merged(DEFAULT_SETTINGS, stored ?? {});
}

export async function updateSettings(patch: Partial<ReaderSettings>): Promise<ReaderSettings> {
  const settings = merged(await getSettings(), patch);
  await (await openReaderDb()).put('settings', { ...settings, version: SETTINGS_VERSION }, 'reader');
  await broadcast({ type: 'settings', settings });
  return settings;
}
