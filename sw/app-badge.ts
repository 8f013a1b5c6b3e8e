// The app badge counts new articles the background refresh downloaded that the reader has not opened yet.
import { unreadCount } from './library.ts';

declare const self: ServiceWorkerGlobalScope;

export async function updateBadge(): Promise<number> {
  const unread = await unreadCount();
  // Badging is missing outside installed apps on some platforms; the count is still kept for the page.
  if ('setAppBadge' in self.navigator) {
    await (unread > 0 ? self.navigator.setAppBadge(unread) : self.navigator.clearAppBadge()).catch(() => undefined);
  }
  return unread;
}
