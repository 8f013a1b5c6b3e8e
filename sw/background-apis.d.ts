// Background Sync, Periodic Background Sync and the Content Index are not in TypeScript's DOM or WebWorker libs
// (only Chromium ships them). Typed here from the specs for the page and the service worker alike, and optional
// on the registration, so every use has to feature-detect them first.

interface SyncManager {
  register(tag: string): Promise<void>;
  getTags(): Promise<string[]>;
}

interface PeriodicSyncManager {
  register(tag: string, options?: { minInterval?: number }): Promise<void>;
  unregister(tag: string): Promise<void>;
  getTags(): Promise<string[]>;
}

interface ContentDescription {
  id: string;
  title: string;
  description: string;
  category?: '' | 'homepage' | 'article' | 'video' | 'audio';
  icons?: Array<{ src: string; sizes?: string; type?: string }>;
  url: string;
}

interface ContentIndex {
  add(description: ContentDescription): Promise<void>;
  delete(id: string): Promise<void>;
  getAll(): Promise<ContentDescription[]>;
}

interface ServiceWorkerRegistration {
  readonly sync?: SyncManager;
  readonly periodicSync?: PeriodicSyncManager;
  readonly index?: ContentIndex;
}
