// The service worker's entry: it only wires events to the modules that handle them.
import { clientsClaim } from 'workbox-core';
import { afterDigestRefresh, afterFetchArticles } from './after-background-runs.ts';
import { answerRequest } from './answer-requests.ts';
import { drainOutbox } from './drain-outbox.ts';
import { PERIODIC_SYNC_TAG, SYNC_TAG } from '../contract/paths.ts';
import { openFromNotification } from './notification-click.ts';
import { refreshDigest } from './periodic-refresh.ts';
import { precacheAppShell } from './precache.ts';
import { registerRuntimeRoutes } from './routes.ts';
import { onFetchArticlesSync } from './sync-event.ts';

declare const self: ServiceWorkerGlobalScope;

precacheAppShell();
registerRuntimeRoutes();
// The first version takes the open page at once, so it works offline without a reload. Later versions wait
// (sw-bridge's applyUpdate), so an open page never changes under the reader.
clientsClaim();

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(onFetchArticlesSync(event).finally(afterFetchArticles));
});

self.addEventListener('periodicsync', (event) => {
  if (event.tag === PERIODIC_SYNC_TAG) event.waitUntil(refreshDigest('periodicsync').finally(afterDigestRefresh));
});

self.addEventListener('message', answerRequest);

self.addEventListener('notificationclick', (event) => event.waitUntil(openFromNotification(event)));

// Without Background Sync (Firefox, Safari) nothing else wakes the outbox: every start of the worker drains it.
if (!self.registration.sync && self.serviceWorker?.state === 'activated') void drainOutbox({ trigger: 'worker-start' });
self.addEventListener('activate', (event) => {
  if (!self.registration.sync) event.waitUntil(drainOutbox({ trigger: 'worker-start' }));
});
