// The library: every article on this device (saved by the reader, or prefetched by the background refresh) and
// every change to its record; nothing else writes the `articles` store. Each change is one short transaction (no
// fetch inside), then announced to the page. The moves, and who makes them:
//   (none) → queued              saveArticle, savePage
//   (none) → ready               addPrefetched (unless the reader saved it meanwhile)
//   queued → fetching            claimArticle(s), with a lease (sw/lease-queue.ts)
//   fetching → queued            reclaimArticleLeases (its worker stopped, or the lease ran out)
//   fetching → ready|queued|failed  settleArticle(s); a page saved by its address is filed under its article's id
//   failed → queued              saveArticle, retryArticle (queued → queued too: from the first attempt, now)
//   ready, prefetched → ready, saved   keepArticle (saveArticle too): never expired, trimmed or dropped for room
//   ready → ready                settleImages, markRead, setUnread, markNotified
//   any → (none)                 removeArticle, clearArticles
// Refused, the record unchanged: claiming what is not queued; retrying what is ready or fetching; a late failure for
// a ready entry; pictures for an entry not ready; settling an entry removed meanwhile (its fresh copies are deleted).
import { broadcast, broadcastAll } from './broadcast.ts';
import { CACHES } from './cache-names.ts';
import { forgetInContentIndex } from './content-index.ts';
import { pageEntryId, type OfflineEntry } from '../contract/messages.ts';
import { readUrl, shareUrl } from '../contract/paths.ts';
import { deleteAllCopies, deleteCopies, moveCopies } from './kept-copies.ts';
import { leaseQueue, released } from './lease-queue.ts';
import { markOutboxStep } from './outbox-marks.ts';
import { isRead } from './read-state.ts';
import { openReaderDb, type ArticleRecord } from './reader-db.ts';

export function toEntry(record: ArticleRecord): OfflineEntry {
  const {
    lease: _lease,
    notified: _notified,
    cachedUrls: _urls,
    missingImages: _missing,
    imageAttempts: _tries,
    updatedAt: _updated,
    lastReadAt: _read,
    ...entry
  } = record;
  return entry;
}

async function announce(...records: ArticleRecord[]): Promise<void> {
  await broadcastAll(records.map((record) => ({ type: 'offline-entry', entry: toEntry(record) })));
}

const queue = leaseQueue('articles', { busy: 'fetching', touch: (record, now) => ({ ...record, updatedAt: now }) });

type NewEntry = { itemId: string; url: string; title: string; pageUrl?: string };

function queuedRecord(item: NewEntry, saved: boolean, now: number): ArticleRecord {
  return {
    ...item,
    state: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    createdAt: now,
    readyAt: null,
    publishedAt: null,
    bytes: null,
    saved,
    unread: false,
    lease: null,
    notified: false,
    cachedUrls: [],
    updatedAt: now,
  };
}

/** What a fetch that ended well brought; pictures that failed for a passing reason are tried again at `imagesDueAt`. */
interface Fetched {
  title: string;
  publishedAt: string | null;
  bytes: number;
  cachedUrls: string[];
  missingImages: string[];
  imagesDueAt: number | null;
}

const asReady = (record: ArticleRecord, fetched: Fetched, now: number): ArticleRecord => ({
  ...record,
  state: 'ready',
  title: fetched.title || record.title,
  publishedAt: fetched.publishedAt,
  bytes: fetched.bytes,
  cachedUrls: fetched.cachedUrls,
  missingImages: fetched.missingImages,
  imageAttempts: fetched.missingImages.length > 0 ? 1 : 0,
  readyAt: now,
  nextAttemptAt: fetched.missingImages.length > 0 ? fetched.imagesDueAt : null,
  lastError: null,
  updatedAt: now,
});

/**
 * Saving is idempotent: an entry already queued, fetching or ready stays as it is (a prefetched one becomes the
 * reader's own, its copies moved to the kept cache); a failed one is queued again, since the reader asked again.
 */
export async function saveArticle(item: NewEntry, now = Date.now()): Promise<OfflineEntry> {
  const tx = (await openReaderDb()).transaction('articles', 'readwrite');
  const current = await tx.store.get(item.itemId);
  if (current?.state === 'ready' && !current.saved) {
    await tx.done;
    return (await keepArticle(item.itemId, now)) ?? saveArticle(item, now);
  }
  let record: ArticleRecord;
  if (!current) record = queuedRecord(item, true, now);
  else if (current.state === 'failed') {
    record = {
      ...queuedRecord({ ...item, pageUrl: item.pageUrl ?? current.pageUrl }, true, now),
      createdAt: current.createdAt,
      title: current.title || item.title,
    };
  } else record = { ...current, saved: true, unread: false, title: current.title || item.title, updatedAt: now };
  await tx.store.put(record);
  await tx.done;
  await announce(record);
  return toEntry(record);
}

/**
 * Keep: a prefetched article becomes the reader's own, kept until they remove it (the background refresh's bounds,
 * its expiry and making room never touch it again). The record changes first, so nothing that trims prefetched
 * articles can take it while its copies move from the prefetched cache to the kept one. Keeping a kept article
 * changes nothing; null when there is no ready article to keep (a queued or failed one is saved, not kept).
 */
export async function keepArticle(itemId: string, now = Date.now()): Promise<OfflineEntry | null> {
  const tx = (await openReaderDb()).transaction('articles', 'readwrite');
  const current = await tx.store.get(itemId);
  if (current?.state !== 'ready') {
    await tx.done;
    return null;
  }
  if (current.saved) {
    await tx.done;
    return toEntry(current);
  }
  const record: ArticleRecord = { ...current, saved: true, unread: false, updatedAt: now };
  await tx.store.put(record);
  await tx.done;
  await moveCopies(record.cachedUrls, CACHES.prefetched, CACHES.saved);
  await announce(record);
  return toEntry(record);
}

/**
 * A page saved by its address (shared to the app), online or not: it waits under a provisional id until the edge has
 * read it (GET /api/articles?url=), then is filed under its article's id. Saving the same address again is the
 * same entry, before and after.
 */
export async function savePage(page: { pageUrl: string; title: string }, now = Date.now()): Promise<OfflineEntry> {
  const provisional = pageEntryId(page.pageUrl);
  const filed = (await (await openReaderDb()).getAll('articles')).find(
    (r) => r.pageUrl === page.pageUrl && r.itemId !== provisional,
  );
  if (filed) return saveArticle({ itemId: filed.itemId, url: filed.url, title: filed.title }, now);
  return saveArticle(
    { itemId: provisional, url: shareUrl(page.pageUrl), title: page.title || page.pageUrl, pageUrl: page.pageUrl },
    now,
  );
}

/**
 * A background refresh's article, ready; unread (the app badge) unless the reader read it already (sw/read-state.ts).
 * The reader saved it from another window meanwhile: theirs wins (false).
 */
export async function addPrefetched(article: Fetched & { itemId: string }, now = Date.now()): Promise<boolean> {
  const { itemId, ...fetched } = article;
  const unread = !(await isRead(itemId));
  const record: ArticleRecord = {
    ...asReady(queuedRecord({ itemId, url: readUrl(itemId), title: fetched.title }, false, now), fetched, now),
    unread,
    notified: true,
  };
  const tx = (await openReaderDb()).transaction('articles', 'readwrite');
  const taken = await tx.store.get(itemId);
  if (!taken) await tx.store.put(record);
  await tx.done;
  if (!taken) await announce(record);
  return !taken;
}

/**
 * Deletes an entry's copies, except those another entry still lists: articles share pictures (a site's logo, an
 * author's photo), and removing one must not take them from a kept one. Call it once the entry itself is gone.
 */
export async function deleteUnusedCopies(urls: string[]): Promise<void> {
  if (urls.length === 0) return;
  const stillUsed = new Set((await (await openReaderDb()).getAll('articles')).flatMap((record) => record.cachedUrls));
  await deleteCopies(urls, stillUsed);
}

export async function removeArticle(itemId: string): Promise<void> {
  const db = await openReaderDb();
  const record = await db.get('articles', itemId);
  await db.delete('articles', itemId);
  if (record) await deleteUnusedCopies(record.cachedUrls);
  await forgetInContentIndex(itemId);
  await broadcast({ type: 'offline-entry-removed', itemId });
}

/** The reader's "try again": from the first attempt, now. */
export async function retryArticle(itemId: string, now = Date.now()): Promise<OfflineEntry | null> {
  const tx = (await openReaderDb()).transaction('articles', 'readwrite');
  const current = await tx.store.get(itemId);
  if (!current || current.state === 'ready' || current.state === 'fetching') {
    await tx.done;
    return current ? toEntry(current) : null;
  }
  const record: ArticleRecord = {
    ...current,
    state: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    notified: false,
    updatedAt: now,
  };
  await tx.store.put(record);
  await tx.done;
  await announce(record);
  return toEntry(record);
}

/** Entries a stopped or replaced worker was fetching go back to the queue, keeping their attempt count. */
/** Returns how many went back to the queue. */
export async function reclaimArticleLeases(now = Date.now()): Promise<number> {
  const back = await queue.reclaim(now);
  for (const record of back) await announce(record);
  return back.length;
}

/** Takes a queued entry for this worker; null when someone else took it, or it was removed, meanwhile. */
export async function claimArticle(itemId: string, now = Date.now()): Promise<ArticleRecord | null> {
  const [record] = await claimArticles([itemId], now);
  return record ?? null;
}

/** Takes a batch of queued entries in one transaction: those someone else took, or that were removed, are left out. */
export async function claimArticles(itemIds: string[], now = Date.now()): Promise<ArticleRecord[]> {
  const records = await queue.takeAll(itemIds, now);
  await announce(...records);
  return records;
}

export type Settlement =
  | (Fetched & {
      kind: 'ready';
      /** The article's id, when the entry waited under a provisional one (a page saved by its address). */
      articleId?: string;
    })
  | { kind: 'retry'; error: string; nextAttemptAt: number; countAttempt: boolean }
  | { kind: 'fail'; error: string };

/**
 * Records how a claimed entry's fetch ended. An entry the reader removed meanwhile stays removed (its fresh copies
 * are deleted); anything else is written as it ended, whoever holds the lease now, since the outcome is the same.
 */
export async function settleArticle(
  itemId: string,
  settlement: Settlement,
  now = Date.now(),
): Promise<ArticleRecord | null> {
  const [record] = await settleArticles([{ itemId, settlement }], now);
  return record ?? null;
}

/**
 * settleArticle for a whole batch, in one transaction (a batch's articles become ready together, at the cost of
 * one write, not one per article); returns each entry's record in order, null for one removed meanwhile.
 */
export async function settleArticles(
  settlements: Array<{ itemId: string; settlement: Settlement }>,
  now = Date.now(),
): Promise<Array<ArticleRecord | null>> {
  const tx = (await openReaderDb()).transaction('articles', 'readwrite');
  const results: Array<ArticleRecord | null> = [];
  const after: Array<() => Promise<void>> = [];
  const announced: ArticleRecord[] = [];
  // Every entry read at once (one event-loop turn per read would cost more than the reads); what this transaction
  // wrote since (a page filed under an article also settled here) is what a later settlement reads.
  const read = await Promise.all(settlements.map(({ itemId }) => tx.store.get(itemId)));
  const written = new Map<string, ArticleRecord | undefined>();
  const writes: Array<Promise<unknown>> = [];
  for (const [i, { itemId, settlement }] of settlements.entries()) {
    const current = written.has(itemId) ? written.get(itemId) : read[i];
    if (!current) {
      results.push(null);
      if (settlement.kind === 'ready') after.push(() => deleteUnusedCopies(settlement.cachedUrls));
      continue;
    }
    // A late failure for an entry that is ready meanwhile (a shared page filed under it) changes nothing.
    if (current.state === 'ready' && settlement.kind !== 'ready') {
      results.push(current);
      continue;
    }
    const base = { ...released(current), updatedAt: now };
    let record: ArticleRecord;
    switch (settlement.kind) {
      case 'ready':
        record = asReady(base, settlement, now);
        break;
      case 'retry':
        record = {
          ...base,
          state: 'queued',
          attempts: settlement.countAttempt ? current.attempts : Math.max(0, current.attempts - 1),
          nextAttemptAt: settlement.nextAttemptAt,
          lastError: settlement.error,
        };
        break;
      case 'fail':
        record = { ...base, state: 'failed', nextAttemptAt: null, lastError: settlement.error, notified: false };
        break;
    }
    // A page saved by its address is filed under its article's id now, joining that article's entry if it has one.
    const filedId = settlement.kind === 'ready' ? (settlement.articleId ?? itemId) : itemId;
    if (filedId !== itemId) {
      const joined = written.has(filedId) ? written.get(filedId) : await tx.store.get(filedId);
      record = {
        ...record,
        itemId: filedId,
        url: readUrl(filedId),
        saved: record.saved || (joined?.saved ?? false),
        createdAt: Math.min(record.createdAt, joined?.createdAt ?? Infinity),
        cachedUrls: [...new Set([...(joined?.cachedUrls ?? []), ...record.cachedUrls])],
      };
      writes.push(tx.store.delete(itemId));
      written.set(itemId, undefined);
      const filed = record;
      after.push(async () => {
        // The copies of an article that was only prefetched join the reader's own.
        if (joined && !joined.saved && filed.saved)
          await moveCopies(joined.cachedUrls, CACHES.prefetched, CACHES.saved);
        await broadcast({ type: 'offline-entry-removed', itemId });
      });
    }
    writes.push(tx.store.put(record));
    written.set(record.itemId, record);
    results.push(record);
    announced.push(record);
  }
  await Promise.all([...writes, tx.done]);
  if (announced.some((record) => record.state === 'ready')) markOutboxStep('ready');
  await Promise.all([...after.map((step) => step()), announce(...announced)]);
  return results;
}

/**
 * Records a second try for a ready article's missing pictures: those that arrived join its copies, the rest wait
 * for `nextAttemptAt`. Two workers doing this at once is harmless (the cache replaces by URL; the lists merge).
 */
export async function settleImages(
  itemId: string,
  outcome: { cachedUrls: string[]; bytes: number; missing: string[]; nextAttemptAt: number },
  now = Date.now(),
): Promise<void> {
  const tx = (await openReaderDb()).transaction('articles', 'readwrite');
  const current = await tx.store.get(itemId);
  if (current?.state !== 'ready') {
    await tx.done;
    // Removed meanwhile: the copies just made go too.
    if (!current) await deleteUnusedCopies(outcome.cachedUrls);
    return;
  }
  const arrived = new Set(outcome.cachedUrls);
  const missing = (current.missingImages ?? []).filter(
    (url) => outcome.missing.includes(url) && !arrived.has(new URL(url, location.origin).href),
  );
  const record: ArticleRecord = {
    ...current,
    cachedUrls: [...new Set([...current.cachedUrls, ...outcome.cachedUrls])],
    bytes: (current.bytes ?? 0) + outcome.bytes,
    missingImages: missing,
    imageAttempts: (current.imageAttempts ?? 0) + 1,
    nextAttemptAt: missing.length > 0 ? outcome.nextAttemptAt : null,
    updatedAt: now,
  };
  await tx.store.put(record);
  await tx.done;
  await announce(record);
}

/** Also notes when it was read: storage running out drops the prefetched articles read longest ago first. */
export async function markRead(itemId: string, now = Date.now()): Promise<void> {
  const tx = (await openReaderDb()).transaction('articles', 'readwrite');
  const record = await tx.store.get(itemId);
  if (record) await tx.store.put({ ...record, unread: false, lastReadAt: now });
  await tx.done;
  if (record?.unread) await announce({ ...record, unread: false });
}

/**
 * Follows the reader's read marks (sw/read-state.ts owns them) on prefetched articles' `unread` flag, which the app
 * badge counts; the reader's own saves never count. Unlike markRead, this does not note a reading.
 */
export async function setUnread(itemIds: string[], unread: boolean): Promise<void> {
  const tx = (await openReaderDb()).transaction('articles', 'readwrite');
  const changed: ArticleRecord[] = [];
  for (const itemId of itemIds) {
    const record = await tx.store.get(itemId);
    if (!record || record.saved || record.unread === unread) continue;
    changed.push({ ...record, unread });
    await tx.store.put({ ...record, unread });
  }
  await tx.done;
  for (const record of changed) await announce(record);
}

export async function markNotified(itemIds: string[]): Promise<void> {
  const tx = (await openReaderDb()).transaction('articles', 'readwrite');
  for (const itemId of itemIds) {
    const record = await tx.store.get(itemId);
    if (record) await tx.store.put({ ...record, notified: true });
  }
  await tx.done;
}

/** Everything gone: entries and every article copy. */
export async function clearArticles(): Promise<void> {
  const db = await openReaderDb();
  const records = await db.getAll('articles');
  await db.clear('articles');
  await deleteAllCopies();
  for (const record of records) {
    await forgetInContentIndex(record.itemId);
    await broadcast({ type: 'offline-entry-removed', itemId: record.itemId });
  }
}

export async function getArticle(itemId: string): Promise<ArticleRecord | undefined> {
  return (await openReaderDb()).get('articles', itemId);
}

export async function listArticles(): Promise<OfflineEntry[]> {
  const records = await (await openReaderDb()).getAll('articles');
  return records.sort((a, b) => b.createdAt - a.createdAt).map(toEntry);
}

/** Ids of every entry, whatever its state: what the background refresh need not download. */
export async function articleIds(): Promise<Set<string>> {
  return new Set(await (await openReaderDb()).getAllKeys('articles'));
}

export const queuedArticles = (): Promise<ArticleRecord[]> => queue.waiting();

/** Ready articles with pictures still to fetch. */
export async function articlesMissingImages(): Promise<ArticleRecord[]> {
  const ready = await (await openReaderDb()).getAllFromIndex('articles', 'by-state', 'ready');
  return ready.filter((record) => (record.missingImages?.length ?? 0) > 0);
}

/** What the background refresh brought, in any state: the reader's own saves are never among them. */
export async function prefetchedArticles(): Promise<ArticleRecord[]> {
  return (await (await openReaderDb()).getAll('articles')).filter((record) => !record.saved);
}

/** The reader's requests that ended (ready or failed) and that they have not been told about yet. */
export async function unnotifiedOutcomes(): Promise<ArticleRecord[]> {
  const records = await (await openReaderDb()).getAll('articles');
  return records.filter(
    (record) => record.saved && !record.notified && (record.state === 'ready' || record.state === 'failed'),
  );
}

/** Prefetched articles the reader has not opened: the app badge. */
export async function unreadCount(): Promise<number> {
  return (await (await openReaderDb()).getAll('articles')).filter((record) => record.unread).length;
}
