// The reader's settings, kept where the service worker can read them without a page (a sync at night needs to
// know whether to notify). Stored values are merged over the defaults, so new settings need no migration.
import { broadcast } from './broadcast.ts';
import { DEFAULT_SETTINGS, type ReaderSettings } from '../contract/messages.ts';
import { openReaderDb } from './reader-db.ts';

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

export async function getSettings(): Promise<ReaderSettings> {
  const stored = await (await openReaderDb()).get('settings', 'reader');
  return merged(DEFAULT_SETTINGS, stored ?? {});
}

export async function updateSettings(patch: Partial<ReaderSettings>): Promise<ReaderSettings> {
  const settings = merged(await getSettings(), patch);
  await (await openReaderDb()).put('settings', settings, 'reader');
  await broadcast({ type: 'settings', settings });
  return settings;
}
