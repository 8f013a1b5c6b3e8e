// The page's one way to the service worker: registration, updates, permissions and every message. Pages and
// features call these functions and never touch navigator.serviceWorker themselves. The outbox, the caches and the
// settings live in the service worker; this module asks it (contract/messages.ts) and relays what it announces.
import {
  isAdminTokenQuestion,
  isEventMessage,
  type ActivityEntry,
  type AdminTokenAnswer,
  type DigestRefreshResult,
  type DrainResult,
  type EventMessage,
  type NewAction,
  type OfflineEntry,
  type QueuedAction,
  type ReaderSettings,
  type ReplyMessage,
  type RequestType,
  type Requests,
  type RunTrigger,
} from '../contract/messages.ts';
import { PERIODIC_SYNC_TAG, SERVICE_WORKER_URL, SYNC_TAG } from '../contract/paths.ts';

export type {
  ActivityEntry, DigestRefreshResult, DrainResult, NewAction, OfflineEntry, OfflineState, QueuedAction, ReaderSettings, RunTrigger,
} from '../contract/messages.ts';

/** What this browser can do; features hide what it cannot rather than fail. */
export interface Capabilities {
  serviceWorker: boolean;
  /** One-off Background Sync (Chromium). Elsewhere the page drains the outbox itself. */
  backgroundSync: boolean;
  /** Periodic Background Sync (Chromium, installed app or granted). Elsewhere the page refreshes the digest. */
  periodicSync: boolean;
  notifications: boolean;
  badging: boolean;
  contentIndex: boolean;
  persistentStorage: boolean;
}

/**
 * How the background refresh runs now: 'periodic-sync' (the browser wakes the service worker), 'while-open' (the
 * page refreshes when shown and every 30 minutes: no Periodic Sync here, or the browser did not allow it), 'off'.
 */
export type BackgroundRefreshStatus = 'periodic-sync' | 'while-open' | 'off';

export interface StorageStatus {
  usage: number;
  quota: number;
  persisted: boolean;
}

/** Most requests answer at once; a drain or a digest refresh may fetch many articles first. */
const REPLY_TIMEOUT_MS = 15_000;
const LONG_REPLY_TIMEOUT_MS = 180_000;
const LONG_REQUESTS: ReadonlySet<RequestType> = new Set(['drain-outbox', 'refresh-digest']);
const HOUR_MS = 60 * 60 * 1000;

const listeners = {
  offline: new Set<(entry: OfflineEntry) => void>(),
  removed: new Set<(itemId: string) => void>(),
  actions: new Set<(action: QueuedAction, removed: boolean) => void>(),
  activity: new Set<(entry: ActivityEntry) => void>(),
  settings: new Set<(settings: ReaderSettings) => void>(),
  updates: new Set<() => void>(),
};

let adminToken: () => string | null = () => null;
let registered: Promise<ServiceWorkerRegistration> | null = null;
let started: Promise<void> | null = null;
let refreshStatus: BackgroundRefreshStatus = 'off';
let syncRefused = false;

function subscribe<T>(set: Set<T>, listener: T): () => void {
  set.add(listener);
  return () => set.delete(listener);
}

/** Synchronous feature detection; never assumes. */
export function capabilities(): Capabilities {
  const serviceWorker = 'serviceWorker' in navigator;
  return {
    serviceWorker,
    backgroundSync: serviceWorker && 'SyncManager' in window && !syncRefused,
    periodicSync: serviceWorker && 'PeriodicSyncManager' in window,
    notifications: serviceWorker && 'Notification' in window && 'showNotification' in ServiceWorkerRegistration.prototype,
    badging: 'setAppBadge' in navigator,
    contentIndex: serviceWorker && 'ContentIndex' in window,
    persistentStorage: typeof navigator.storage?.persist === 'function',
  };
}

/**
 * Registers the service worker (once; later calls return the same promise), starts hearing its announcements and
 * applies the background-refresh setting. Resolves when a worker is active. Rejects where there is no service
 * worker (old browsers, some private modes): the site still works online, without offline features.
 */
export function startServiceWorker(): Promise<void> {
  started ??= readyRegistration().then(() => settingsThen(applyBackgroundRefresh));
  return started;
}

/** The registration once a worker is active; every request waits for it. */
function readyRegistration(): Promise<ServiceWorkerRegistration> {
  registered ??= register();
  return registered;
}

async function register(): Promise<ServiceWorkerRegistration> {
  if (!('serviceWorker' in navigator)) throw new Error('This browser cannot keep articles for offline reading.');
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (isEventMessage(event.data)) announce(event.data);
    else if (isAdminTokenQuestion(event.data)) event.ports[0]?.postMessage({ token: adminToken() } satisfies AdminTokenAnswer);
  });
  // Messages the worker sent before this listener existed are held until now.
  navigator.serviceWorker.startMessages();
  // 'none': the browser always asks the server for sw.js itself, so a new version is found on the next visit.
  const registration = await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: '/', updateViaCache: 'none' });
  watchForUpdates(registration);
  return navigator.serviceWorker.ready;
}

async function settingsThen(apply: (settings: ReaderSettings) => Promise<unknown>): Promise<void> {
  try {
    await apply(await getSettings());
  } catch (error) {
    console.warn('Offline Reader: could not apply the background refresh setting', error);
  }
}

function announce(message: EventMessage): void {
  switch (message.type) {
    case 'offline-entry':
      for (const listener of listeners.offline) listener(message.entry);
      break;
    case 'offline-entry-removed':
      for (const listener of listeners.removed) listener(message.itemId);
      break;
    case 'action-changed':
      for (const listener of listeners.actions) listener(message.action, false);
      break;
    case 'action-removed':
      for (const listener of listeners.actions) listener({ id: message.id } as QueuedAction, true);
      break;
    case 'activity':
      for (const listener of listeners.activity) listener(message.entry);
      break;
    case 'settings':
      for (const listener of listeners.settings) listener(message.settings);
      break;
    case 'navigate':
      // A tapped notification, for a window the worker could not navigate itself (not yet controlled by it).
      if (new URL(message.url, location.href).origin === location.origin) location.assign(message.url);
      break;
  }
}

async function activeWorker(): Promise<ServiceWorker> {
  const registration = await readyRegistration();
  const worker = registration.active ?? (await navigator.serviceWorker.ready).active;
  if (!worker) throw new Error('The service worker is not running.');
  return worker;
}

/** One request, one reply over its own MessageChannel; a worker stopped mid-request turns into a timeout. */
async function call<K extends RequestType>(type: K, payload: Requests[K]['request']): Promise<Requests[K]['reply']> {
  const worker = await activeWorker();
  const channel = new MessageChannel();
  const timeoutMs = LONG_REQUESTS.has(type) ? LONG_REPLY_TIMEOUT_MS : REPLY_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      channel.port1.close();
      reject(new Error(`The service worker did not answer "${type}" within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    channel.port1.onmessage = ({ data }: MessageEvent<ReplyMessage<K>>) => {
      clearTimeout(timer);
      channel.port1.close();
      if (data.ok) resolve(data.value);
      else reject(new Error(data.error));
    };
    worker.postMessage({ type, payload }, [channel.port2]);
  });
}

// ---- Articles for offline reading ----

/**
 * Keeps an article for reading offline: adds it to the outbox (idempotent: saving twice keeps one entry; saving a
 * failed one tries again) and gets it fetched now when online, or as soon as the browser is back online. The first
 * save asks the browser to keep the site's storage (navigator.storage.persist()).
 */
export async function saveForOffline(item: { itemId: string; url: string; title: string }): Promise<OfflineEntry> {
  const entry = await call('save-article', item);
  void keepStorage();
  if (entry.state === 'queued') await drainAfterReaderAction();
  return entry;
}

/**
 * Saves a page by its address (shared to the app), online or not: the worker has the edge read it and keeps it,
 * trying again until it can, with this screen closed too where the browser has Background Sync. The entry's
 * `pageUrl` is the address; its `itemId` becomes the article's id once the page has been read.
 */
export async function savePageForOffline(page: { pageUrl: string; title: string }): Promise<OfflineEntry> {
  const entry = await call('save-page', page);
  void keepStorage();
  if (entry.state === 'queued') await drainAfterReaderAction();
  return entry;
}

/** Forgets an article: its outbox entry and every cached copy (article, page, images). */
export async function removeOffline(itemId: string): Promise<void> {
  await call('remove-article', { itemId });
}

/** Tries a failed (or waiting) article again now, from its first attempt. */
export async function retry(itemId: string): Promise<void> {
  const entry = await call('retry-article', { itemId });
  if (entry?.state === 'queued') await drainAfterReaderAction();
}

/** Every article kept or being fetched, newest first: the reader's saves and the background refresh's prefetches. */
export function listOffline(): Promise<OfflineEntry[]> {
  return call('list-offline', null);
}

/** Hears every state change of every entry (queued → fetching → ready | failed, retries, prefetches). */
export function onOfflineChange(listener: (entry: OfflineEntry) => void): () => void {
  return subscribe(listeners.offline, listener);
}

/** Hears entries leaving: removed by the reader, cleared, or a prefetched article dropped by the cache bounds. */
export function onOfflineRemoved(listener: (itemId: string) => void): () => void {
  return subscribe(listeners.removed, listener);
}

/**
 * Asks for the outbox to be worked through (the page's own triggers). Online, the worker drains it now; while work
 * remains the `fetch-articles` sync is registered where the browser has Background Sync, so it keeps trying with
 * the page closed. Safe to call often: work is never doubled. (After a save, see drainAfterReaderAction.)
 */
export async function requestDrain(trigger: RunTrigger): Promise<DrainResult | null> {
  if (!navigator.onLine) return null;
  const result = await call('drain-outbox', { trigger });
  if (result.remaining > 0) await registerSync();
  return result;
}

/**
 * After the reader's own save, retry or queued action: the sync is registered before this returns, and the drain
 * starts without the page waiting for it. It may take minutes behind other work; its outcomes arrive as
 * announcements, and a slow or failing drain must not read as a failed save.
 */
async function drainAfterReaderAction(): Promise<void> {
  await registerSync();
  if (navigator.onLine) void call('drain-outbox', { trigger: 'reader' }).catch(() => undefined);
}

async function registerSync(): Promise<boolean> {
  if (!capabilities().backgroundSync) return false;
  try {
    const registration = await readyRegistration();
    if (!registration.sync) return false;
    await registration.sync.register(SYNC_TAG);
    return true;
  } catch {
    // Refused (the reader blocked background sync for the site): the page's own triggers take over.
    syncRefused = true;
    return false;
  }
}

// ---- Connectivity ----

export function isOnline(): boolean {
  return navigator.onLine;
}

/** Hears the browser going offline (false) and back online (true). */
export function onConnectivityChange(listener: (online: boolean) => void): () => void {
  const online = () => listener(true);
  const offline = () => listener(false);
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  };
}

// ---- Permissions and storage ----

export function notificationPermission(): NotificationPermission | 'unsupported' {
  return capabilities().notifications ? Notification.permission : 'unsupported';
}

/**
 * Asks to show notifications. Call it ONLY from a reader's gesture (the save button, a settings switch): browsers
 * ignore or penalise prompts that come from nowhere. Answers at once when the reader already decided.
 */
export async function requestNotificationPermission(): Promise<NotificationPermission> {
  if (!capabilities().notifications) return 'denied';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

async function keepStorage(): Promise<void> {
  if (!capabilities().persistentStorage || (await navigator.storage.persisted())) return;
  await navigator.storage.persist();
}

export async function storageStatus(): Promise<StorageStatus> {
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : {};
  const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : false;
  return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
}

// ---- Settings and background refresh ----

export function getSettings(): Promise<ReaderSettings> {
  return call('get-settings', null);
}

/**
 * Changes settings and applies them: turning background refresh on registers the `refresh-digest` periodic sync
 * with the chosen interval where the browser allows it (otherwise the page refreshes while open); off unregisters.
 * Turning a notification setting on does not ask for permission: call requestNotificationPermission from the
 * same gesture.
 */
export async function updateSettings(patch: Partial<ReaderSettings>): Promise<ReaderSettings> {
  const settings = await call('update-settings', patch);
  await applyBackgroundRefresh(settings);
  return settings;
}

/** Hears settings changed in any window of the site. */
export function onSettingsChange(listener: (settings: ReaderSettings) => void): () => void {
  return subscribe(listeners.settings, listener);
}

/** How the background refresh runs at the moment (known once startServiceWorker has resolved and settings applied). */
export function backgroundRefreshStatus(): BackgroundRefreshStatus {
  return refreshStatus;
}

async function periodicSyncAllowed(): Promise<boolean> {
  try {
    const status = await navigator.permissions.query({ name: 'periodic-background-sync' as PermissionName });
    return status.state === 'granted';
  } catch {
    // Browsers that do not know the permission's name: let register() decide.
    return true;
  }
}

async function applyBackgroundRefresh(settings: ReaderSettings): Promise<BackgroundRefreshStatus> {
  const registration = await readyRegistration();
  const periodic = registration.periodicSync;
  if (!settings.backgroundRefresh) {
    await periodic?.unregister(PERIODIC_SYNC_TAG).catch(() => undefined);
    return (refreshStatus = 'off');
  }
  if (!periodic || !(await periodicSyncAllowed())) return (refreshStatus = 'while-open');
  try {
    await periodic.register(PERIODIC_SYNC_TAG, { minInterval: settings.refreshIntervalHours * HOUR_MS });
    return (refreshStatus = 'periodic-sync');
  } catch (error) {
    // NotAllowedError: not installed and not granted. Expected and quiet; the page refreshes while open instead.
    if ((error as DOMException).name !== 'NotAllowedError') console.warn('Offline Reader: periodic sync failed', error);
    return (refreshStatus = 'while-open');
  }
}

/** Refreshes the digest now (the page's path where Periodic Sync is missing): one conditional request, then prefetch. */
export function refreshDigest(trigger: RunTrigger): Promise<DigestRefreshResult> {
  return call('refresh-digest', { trigger });
}

/** Marks an article read: it no longer counts in the app badge. */
export async function markRead(itemId: string): Promise<void> {
  await call('mark-read', { itemId });
}

// ---- Activity, data, actions ----

/** Every sync / periodic sync / page-triggered run on this device, newest first: when, what it fetched, what failed. */
export function activityLog(): Promise<ActivityEntry[]> {
  return call('activity-log', null);
}

export function onActivity(listener: (entry: ActivityEntry) => void): () => void {
  return subscribe(listeners.activity, listener);
}

/** Removes every kept article, queued request and cached page and image from this device; settings stay. */
export async function clearOfflineData(): Promise<void> {
  await call('clear-offline-data', null);
}

/**
 * A reader action that needs the server (e.g. `{ method: 'POST', path: '/api/feeds', body: { url }, label:
 * 'Subscribe to …' }`): kept in the outbox and sent now when online, or later, with the same retry rules as articles.
 * Sent once it succeeds; a 4xx other than 408 / 429 marks it failed with the server's message.
 */
export async function queueAction(action: NewAction): Promise<QueuedAction> {
  const queued = await call('queue-action', action);
  await drainAfterReaderAction();
  return queued;
}

export function listActions(): Promise<QueuedAction[]> {
  return call('list-actions', null);
}

/** Sends a failed (or waiting) action again now, from its first attempt. */
export async function retryAction(id: string): Promise<void> {
  const action = await call('retry-action', { id });
  if (action?.state === 'queued') await drainAfterReaderAction();
}

/** Drops a queued or failed action unsent. */
export async function removeAction(id: string): Promise<void> {
  await call('remove-action', { id });
}

/**
 * Where the admin token comes from when the worker sends a queued admin action: read at that moment from where
 * the page keeps it (`read` returns null when there is none), so the worker never stores it.
 */
export function answerAdminTokenQuestions(read: () => string | null): void {
  adminToken = read;
}

/** The reader forgot the admin token: the worker drops anything of it it still holds. */
export async function forgetAdminTokenInWorker(): Promise<void> {
  await call('forget-admin-token', null);
}

/** Hears queued actions change; `removed` is true once one was sent (only `id` is set then). */
export function onActionChange(listener: (action: QueuedAction, removed: boolean) => void): () => void {
  return subscribe(listeners.actions, listener);
}

// ---- Updates ----

/**
 * Hears that a new version of the service worker is installed and waiting. It takes over only when applyUpdate()
 * is called (or every tab of the site is closed), so an open page never changes under the reader.
 */
export function onUpdateReady(listener: () => void): () => void {
  return subscribe(listeners.updates, listener);
}

/** Lets the waiting version take over, then reloads this page once it has. */
export async function applyUpdate(): Promise<void> {
  const registration = await readyRegistration();
  if (!registration.waiting) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  const channel = new MessageChannel();
  registration.waiting.postMessage({ type: 'skip-waiting', payload: null }, [channel.port2]);
}

function watchForUpdates(registration: ServiceWorkerRegistration): void {
  const waitingFound = () => {
    // The first install has no one to update: only a worker waiting behind an active one is an update.
    if (registration.waiting && registration.active) for (const listener of listeners.updates) listener();
  };
  waitingFound();
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') waitingFound();
    });
  });
}
