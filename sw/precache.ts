// The app shell (script, styles, manifest, icons and the /offline page), precached at install from the manifest
// the build injects, and the caches of older versions removed once this one is active.
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

export const OFFLINE_PAGE = '/offline';

export function precacheAppShell(): void {
  precacheAndRoute(self.__WB_MANIFEST);
  cleanupOutdatedCaches();
}

export function offlinePage(): Promise<Response | undefined> {
  return matchPrecache(OFFLINE_PAGE);
}
