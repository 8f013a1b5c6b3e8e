// The page's one way to the service worker: registration, updates and every message (contract/messages.ts). It
// carries requests and announcements and decides nothing; what to do around them lives in the page modules that
// need it (web/offline/). The outbox, the caches and the settings live in the service worker.
import {
  isAdminTokenQuestion,
  isEventMessage,
  type ActivityEntry,
  type AdminTokenAnswer,
  type DeviceSearchResults,
  type DigestRefreshResult,
  type DrainResult,
  type EventMessage,
  type NewAction,
  type NewArticles,
  type OfflineEntry,
  type OfflinePolicyStatus,
  type OnDevice,
  type QueuedAction,
  type ReadableArticle,
  type ReaderSettings,
  type ReplyMessage,
  type RequestType,
  type Requests,
  type RunTrigger,
  type SourceNotifications,
} from '../contract/messages.ts';
import { SERVICE_WORKER_URL } from '../contract/paths.ts';

/** Most requests answer at once; a drain or a digest refresh may fetch many articles first. */
const REPLY_TIMEOUT_MS = 15_000;
const LONG_REPLY_TIMEOUT_MS = 180_000;
const LONG_REQUESTS: ReadonlySet<RequestType> = new Set(['drain-outbox', 'refresh-digest']);

const listeners = {
  offline: new Set<(entry: OfflineEntry) => void>(),
  removed: new Set<(itemId: string) => void>(),
  actions: new Set<(action: QueuedAction, removed: boolean) => void>(),
  activity: new Set<(entry: ActivityEntry) => void>(),
  settings: new Set<(settings: ReaderSettings) => void>(),
  navigate: new Set<(url: string) => void>(),
  news: new Set<(news: NewArticles) => void>(),
  updates: new Set<() => void>(),
};

let adminToken: () => string | null = () => null;
let registered: Promise<ServiceWorkerRegistration> | null = null;

function subscribe<T>(set: Set<T>, listener: T): () => void {
  set.add(listener);
  return () => set.delete(listener);
}

// ---- Registration and updates ----

/**
 * Registers the service worker (once; later calls return the same promise) and starts hearing its announcements.
 * Resolves with the registration once a worker is active. Rejects where there is no service worker (old browsers,
 * some private modes): the site still works online, without offline features.
 */
export function serviceWorkerRegistration(): Promise<ServiceWorkerRegistration> {
  registered ??= register();
  return registered;
}

async function register(): Promise<ServiceWorkerRegistration> {
  if (!('serviceWorker' in navigator)) throw new Error('This browser cannot keep articles for offline reading.');
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (isEventMessage(event.data)) announce(event.data);
    else if (isAdminTokenQuestion(event.data))
      event.ports[0]?.postMessage({ token: adminToken() } satisfies AdminTokenAnswer);
  });
  // Messages the worker sent before this listener existed are held until now.
  navigator.serviceWorker.startMessages();
  // 'none': the browser always asks the server for sw.js itself, so a new version is found on the next visit.
  const registration = await navigator.serviceWorker.register(SERVICE_WORKER_URL, {
    scope: '/',
    updateViaCache: 'none',
  });
  watchForUpdates(registration);
  return navigator.serviceWorker.ready;
}

/**
 * Hears that a new version of the service worker is installed and waiting. It takes over only when applyUpdate()
 * is called (or every tab of the site is closed), so an open page never changes under the reader.
 */
export function onUpdateReady(listener: () => void): () => void {
  return subscribe(listeners.updates, listener);
}

/** Lets the waiting version take over, then reloads this page once it has. */
export async function applyUpdate(): Promise<void> {
  const registration = await serviceWorkerRegistration();
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

// ---- What the worker announces, and asks ----

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
      for (const listener of listeners.navigate) listener(message.url);
      break;
    case 'new-articles':
      for (const listener of listeners.news) listener(message);
      break;
  }
}

/** Hears every state change of every entry (queued → fetching → ready | failed, retries, prefetches). */
export function onOfflineChange(listener: (entry: OfflineEntry) => void): () => void {
  return subscribe(listeners.offline, listener);
}

/** Hears entries leaving: removed by the reader, cleared, or a prefetched article dropped by the cache bounds. */
export function onOfflineRemoved(listener: (itemId: string) => void): () => void {
  return subscribe(listeners.removed, listener);
}

/** Hears queued actions change; `removed` is true once one was sent (only `id` is set then). */
export function onActionChange(listener: (action: QueuedAction, removed: boolean) => void): () => void {
  return subscribe(listeners.actions, listener);
}

export function onActivity(listener: (entry: ActivityEntry) => void): () => void {
  return subscribe(listeners.activity, listener);
}

/** Hears settings changed in any window of the site. */
export function onSettingsChange(listener: (settings: ReaderSettings) => void): () => void {
  return subscribe(listeners.settings, listener);
}

/** Hears the worker ask this window to open an address (a tapped notification it could not open itself). */
export function onNavigateRequest(listener: (url: string) => void): () => void {
  return subscribe(listeners.navigate, listener);
}

/** Hears of news a background refresh brought while this window was on screen (instead of a system notification). */
export function onNewArticles(listener: (news: NewArticles) => void): () => void {
  return subscribe(listeners.news, listener);
}

/**
 * Where the admin token comes from when the worker sends a queued admin action: read at that moment from where
 * the page keeps it (`read` returns null when there is none), so the worker never stores it.
 */
export function answerAdminTokenQuestions(read: () => string | null): void {
  adminToken = read;
}

// ---- Requests ----

async function activeWorker(): Promise<ServiceWorker> {
  const registration = await serviceWorkerRegistration();
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

/** Puts an article in the outbox (idempotent: saving twice keeps one entry; saving a failed one tries again). */
export function saveArticle(item: { itemId: string; url: string; title: string }): Promise<OfflineEntry> {
  return call('save-article', item);
}

/** Puts a page in the outbox by its address; the entry's `itemId` becomes the article's once the edge has read it. */
export function savePage(page: { pageUrl: string; title: string }): Promise<OfflineEntry> {
  return call('save-page', page);
}

/** Forgets an article: its outbox entry and every cached copy (article, page, images). */
export async function removeArticle(itemId: string): Promise<void> {
  await call('remove-article', { itemId });
}

/** A failed (or waiting) article back to its first attempt; null when it is no longer there. */
export function retryArticle(itemId: string): Promise<OfflineEntry | null> {
  return call('retry-article', { itemId });
}

/** Every article kept or being fetched, newest first: the reader's saves and the background refresh's prefetches. */
export function listOffline(): Promise<OfflineEntry[]> {
  return call('list-offline', null);
}

/** Every article that opens offline now, whatever put it on the device. */
export function listReadable(): Promise<ReadableArticle[]> {
  return call('list-readable', null);
}

/** An item's title as the device's copy of the latest list has it, or null. */
export async function titleOnDevice(itemId: string): Promise<string | null> {
  return (await call('title-on-device', { itemId })).title;
}

/** Works through the outbox now; the reply says what is still waiting. */
export function drainOutbox(trigger: RunTrigger): Promise<DrainResult> {
  return call('drain-outbox', { trigger });
}

export function getSettings(): Promise<ReaderSettings> {
  return call('get-settings', null);
}

/** Stores changed settings (and announces them to every window); applying them is the caller's part. */
export function updateSettings(patch: Partial<ReaderSettings>): Promise<ReaderSettings> {
  return call('update-settings', patch);
}

/** Refreshes the digest now: one conditional request, then prefetch. */
export function refreshDigest(trigger: RunTrigger): Promise<DigestRefreshResult> {
  return call('refresh-digest', { trigger });
}

/** What the offline policy holds on this device now, and what it lets go next. */
export function offlinePolicyStatus(): Promise<OfflinePolicyStatus> {
  return call('offline-policy-status', null);
}

/** Marks an article read: it no longer counts in the app badge. */
export async function markRead(itemId: string): Promise<void> {
  await call('mark-read', { itemId });
}

/** Marks items read or unread on this device. */
export async function setRead(itemIds: string[], read: boolean): Promise<void> {
  await call('set-read', { itemIds, read });
}

/** Which of these items are read on this device. */
export async function readMarks(itemIds: string[]): Promise<Set<string>> {
  return new Set((await call('read-marks', { itemIds })).read);
}

/** The search box's text over the articles this device holds, leaving out the hits the page shows already. */
export function searchDevice(question: Requests['search-device']['request']): Promise<DeviceSearchResults> {
  return call('search-device', question);
}

/** Which of these items open offline on this device now, and whether the reader kept each. */
export async function openOffline(itemIds: string[]): Promise<Map<string, OnDevice>> {
  const { itemIds: here, kept } = await call('open-offline', { itemIds });
  const keptHere = new Set(kept);
  return new Map(here.map((id) => [id, keptHere.has(id) ? 'kept' : 'for-now']));
}

/** Every sync / periodic sync / page-triggered run on this device, newest first: when, what it fetched, what failed. */
export function activityLog(): Promise<ActivityEntry[]> {
  return call('activity-log', null);
}

/** Removes every kept article, queued request and cached page and image from this device; settings stay. */
export async function clearOfflineData(): Promise<void> {
  await call('clear-offline-data', null);
}

/**
 * Puts a reader action that needs the server in the outbox (e.g. `{ method: 'POST', path: '/api/feeds', body: { url },
 * label: 'Subscribe to …' }`), sent with the same retry rules as articles; a 4xx other than 408 / 429 marks it failed
 * with the server's message.
 */
export function queueAction(action: NewAction): Promise<QueuedAction> {
  return call('queue-action', action);
}

export function listActions(): Promise<QueuedAction[]> {
  return call('list-actions', null);
}

/** A failed (or waiting) action back to its first attempt; null when it is no longer there. */
export function retryAction(id: string): Promise<QueuedAction | null> {
  return call('retry-action', { id });
}

/** Drops a queued or failed action unsent. */
export async function removeAction(id: string): Promise<void> {
  await call('remove-action', { id });
}

/** The reader forgot the admin token: the worker drops anything of it it still holds. */
export async function forgetAdminTokenInWorker(): Promise<void> {
  await call('forget-admin-token', null);
}

/** The sources this device notifies about, and the daily cap. */
export function sourceNotifications(): Promise<SourceNotifications> {
  return call('source-notifications', null);
}

/** Turns "notify me of new articles" from one source on or off, on this device. */
export function setSourceNotify(choice: {
  feedId: number;
  title: string;
  notify: boolean;
}): Promise<SourceNotifications> {
  return call('set-source-notify', choice);
}
