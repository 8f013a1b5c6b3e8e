// What the service worker's modules reach for on `self` and Node lacks: the site's origin, the windows to tell
// (one, which keeps what it is told), the caches (a Map per cache, by URL) and no Content Index. Each test starts with
// an empty database (deleted: the open connection closes itself, as a worker's does for an upgrade), no caches and
// no messages.
import { deleteDB } from 'idb';
import { beforeEach } from 'vitest';
import type { EventMessage } from '../../../contract/messages.ts';

export const ORIGIN = 'http://reader.test';

/** What the service worker told the open window, oldest first. */
export const told: EventMessage[] = [];

const toUrl = (request: RequestInfo | URL) =>
  new URL(request instanceof Request ? request.url : String(request), ORIGIN).href;

class MemoryCache {
  readonly entries = new Map<string, Response>();
  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    return this.entries.get(toUrl(request))?.clone();
  }
  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    this.entries.set(toUrl(request), new Response(await response.arrayBuffer(), response));
  }
  async delete(request: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(toUrl(request));
  }
}

class MemoryCacheStorage {
  readonly named = new Map<string, MemoryCache>();
  async open(name: string): Promise<MemoryCache> {
    const cache = this.named.get(name) ?? new MemoryCache();
    this.named.set(name, cache);
    return cache;
  }
  async has(name: string): Promise<boolean> {
    return this.named.has(name);
  }
  async delete(name: string): Promise<boolean> {
    return this.named.delete(name);
  }
}

export const memoryCaches = new MemoryCacheStorage();

/** The one window: on screen unless a test hides it (as a tab in the background or a minimised app is). */
export const openWindow = {
  visibilityState: 'visible' as DocumentVisibilityState,
  focused: false,
  postMessage: (message: EventMessage) => told.push(structuredClone(message)),
};

/** What the worker showed in the system tray, by tag (a new one with the same tag replaces the old). */
export const shownNotifications = new Map<string, { title: string; options: NotificationOptions }>();

Object.assign(globalThis, {
  self: globalThis,
  location: new URL(`${ORIGIN}/sw.js`),
  caches: memoryCaches,
  clients: { matchAll: async () => [openWindow] },
  registration: {
    showNotification: async (title: string, options: NotificationOptions = {}) => {
      shownNotifications.set(options.tag ?? '', { title, options });
    },
    getNotifications: async ({ tag }: { tag?: string } = {}) =>
      [...shownNotifications.entries()].filter(([t]) => !tag || t === tag).map(([, n]) => ({ data: n.options.data })),
  },
  Notification: { permission: 'granted', maxActions: 0 },
});

beforeEach(async () => {
  await deleteDB('offline-reader');
  memoryCaches.named.clear();
  told.length = 0;
  shownNotifications.clear();
  openWindow.visibilityState = 'visible';
  openWindow.focused = false;
});
