// The service worker's IndexedDB, typed once with idb's DBSchema and upgraded in one place. One module owns each
// store: `articles` sw/library.ts, `actions` sw/action-queue.ts, `settings` sw/settings-store.ts, `activity`
// sw/activity-log.ts, `reads` sw/read-state.ts, `remembered` this one. Never await a fetch inside an open transaction (IndexedDB closes it at
// the first idle turn): read, fetch, then write.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type StoreNames } from 'idb';
import type { DigestFeed, ItemSummary } from '../contract/http.ts';
import type { ActivityEntry, OfflineEntry, QueuedAction, ReaderSettings } from '../contract/messages.ts';

/** Who holds an entry while fetching it, and until when; a stopped worker's leases are taken back. */
export interface Lease {
  owner: string;
  until: number;
}

export interface ArticleRecord extends OfflineEntry {
  lease: Lease | null;
  /** The reader has been told about its outcome (ready or failed). */
  notified: boolean;
  /** Every URL cached for it, to remove them together. */
  cachedUrls: string[];
  /**
   * A ready article's copies still to make after its page: its JSON and pictures, at first, then those that failed
   * for a passing reason, fetched again when `nextAttemptAt` comes (quietly: the reader was told it is ready).
   * Absent in records written before pictures were fetched again.
   */
  missingImages?: string[];
  /** Tries for the missing pictures so far, for their backoff. */
  imageAttempts?: number;
  /** When the reader last opened it: what storage running out drops last, among prefetched articles. */
  lastReadAt?: number;
  updatedAt: number;
}

export interface ActionRecord extends QueuedAction {
  lease: Lease | null;
  /** The reader has been told it failed. Absent in records written before failures were notified. */
  notified?: boolean;
}

/** The settings as stored: `version` says which version's meanings they were written in (absent: version 1). */
export type StoredSettings = Partial<ReaderSettings> & { version?: number };

export type ActivityRecord = Omit<ActivityEntry, 'id'> & { id?: number };

export interface Remembered {
  /** The ETag of the digest last cached, for If-None-Match. */
  digestEtag: string;
  /** When the digest was last refreshed (epoch ms). */
  digestRefreshedAt: number;
  /** The list the digest last brought (its articles live in the library's caches): Latest offline (sw/device-digest.ts). */
  digestList: DigestList;
  /** What this device measured storing articles for offline, to plan the next downloads (sw/sizes-on-device.ts). */
  sizesOnDevice: SizesOnDevice;
}

/** Sums of what was stored: pages (with their JSON's bytes) and pictures, faded as they grow. */
export interface SizesOnDevice {
  pages: number;
  pageBytes: number;
  jsonBytes: number;
  pictures: number;
  pictureBytes: number;
}

export interface DigestList {
  items: ItemSummary[];
  feeds: DigestFeed[];
  /** When it arrived (epoch ms). */
  receivedAt: number;
}

/** An item the reader has read on this device (opened, or marked read); an item with no record is unread. */
export interface ReadMark {
  itemId: string;
  readAt: number;
}

export interface ReaderSchema extends DBSchema {
  articles: { key: string; value: ArticleRecord; indexes: { 'by-state': string } };
  actions: { key: string; value: ActionRecord; indexes: { 'by-state': string } };
  settings: { key: 'reader'; value: StoredSettings };
  activity: { key: number; value: ActivityRecord };
  remembered: { key: keyof Remembered; value: Remembered[keyof Remembered] };
  reads: { key: string; value: ReadMark; indexes: { 'by-read-at': number } };
}

export type ReaderDb = IDBPDatabase<ReaderSchema>;

const DB_NAME = 'offline-reader';
const DB_VERSION = 3;

let opened: Promise<ReaderDb> | null = null;

export function openReaderDb(): Promise<ReaderDb> {
  opened ??= openDB<ReaderSchema>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, transaction) {
      // One step per version, in order; a new version adds its step below the last.
      if (oldVersion < 1) {
        db.createObjectStore('articles', { keyPath: 'itemId' }).createIndex('by-state', 'state');
        db.createObjectStore('actions', { keyPath: 'id' }).createIndex('by-state', 'state');
        db.createObjectStore('settings');
        db.createObjectStore('activity', { keyPath: 'id', autoIncrement: true });
        db.createObjectStore('remembered');
      }
      if (oldVersion < 2) {
        // Version 1 copied the admin token into each queued action's headers: the copies go, and the action is
        // sent with the token the page holds when it is sent.
        void stripStoredTokens(transaction.objectStore('actions'));
      }
      if (oldVersion < 3) {
        // Read marks: a store of its own, added beside the others, which keep their data.
        db.createObjectStore('reads', { keyPath: 'itemId' }).createIndex('by-read-at', 'readAt');
      }
    },
    // Another version of the worker wants to upgrade: let it, and reopen next time.
    blocking() {
      void opened?.then((db) => db.close());
      opened = null;
    },
  });
  return opened;
}

type ActionStore = IDBPObjectStore<
  ReaderSchema,
  ArrayLike<StoreNames<ReaderSchema>>,
  'actions',
  'versionchange' | 'readwrite'
>;

/** Removes any `headers` (where version 1 kept the admin token) from stored actions, marking those as admin ones. */
export async function stripStoredTokens(store: ActionStore): Promise<void> {
  for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue()) {
    const { headers, ...action } = cursor.value as ActionRecord & { headers?: Record<string, string> };
    if (headers !== undefined) await cursor.update({ ...action, admin: action.admin ?? 'Authorization' in headers });
  }
}

export async function remember<K extends keyof Remembered>(key: K, value: Remembered[K]): Promise<void> {
  await (await openReaderDb()).put('remembered', value, key);
}

export async function forget(key: keyof Remembered): Promise<void> {
  await (await openReaderDb()).delete('remembered', key);
}

/** Everything remembered goes: a device cleared of its articles must not send the old digest's ETag. */
export async function forgetAll(): Promise<void> {
  await (await openReaderDb()).clear('remembered');
}

export async function recall<K extends keyof Remembered>(key: K): Promise<Remembered[K] | undefined> {
  return (await (await openReaderDb()).get('remembered', key)) as Remembered[K] | undefined;
}
