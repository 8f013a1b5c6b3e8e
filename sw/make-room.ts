// Room for a write for offline reading that did not fit: the background refresh's copies go in the reader's offline
// policy's order (what it would drop next first, then the oldest it holds), never the reader's own saves or the
// articles they kept, and the activity log says which went and why.
import { registerQuotaErrorCallback } from 'workbox-core';
import type { RoomDropReason } from '../contract/messages.ts';
import { logActivity, newActivity } from './activity-log.ts';
import { CACHES } from './cache-names.ts';
import { removeArticle } from './library.ts';
import { policyOrder } from './prefetch-bounds.ts';
import { forget } from './reader-db.ts';
import { getSettings } from './settings-store.ts';

export interface DroppedForRoom {
  itemId: string;
  title: string;
  reason: RoomDropReason;
}

/**
 * Drops prefetched articles in the policy's order until `bytes` are freed or none is left, sparing `spare` (the
 * article being written). Returns what it dropped, in order.
 */
export async function makeRoom(
  bytes: number,
  spare: ReadonlySet<string> = new Set(),
  now = Date.now(),
): Promise<DroppedForRoom[]> {
  const order = (await policyOrder(await getSettings(), now)).filter(
    ({ record }) => record.state === 'ready' && !spare.has(record.itemId),
  );
  const dropped: DroppedForRoom[] = [];
  let freed = 0;
  for (const { record, reason } of order) {
    if (freed >= bytes) break;
    await removeArticle(record.itemId);
    freed += record.bytes ?? 0;
    dropped.push({ itemId: record.itemId, title: record.title, reason });
  }
  if (dropped.length === 0) return dropped;
  // Without those articles the digest's ETag would make the next refresh a 304 that brings none of them back.
  await forget('digestEtag');
  await logActivity({ ...newActivity('make-room', 'storage-full', now), dropped });
  return dropped;
}

/**
 * Workbox's own writes (its runtime caches, which purge themselves on a quota error) ran out of storage: every
 * prefetched article goes, in the same order and logged the same way, then whatever its cache still holds.
 */
export async function dropAllPrefetched(): Promise<void> {
  await makeRoom(Number.POSITIVE_INFINITY);
  await caches.delete(CACHES.prefetched);
}

registerQuotaErrorCallback(() =>
  dropAllPrefetched().catch((error) => console.error('could not drop the prefetched articles', error)),
);
