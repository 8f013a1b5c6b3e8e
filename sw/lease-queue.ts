// The leases both queues of the outbox (articles, reader actions) use: an entry is taken with a lease naming this
// worker instance and an expiry, so a second drain (another trigger, another worker) never doubles the work;
// settling it releases the lease; a lease held by another instance (a stopped or replaced worker), or run out, goes
// back to the queue, the entry keeping its attempt count.
import { openReaderDb, type Lease, type ReaderSchema } from './reader-db.ts';

/** Long enough for an article, its page and its images; a worker stopped mid-fetch loses its leases at once. */
export const LEASE_MS = 2 * 60 * 1000;

/** This worker instance. */
export const WORKER_INSTANCE = crypto.randomUUID();

type QueueStore = 'articles' | 'actions';
type RecordOf<S extends QueueStore> = ReaderSchema[S]['value'];

/** Another instance's lease was left by a stopped or replaced worker: taken back at once. Our own, once it ran out. */
export const isReclaimable = (lease: Lease | null, instance: string, now: number): boolean =>
  lease === null || lease.owner !== instance || lease.until <= now;

/** The entry with its lease let go: what every settlement writes. */
export const released = <R extends { lease: Lease | null }>(record: R): R => ({ ...record, lease: null });

export interface LeaseQueue<R> {
  /** Entries waiting for their turn, due or not. */
  waiting(): Promise<R[]>;
  /** Takes a waiting entry, counting the attempt; null when another drain took it, or it was removed, meanwhile. */
  take(key: string, now?: number): Promise<R | null>;
  /** Takes waiting entries in one transaction, counting the attempt; those another drain took, or removed, are left out. */
  takeAll(keys: string[], now?: number): Promise<R[]>;
  /** Puts entries whose lease is reclaimable back in the queue, due now; returns them. */
  reclaim(now?: number): Promise<R[]>;
}

interface QueueOptions<R> {
  /** The state of an entry someone holds: `fetching` for articles, `sending` for actions. */
  busy: string;
  /** Anything else a change writes (the library stamps `updatedAt`). */
  touch?: (record: R, now: number) => R;
  instance?: string;
  leaseMs?: number;
}

export function leaseQueue<S extends QueueStore>(
  store: S,
  options: QueueOptions<RecordOf<S>>,
): LeaseQueue<RecordOf<S>> {
  type R = RecordOf<S>;
  const { busy, touch = (record: R) => record, instance = WORKER_INSTANCE, leaseMs = LEASE_MS } = options;
  const inState = async (state: string) =>
    (await openReaderDb()).getAllFromIndex(store, 'by-state', IDBKeyRange.only(state)) as Promise<R[]>;
  return {
    waiting: () => inState('queued'),

    async take(key, now = Date.now()) {
      const [record] = await this.takeAll([key], now);
      return record ?? null;
    },

    async takeAll(keys, now = Date.now()) {
      const tx = (await openReaderDb()).transaction(store, 'readwrite');
      // Every read asked at once, then every write: one event-loop turn per request would cost more than the requests.
      const current = (await Promise.all([...new Set(keys)].map((key) => tx.store.get(key)))) as Array<R | undefined>;
      const lease: Lease = { owner: instance, until: now + leaseMs };
      const taken = current
        .filter((record): record is R => record?.state === 'queued')
        .map((record) => touch({ ...record, state: busy, attempts: record.attempts + 1, lease } as R, now));
      await Promise.all([...taken.map((record) => tx.store.put(record)), tx.done]);
      return taken;
    },

    async reclaim(now = Date.now()) {
      const tx = (await openReaderDb()).transaction(store, 'readwrite');
      const back: R[] = [];
      for (const record of (await tx.store.index('by-state').getAll(IDBKeyRange.only(busy))) as R[]) {
        if (!isReclaimable(record.lease, instance, now)) continue;
        const queued = touch({ ...record, state: 'queued', lease: null, nextAttemptAt: now } as R, now);
        back.push(queued);
        await tx.store.put(queued);
      }
      await tx.done;
      return back;
    },
  };
}
