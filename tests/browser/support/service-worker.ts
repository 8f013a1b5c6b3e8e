// Driving and inspecting the reader's service worker from a test, the ways TESTING.md found to work in Chromium:
// CDP's ServiceWorker domain (registration id, dispatching sync / periodicsync, stopping workers), the
// BackgroundService log (what the browser itself did: registrations, dispatches, retries, completions), and reads
// of what the worker left behind (IndexedDB outbox, caches, notifications) from a page of the site.
import type { BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { eventually } from '../../support/eventually.ts';
import { ALL_PERMISSIONS, grantPermissions, type BrowserPermission } from './chromium.ts';

export interface BackgroundServiceEvent {
  service: string;
  eventName: string;
  timestamp: number;
  metadata: Record<string, string>;
}

export interface WorkerControl {
  registrationId: string;
  /** Fires `sync` for the tag now (CDP), as the browser would; returns at once, poll for the effect. */
  dispatchSync(tag?: string, lastChance?: boolean): Promise<void>;
  dispatchPeriodicSync(tag?: string): Promise<void>;
  /** Kills every service worker of the browser, mid-work or not. */
  stopAllWorkers(): Promise<void>;
  /** What the browser's BackgroundService recorded since this control was made. */
  backgroundEvents: BackgroundServiceEvent[];
  detach(): Promise<void>;
}

interface RegistrationUpdate {
  registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }>;
}

interface BackgroundServiceEventReceived {
  backgroundServiceEvent: {
    service: string;
    eventName: string;
    timestamp: number;
    eventMetadata: Array<{ key: string; value: string }>;
  };
}

/** Attaches to the page's CDP session: the site's registration id, and recording of background sync activity. */
export async function controlWorker(page: Page, site: string): Promise<WorkerControl> {
  const session: CDPSession = await page.context().newCDPSession(page);
  const scope = `${site}/`;
  let registrationId: string | null = null;
  session.on('ServiceWorker.workerRegistrationUpdated', (update: RegistrationUpdate) => {
    for (const registration of update.registrations) {
      if (registration.scopeURL === scope && !registration.isDeleted) registrationId = registration.registrationId;
    }
  });
  const backgroundEvents: BackgroundServiceEvent[] = [];
  session.on(
    'BackgroundService.backgroundServiceEventReceived',
    ({ backgroundServiceEvent: event }: BackgroundServiceEventReceived) => {
      backgroundEvents.push({
        service: event.service,
        eventName: event.eventName,
        timestamp: event.timestamp,
        metadata: Object.fromEntries(event.eventMetadata.map(({ key, value }) => [key, value])),
      });
    },
  );
  for (const service of ['backgroundSync', 'periodicBackgroundSync'] as const) {
    await session.send('BackgroundService.startObserving', { service });
    await session.send('BackgroundService.setRecording', { shouldRecord: true, service });
  }
  await session.send('ServiceWorker.enable');
  const id = await eventually(async () => registrationId ?? undefined, { timeoutMs: 15_000 });
  const origin = site;
  return {
    registrationId: id,
    backgroundEvents,
    async dispatchSync(tag = 'fetch-articles', lastChance = false) {
      await session.send('ServiceWorker.dispatchSyncEvent', { origin, registrationId: id, tag, lastChance });
    },
    async dispatchPeriodicSync(tag = 'refresh-digest') {
      await session.send('ServiceWorker.dispatchPeriodicSyncEvent', { origin, registrationId: id, tag });
    },
    async stopAllWorkers() {
      await session.send('ServiceWorker.stopAllWorkers');
    },
    async detach() {
      await session.detach().catch(() => undefined);
    },
  };
}

export interface PreparedReader {
  /** A blank page that holds the CDP sessions (permission grants end when their session does); not a site window. */
  controlPage: Page;
  control: WorkerControl;
  /** The site's front page, controlled by the service worker. */
  page: Page;
}

/** Grants permissions, opens the site (installing the service worker) and attaches the CDP controls. */
export async function prepareReader(
  context: BrowserContext,
  site: string,
  permissions: readonly BrowserPermission[] = ALL_PERMISSIONS,
): Promise<PreparedReader> {
  const controlPage = context.pages().find((page) => page.url() === 'about:blank') ?? (await context.newPage());
  await grantPermissions(controlPage, site, permissions);
  const page = await openControlled(context, `${site}/`);
  const control = await controlWorker(controlPage, site);
  return { controlPage, control, page };
}

/** Opens a page of the site and waits until the service worker controls it (it claims the page on first install). */
export async function openControlled(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  return page;
}

/** The outbox's article records as the service worker stored them (IndexedDB, read with the raw API). */
export interface StoredArticle {
  itemId: string;
  url: string;
  title: string;
  state: 'queued' | 'fetching' | 'ready' | 'failed';
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  saved: boolean;
  unread: boolean;
  notified: boolean;
  bytes: number | null;
  cachedUrls: string[];
  /** A page saved by its address (shared to the app). */
  pageUrl?: string;
}

/** A page of the site, or the service worker itself (to look without opening a window, which would drain the outbox). */
export type Inside = Page | Worker;

function evaluateIn<T, A>(target: Inside, fn: (arg: A) => T | Promise<T>, arg: A): Promise<T> {
  const run = target.evaluate.bind(target) as (fn: (arg: A) => T | Promise<T>, arg: A) => Promise<T>;
  return run(fn, arg);
}

/** The site's running service worker (a stopped one is restarted by the next event and shows up anew). */
export async function runningWorker(context: BrowserContext): Promise<Worker> {
  return eventually(async () => context.serviceWorkers().at(-1), { timeoutMs: 20_000 });
}

export function storedArticles(target: Inside): Promise<StoredArticle[]> {
  return evaluateIn(
    target,
    () =>
      new Promise<StoredArticle[]>((resolve, reject) => {
        const open = indexedDB.open('offline-reader');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('articles')) {
            db.close();
            resolve([]);
            return;
          }
          const request = db.transaction('articles').objectStore('articles').getAll();
          request.onsuccess = () => {
            db.close();
            resolve(request.result as StoredArticle[]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    null,
  );
}

/** The outbox's queued reader actions as stored (IndexedDB, raw): what a stolen profile would hold. */
export interface StoredAction {
  id: string;
  method: string;
  path: string;
  label: string;
  admin?: boolean;
  headers?: Record<string, string>;
  state: 'queued' | 'sending' | 'failed';
  attempts: number;
  lastError: string | null;
  notified?: boolean;
}

export function storedActions(target: Inside): Promise<StoredAction[]> {
  return evaluateIn(
    target,
    () =>
      new Promise<StoredAction[]>((resolve, reject) => {
        const open = indexedDB.open('offline-reader');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('actions')) {
            db.close();
            resolve([]);
            return;
          }
          const request = db.transaction('actions').objectStore('actions').getAll();
          request.onsuccess = () => {
            db.close();
            resolve(request.result as StoredAction[]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    null,
  );
}

/** Every record of every store of the service worker's database, as JSON: to prove a secret is nowhere in it. */
export function outboxDump(target: Inside): Promise<string> {
  return evaluateIn(
    target,
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('offline-reader');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = Array.from(db.objectStoreNames);
          const tx = db.transaction(names);
          const dump: Record<string, unknown> = {};
          for (const name of names) {
            const request = tx.objectStore(name).getAll();
            request.onsuccess = () => void (dump[name] = request.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(JSON.stringify(dump));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    null,
  );
}

export async function storedArticle(target: Inside, itemId: string): Promise<StoredArticle | undefined> {
  return (await storedArticles(target)).find((record) => record.itemId === itemId);
}

export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  data: { url: string; items: Array<{ itemId: string; title: string }> } | null;
}

export function shownNotifications(target: Inside): Promise<ShownNotification[]> {
  return evaluateIn(
    target,
    async () => {
      const registration =
        'registration' in self
          ? (self as unknown as { registration: ServiceWorkerRegistration }).registration
          : await navigator.serviceWorker.ready;
      const shown = await registration.getNotifications();
      return shown.map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        data: n.data as ShownNotification['data'],
      }));
    },
    null,
  );
}

/** Every URL (path and query) in one cache of the site, as the page sees it. */
export function cachedPaths(target: Inside, cacheName: string): Promise<string[]> {
  return evaluateIn(
    target,
    async (name: string) => {
      if (!(await caches.has(name))) return [];
      const keys = await (await caches.open(name)).keys();
      return keys.map((request) => {
        const url = new URL(request.url);
        return url.pathname + url.search;
      });
    },
    cacheName,
  );
}

/** The activity log (newest first), from the page through the same IndexedDB. */
export interface LoggedRun {
  kind: string;
  trigger: string;
  lastChance: boolean;
  notModified: boolean;
  bytes: number;
  fetched: Array<{ itemId: string; ms: number }>;
  failed: Array<{ itemId: string; willRetry: boolean; error: string }>;
  remaining: number;
  durationMs: number;
}

export function activity(target: Inside): Promise<LoggedRun[]> {
  return evaluateIn(
    target,
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('offline-reader');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('activity').objectStore('activity').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as LoggedRun[]).reverse());
          };
          request.onerror = () => reject(request.error);
        };
      }),
    null,
  );
}

/** The one-off sync tags registered now, from a page of the site or from the worker. */
export function syncTags(target: Inside): Promise<string[]> {
  return evaluateIn(
    target,
    async () => {
      type WithSync = ServiceWorkerRegistration & { sync?: { getTags(): Promise<string[]> } };
      const scope = self as unknown as { registration?: WithSync };
      const registration = scope.registration ?? ((await navigator.serviceWorker.ready) as WithSync);
      return (await registration.sync?.getTags()) ?? [];
    },
    null,
  );
}

/**
 * Taps the notification with this tag. No CDP call clicks a notification, so the event the browser would fire is
 * dispatched inside the worker (TESTING.md); it carries no user activation, so focus() is refused there.
 */
export function clickNotification(worker: Worker, tag: string, action = ''): Promise<void> {
  return worker.evaluate(
    async ({ tag, action }) => {
      const scope = self as unknown as {
        registration: ServiceWorkerRegistration;
        dispatchEvent(event: Event): boolean;
        NotificationEvent: new (type: string, init: { notification: Notification; action: string }) => Event;
      };
      const [notification] = await scope.registration.getNotifications({ tag });
      if (!notification) throw new Error(`no notification tagged ${tag}`);
      scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification, action }));
    },
    { tag, action },
  );
}

/** One request to the worker from a page of the site, as sw-bridge sends it (contract/messages.ts); its raw reply. */
export function askWorker(
  page: Page,
  type: string,
  payload: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: string }> {
  return page.evaluate(
    ({ type, payload }) =>
      navigator.serviceWorker.ready.then(
        (registration) =>
          new Promise<{ ok: boolean; value?: unknown; error?: string }>((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = ({ data }) => resolve(data as { ok: boolean; value?: unknown; error?: string });
            registration.active!.postMessage({ type, payload }, [channel.port2]);
          }),
      ),
    { type, payload },
  );
}
