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

export async function markRead(itemId: string): Promise<number> {
  const db = await openOutbox();
  const tx = db.transaction('articles', 'readwrite');
  const record = await tx.store.get(itemId);
  const read = record?.unread ? { ...record, unread: false } : null;
  if (read) await tx.store.put(read);
  await tx.done;
  if (read) await broadcast({ type: 'offline-entry', entry: toEntry(read) });
  return updateBadge();
}
