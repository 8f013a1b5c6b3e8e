// The service worker's entry: it only wires events to the modules that handle them.
import { clientsClaim } from 'workbox-core';
import { answerRequest } from './answer-requests.ts';
import { drainOutbox } from './drain-outbox.ts';
import { PERIODIC_SYNC_TAG, SYNC_TAG } from '../contract/paths.ts';
import { openFromNotification } from './notification-click.ts';
import { refreshDigest } from './periodic-refresh.ts';
import { precacheAppShell } from './precache.ts';
import { registerRuntimeRoutes } from './routes.ts';
import { syncSearchIndex } from './search-index.ts';
import { notifyChosenSources } from './source-notifications.ts';
import { onFetchArticlesSync } from './sync-event.ts';

declare const self: ServiceWorkerGlobalScope;

precacheAppShell();
registerRuntimeRoutes();
// The first version takes the open page at once, so it works offline without a reload. Later versions wait
// (sw-bridge's applyUpdate), so an open page never changes under the reader.
clientsClaim();

/** Work that rides on a sync's wake-up; its failure must not fail the sync (the browser would retry the sync). */
const indexQuietly = () =>
  syncSearchIndex().then(
    () => undefined,
    (error: unknown) => console.error('search index', error),
  );
const afterRefresh = () =>
  Promise.all([
    indexQuietly(),
    notifyChosenSources().catch((error: unknown) => console.error('source notifications', error)),
  ]);

self.addEventListener('sync', (event) => {
  // The articles that became ready are indexed for the search on the device while the worker is awake anyway.
  if (event.tag === SYNC_TAG) event.waitUntil(onFetchArticlesSync(event).finally(indexQuietly));
});

self.addEventListener('periodicsync', (event) => {
  if (event.tag === PERIODIC_SYNC_TAG) event.waitUntil(refreshDigest('periodicsync').finally(afterRefresh));
});

self.addEventListener('message', answerRequest);

self.addEventListener('notificationclick', (event) => event.waitUntil(openFromNotification(event)));

// Without Background Sync (Firefox, Safari) nothing else wakes the outbox: every start of the worker drains it.
if (!self.registration.sync && self.serviceWorker?.state === 'activated') void drainOutbox({ trigger: 'worker-start' });
self.addEventListener('activate', (event) => {
  if (!self.registration.sync) event.waitUntil(drainOutbox({ trigger: 'worker-start' }));
});
