// Service-worker events and options TypeScript's WebWorker lib does not know yet (Chromium ships them).

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  /** The browser's final attempt: it drops the registration if this one fails too. */
  readonly lastChance: boolean;
}

interface PeriodicSyncEvent extends ExtendableEvent {
  readonly tag: string;
}

interface ServiceWorkerGlobalScopeEventMap {
  sync: SyncEvent;
  periodicsync: PeriodicSyncEvent;
}

interface NotificationAction {
  action: string;
  title: string;
}

interface NotificationOptions {
  actions?: NotificationAction[];
}

interface NotificationConstructorExtras {
  /** How many actions a notification may show here (0 where actions are unsupported). */
  readonly maxActions?: number;
}
