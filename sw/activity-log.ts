// What background work ran on this device, for the settings page and for anyone asking "did it sync?". Bounded:
// the newest entries are kept.
import { broadcast } from './broadcast.ts';
import type { ActivityEntry } from '../contract/messages.ts';
import { openReaderDb, type ActivityRecord } from './reader-db.ts';

const KEEP_ENTRIES = 200;

/** A run's entry before it has done anything: what started it, and nothing fetched, failed or sent yet. */
export function newActivity(
  kind: ActivityRecord['kind'],
  trigger: ActivityRecord['trigger'],
  at: number,
  lastChance = false,
): ActivityRecord {
  const nothing = { durationMs: 0, fetched: [], failed: [], actions: [], remaining: 0, notModified: false, bytes: 0 };
  return { at, kind, trigger, lastChance, ...nothing };
}

export async function logActivity(entry: ActivityRecord): Promise<void> {
  const db = await openReaderDb();
  const id = await db.add('activity', entry);
  const tx = db.transaction('activity', 'readwrite');
  const count = await tx.store.count();
  let cursor = count > KEEP_ENTRIES ? await tx.store.openCursor() : null;
  for (let excess = count - KEEP_ENTRIES; cursor && excess > 0; excess--) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
  await tx.done;
  await broadcast({ type: 'activity', entry: { ...entry, id } });
}

export async function activityLog(): Promise<ActivityEntry[]> {
  const records = await (await openReaderDb()).getAll('activity');
  return records.reverse() as ActivityEntry[];
}

export async function clearActivity(): Promise<void> {
  await (await openReaderDb()).clear('activity');
}
