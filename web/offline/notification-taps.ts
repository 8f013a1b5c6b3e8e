// A tapped notification, for a window the service worker could not navigate itself (not yet controlled by it): this
// window goes there, if the address is the site's own.
import { onNavigateRequest } from '../sw-bridge.ts';

export function followNotificationTaps(): void {
  onNavigateRequest((url) => {
    if (new URL(url, location.href).origin === location.origin) location.assign(url);
  });
}
