// Read state on this device: which items the reader has read (opened, or marked read), so the pages can mark the
// unread ones, count them per source and show only them, offline too. The only module that writes the `reads` store;
// an item with no mark is unread. Bounded: marks made more than READ_MARK_DAYS ago go, and beyond READ_MARK_LIMIT
// the oldest (the edge keeps the newest 200 items a feed, so an item that old has left the lists).
import { openReaderDb } from './reader-db.ts';

export const READ_MARK_DAYS = 90;
export const READ_MARK_LIMIT = 5_000;
const DAY_MS = 86_400_000;

/** Marks items read (now) or unread; returns the ids whose state changed. */
export async function setRead(itemIds: string[], read: boolean, now = Date.now()): Promise<string[]> {
  const tx = (await openReaderDb()).transaction('reads', 'readwrite');
  const changed: string[] = [];
  for (const itemId of new Set(itemIds)) {
    const marked = (await tx.store.getKey(itemId)) !== undefined;
    if (marked === read) continue;
    changed.push(itemId);
    if (read) await tx.store.put({ itemId, readAt: now });
    else await tx.store.delete(itemId);
  }
  await tx.done;
  if (read && changed.length > 0) await forgetOldReadMarks(now);
  return changed;
}

/** Which of these items are read. */
export async function readAmong(itemIds: string[]): Promise<string[]> {
  const tx = (await openReaderDb()).transaction('reads');
  const read: string[] = [];
  for (const itemId of new Set(itemIds)) if ((await tx.store.getKey(itemId)) !== undefined) read.push(itemId);
  await tx.done;
  return read;
}

export async function isRead(itemId: string): Promise<boolean> {
  return (await (await openReaderDb()).getKey('reads', itemId)) !== undefined;
}

/** Drops marks older than READ_MARK_DAYS, then the oldest beyond READ_MARK_LIMIT. */
export async function forgetOldReadMarks(now = Date.now()): Promise<void> {
  const tx = (await openReaderDb()).transaction('reads', 'readwrite');
  const byAge = tx.store.index('by-read-at');
  for (
    let cursor = await byAge.openCursor(IDBKeyRange.upperBound(now - READ_MARK_DAYS * DAY_MS, true));
    cursor;
    cursor = await cursor.continue()
  ) {
    await cursor.delete();
  }
  let excess = (await tx.store.count()) - READ_MARK_LIMIT;
  for (
    let cursor = excess > 0 ? await byAge.openCursor() : null;
    cursor && excess > 0;
    cursor = await cursor.continue(), excess--
  ) {
    await cursor.delete();
  }
  await tx.done;
}

export async function readMarkCount(): Promise<number> {
  return (await openReaderDb()).count('reads');
}
