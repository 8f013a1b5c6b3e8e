// A tap on a notification (or its "Read now" action) opens what it is about: an open window of the site is
// focused and navigated there, or a new one is opened.
import type { EventMessage } from '../contract/messages.ts';
import type { NotificationData } from './notify-batch.ts';

declare const self: ServiceWorkerGlobalScope;

export async function openFromNotification(event: NotificationEvent): Promise<void> {
  event.notification.close();
  const target = new URL((event.notification.data as NotificationData | null)?.url ?? '/', self.location.origin);
  if (target.origin !== self.location.origin) return;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => client.focused) ?? windows[0];
  if (!open) {
    await self.clients.openWindow(target.href);
    return;
  }
  // Focus needs the tap's user activation; without it the navigation still happens.
  const focused = await open.focus().catch(() => open);
  const navigated = await focused.navigate(target.href).catch(() => null);
  // navigate() works only for windows this worker controls; others navigate themselves (web/offline/notification-taps.ts).
  if (!navigated) focused.postMessage({ type: 'navigate', url: target.href } satisfies EventMessage);
}
