// What the reader was told, seen two ways. Inside the worker: every showNotification call, logged into an
// IndexedDB database of its own (it outlives kills and restarts), with the items that were news in it (not already
// in the notification it replaces: notify-batch.ts folds earlier items into a replacement, which is no second
// notice). Playwright reports a restarted worker late or not at all, so the log can miss calls; from a page: what
// is on screen, sampled through the run, since an item stays in the "ready" notification until the browser closes.
import type { BrowserContext, Worker } from 'playwright-core';
import { shownNotifications, type Inside } from './service-worker.ts';

export interface LoggedNotification {
  at: number;
  tag: string;
  title: string;
  items: string[];
  /** Items this call told the reader about for the first time. */
  fresh: string[];
}

const LOG_DB = 'chaos-proof-notifications';

function wrapShowNotification(dbName: string): void {
  type Scope = { registration: ServiceWorkerRegistration; notificationLogInstalled?: boolean };
  const scope = self as unknown as Scope;
  if (scope.notificationLogInstalled) return;
  scope.notificationLogInstalled = true;
  const { registration } = scope;
  const show = registration.showNotification.bind(registration);
  const idsOf = (data: unknown) =>
    ((data as { items?: Array<{ itemId: string }> } | null)?.items ?? []).map((item) => item.itemId);
  const append = (entry: object) =>
    new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(dbName, 1);
      open.onupgradeneeded = () => open.result.createObjectStore('shown', { autoIncrement: true });
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('shown', 'readwrite');
        tx.objectStore('shown').add(entry);
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
  registration.showNotification = async (title: string, options: NotificationOptions = {}) => {
    const tag = options.tag ?? '';
    const displayed = new Set((await registration.getNotifications({ tag })).flatMap((n) => idsOf(n.data)));
    // Shown first, logged after: a worker killed in between shows it again, and the replacement is not news.
    await show(title, options);
    const items = idsOf(options.data);
    await append({ at: Date.now(), tag, title, items, fresh: items.filter((id) => !displayed.has(id)) });
  };
}

async function install(worker: Worker): Promise<void> {
  await worker.evaluate(wrapShowNotification, LOG_DB).catch(() => undefined);
}

/** Wraps showNotification in the running worker and in every one that starts later in this browser. */
export async function logNotifications(context: BrowserContext): Promise<void> {
  context.on('serviceworker', (worker) => void install(worker));
  await Promise.all(context.serviceWorkers().map(install));
}

export function loggedNotifications(target: Inside): Promise<LoggedNotification[]> {
  const run = target.evaluate.bind(target) as (
    fn: (name: string) => Promise<LoggedNotification[]>,
    arg: string,
  ) => Promise<LoggedNotification[]>;
  return run(
    (name) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(name, 1);
        open.onupgradeneeded = () => open.result.createObjectStore('shown', { autoIncrement: true });
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('shown').objectStore('shown').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as LoggedNotification[]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    LOG_DB,
  );
}

/** How often each item came onto the screen in a notification with this tag: more than once is a second notice. */
export interface ScreenWatch {
  sample(target: Inside): Promise<void>;
  appearances(itemId: string): number;
}

export function watchScreen(tag: string): ScreenWatch {
  const onScreen = new Set<string>();
  const appeared = new Map<string, number>();
  return {
    async sample(target) {
      const shown = await shownNotifications(target).catch(() => null);
      if (!shown) return;
      const now = new Set(
        shown.filter((n) => n.tag === tag).flatMap((n) => n.data?.items.map((item) => item.itemId) ?? []),
      );
      for (const id of now) if (!onScreen.has(id)) appeared.set(id, (appeared.get(id) ?? 0) + 1);
      onScreen.clear();
      for (const id of now) onScreen.add(id);
    },
    appearances: (itemId) => appeared.get(itemId) ?? 0,
  };
}
