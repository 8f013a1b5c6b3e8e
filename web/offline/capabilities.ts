// What this browser can do, probed synchronously and never assumed: features hide what it cannot rather than fail.

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

let backgroundSyncRefused = false;

/** The browser refused to register a sync (the reader blocked it for the site): count it as missing from now on. */
export function noteBackgroundSyncRefused(): void {
  backgroundSyncRefused = true;
}

export function capabilities(): Capabilities {
  const serviceWorker = 'serviceWorker' in navigator;
  return {
    serviceWorker,
    backgroundSync: serviceWorker && 'SyncManager' in window && !backgroundSyncRefused,
    periodicSync: serviceWorker && 'PeriodicSyncManager' in window,
    notifications:
      serviceWorker && 'Notification' in window && 'showNotification' in ServiceWorkerRegistration.prototype,
    badging: 'setAppBadge' in navigator,
    contentIndex: serviceWorker && 'ContentIndex' in window,
    persistentStorage: typeof navigator.storage?.persist === 'function',
  };
}
