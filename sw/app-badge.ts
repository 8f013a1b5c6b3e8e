// The app badge counts new articles the background refresh downloaded that the reader has not opened yet.
import { broadcast } from './broadcast.ts';
import { openOutbox } from './outbox-db.ts';
import { toEntry } from './outbox.ts';

declare const self: ServiceWorkerGlobalScope;

export async function unreadCount(): Promise<number> {
  const records = await (await openOutbox()).getAll('articles');
  return records.filter((record) => record.unread).length;
}

export async function updateBadge(): Promise<number> {
  const unread = await unreadCount();
  // Badging is missing outside installed apps on some platforms; the count is still kept for the page.
  if ('setAppBadge' in self.navigator) {
    await (unread > 0 ? self.navigator.setAppBadge(unread) : self.navigator.clearAppBadge()).catch(() => undefined);
  }
  return unread;
}

/** Also notes when it was read: storage running out drops the prefetched articles read longest ago first. */
export async function markRead(itemId: string, now = Date.now()): Promise<number> {
  const db = await openOutbox();
  const tx = db.transaction('articles', 'readwrite');
  const record = await tx.store.get(itemId);
  if (record) await tx.store.put({ ...record, unread: false, lastReadAt: now });
  await tx.done;
  if (record?.unread) await broadcast({ type: 'offline-entry', entry: toEntry({ ...record, unread: false }) });
  return updateBadge();
}
