// The articles in the outbox and every change to them: save, claim with a lease, settle, retry, remove. Each
// change is one short transaction (no fetch inside), then announced to the page.
import { broadcast } from './broadcast.ts';
import { CACHES } from './cache-names.ts';
import { forgetInContentIndex } from './content-index.ts';
import { pageEntryId, type OfflineEntry } from '../contract/messages.ts';
import { readUrl, shareUrl } from '../contract/paths.ts';
import { openOutbox, type ArticleRecord, type Lease } from './outbox-db.ts';
import { isQuotaError } from './quota-error.ts';

/** Long enough for an article, its page and its images; a worker stopped mid-fetch loses its leases at once. */
const LEASE_MS = 2 * 60 * 1000;

/** This worker instance: leases held by any other (a stopped or replaced worker) are taken back. */
const WORKER_INSTANCE = crypto.randomUUID();

export function toEntry(record: ArticleRecord): OfflineEntry {
  const { lease: _lease, notified: _notified, cachedUrls: _urls, missingImages: _missing, imageAttempts: _tries, updatedAt: _updated, lastReadAt: _read, ...entry } = record;
  return entry;
}

async function announce(record: ArticleRecord): Promise<void> {
  await broadcast({ type: 'offline-entry', entry: toEntry(record) });
}

type NewEntry = { itemId: string; url: string; title: string; pageUrl?: string };

export function queuedRecord(item: NewEntry, saved: boolean, now: number): ArticleRecord {
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

/**
 * Saving is idempotent: an entry already queued, fetching or ready stays as it is (a prefetched one becomes the
 * reader's own, its copies moved to the kept cache); a failed one is queued again, since the reader asked again.
 */
export async function saveArticle(item: NewEntry, now = Date.now()): Promise<OfflineEntry> {
  const db = await openOutbox();
  const existing = await db.get('articles', item.itemId);
  if (existing?.state === 'ready' && !existing.saved) await moveCachedUrls(existing.cachedUrls, CACHES.prefetched, CACHES.saved);

  const tx = db.transaction('articles', 'readwrite');
  const current = await tx.store.get(item.itemId);
  let record: ArticleRecord;
  if (!current) record = queuedRecord(item, true, now);
  else if (current.state === 'failed') {
    record = { ...queuedRecord({ ...item, pageUrl: item.pageUrl ?? current.pageUrl }, true, now), createdAt: current.createdAt, title: current.title || item.title };
  }
  else record = { ...current, saved: true, unread: false, title: current.title || item.title, updatedAt: now };
  await tx.store.put(record);
  await tx.done;
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
  const filed = (await (await openOutbox()).getAll('articles')).find((r) => r.pageUrl === page.pageUrl && r.itemId !== provisional);
  if (filed) return saveArticle({ itemId: filed.itemId, url: filed.url, title: filed.title }, now);
  return saveArticle({ itemId: provisional, url: shareUrl(page.pageUrl), title: page.title || page.pageUrl, pageUrl: page.pageUrl }, now);
}

/**
 * Copy, then delete: a worker stopped in between leaves a spare copy, never a missing one. A copy that does not fit
 * beside its original (storage full) is moved the other way round, the body held in memory meanwhile.
 */
async function moveCachedUrls(urls: string[], from: string, to: string): Promise<void> {
  const [source, target] = await Promise.all([caches.open(from), caches.open(to)]);
  for (const url of urls) {
    const response = await source.match(url);
    if (!response) continue;
    const held = response.clone();
    try {
      await target.put(url, response);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      const body = await held.arrayBuffer();
      await source.delete(url);
      // Still no room: the original goes back where it was (its space was just freed), and the move fails.
      await target.put(url, new Response(body, held)).catch(async (again: unknown) => {
        await source.put(url, new Response(body, held));
        throw again;
      });
    }
    await source.delete(url);
  }
}

/**
 * Deletes an entry's copies, except those another entry still lists: articles share pictures (a site's logo, an
 * author's photo), and removing one must not take them from a kept one. Call it once the entry itself is gone.
 */
export async function deleteCachedUrls(urls: string[]): Promise<void> {
  if (urls.length === 0) return;
  const stillUsed = new Set((await (await openOutbox()).getAll('articles')).flatMap((record) => record.cachedUrls));
  const unused = urls.filter((url) => !stillUsed.has(url));
  const [saved, prefetched] = await Promise.all([caches.open(CACHES.saved), caches.open(CACHES.prefetched)]);
  await Promise.all(unused.flatMap((url) => [saved.delete(url), prefetched.delete(url)]));
}

export async function removeArticle(itemId: string): Promise<void> {
  const db = await openOutbox();
  const record = await db.get('articles', itemId);
  await db.delete('articles', itemId);
  if (record) await deleteCachedUrls(record.cachedUrls);
  await forgetInContentIndex(itemId);
  await broadcast({ type: 'offline-entry-removed', itemId });
}

/** The reader's "try again": from the first attempt, now. */
export async function retryArticle(itemId: string, now = Date.now()): Promise<OfflineEntry | null> {
  const db = await openOutbox();
  const tx = db.transaction('articles', 'readwrite');
  const current = await tx.store.get(itemId);
  if (!current || current.state === 'ready' || current.state === 'fetching') {
    await tx.done;
    return current ? toEntry(current) : null;
  }
  const record: ArticleRecord = { ...current, state: 'queued', attempts: 0, nextAttemptAt: now, lastError: null, notified: false, updatedAt: now };
  await tx.store.put(record);
  await tx.done;
  await announce(record);
  return toEntry(record);
}

export async function listArticles(): Promise<OfflineEntry[]> {
  const records = await (await openOutbox()).getAll('articles');
  return records.sort((a, b) => b.createdAt - a.createdAt).map(toEntry);
}

/** Entries a stopped or replaced worker was fetching go back to the queue, keeping their attempt count. */
export async function reclaimLeases(now = Date.now()): Promise<void> {
  const db = await openOutbox();
  const tx = db.transaction('articles', 'readwrite');
  const stale: ArticleRecord[] = [];
  for (const record of await tx.store.index('by-state').getAll('fetching')) {
    if (record.lease?.owner === WORKER_INSTANCE && record.lease.until > now) continue;
    const back: ArticleRecord = { ...record, state: 'queued', lease: null, nextAttemptAt: now, updatedAt: now };
    stale.push(back);
    await tx.store.put(back);
  }
  await tx.done;
  for (const record of stale) await announce(record);
}

export async function queuedArticles(): Promise<ArticleRecord[]> {
  return (await openOutbox()).getAllFromIndex('articles', 'by-state', 'queued');
}

/** Takes a queued entry for this worker; null when someone else took it, or it was removed, meanwhile. */
export async function claimArticle(itemId: string, now = Date.now()): Promise<ArticleRecord | null> {
  const db = await openOutbox();
  const tx = db.transaction('articles', 'readwrite');
  const current = await tx.store.get(itemId);
  if (current?.state !== 'queued') {
    await tx.done;
    return null;
  }
  const lease: Lease = { owner: WORKER_INSTANCE, until: now + LEASE_MS };
  const record: ArticleRecord = { ...current, state: 'fetching', attempts: current.attempts + 1, lease, updatedAt: now };
  await tx.store.put(record);
  await tx.done;
  await announce(record);
  return record;
}

export type Settlement =
  | {
      kind: 'ready'; title: string; publishedAt: string | null; bytes: number; cachedUrls: string[]; missingImages: string[]; imagesDueAt: number | null;
      /** The article's id, when the entry waited under a provisional one (a page saved by its address). */
      articleId?: string;
    }
  | { kind: 'retry'; error: string; nextAttemptAt: number; countAttempt: boolean }
  | { kind: 'fail'; error: string };

/**
 * Records how a claimed entry's fetch ended. An entry the reader removed meanwhile stays removed (its fresh copies
 * are deleted); anything else is written as it ended, whoever holds the lease now, since the outcome is the same.
 */
export async function settleArticle(itemId: string, settlement: Settlement, now = Date.now()): Promise<ArticleRecord | null> {
  const db = await openOutbox();
  const tx = db.transaction('articles', 'readwrite');
  const current = await tx.store.get(itemId);
  if (!current) {
    await tx.done;
    if (settlement.kind === 'ready') await deleteCachedUrls(settlement.cachedUrls);
    return null;
  }
  // A late failure for an entry that is ready meanwhile (a shared page filed under it) changes nothing.
  if (current.state === 'ready' && settlement.kind !== 'ready') {
    await tx.done;
    return current;
  }
  const base = { ...current, lease: null, updatedAt: now };
  let record: ArticleRecord;
  switch (settlement.kind) {
    case 'ready':
      record = {
        ...base,
        state: 'ready',
        title: settlement.title || current.title,
        publishedAt: settlement.publishedAt,
        bytes: settlement.bytes,
        cachedUrls: settlement.cachedUrls,
        missingImages: settlement.missingImages,
        imageAttempts: settlement.missingImages.length > 0 ? 1 : 0,
        readyAt: now,
        nextAttemptAt: settlement.missingImages.length > 0 ? settlement.imagesDueAt : null,
        lastError: null,
      };
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
  let joined: ArticleRecord | undefined;
  if (filedId !== itemId) {
    joined = await tx.store.get(filedId);
    record = {
      ...record,
      itemId: filedId,
      url: readUrl(filedId),
      saved: record.saved || (joined?.saved ?? false),
      createdAt: Math.min(record.createdAt, joined?.createdAt ?? Infinity),
      cachedUrls: [...new Set([...(joined?.cachedUrls ?? []), ...record.cachedUrls])],
    };
    await tx.store.delete(itemId);
  }
  await tx.store.put(record);
  await tx.done;
  if (filedId !== itemId) {
    // The copies of an article that was only prefetched join the reader's own.
    if (joined && !joined.saved && record.saved) await moveCachedUrls(joined.cachedUrls, CACHES.prefetched, CACHES.saved);
    await broadcast({ type: 'offline-entry-removed', itemId });
  }
  await announce(record);
  return record;
}

/** Ready articles with pictures still to fetch. */
export async function articlesMissingImages(): Promise<ArticleRecord[]> {
  const ready = await (await openOutbox()).getAllFromIndex('articles', 'by-state', 'ready');
  return ready.filter((record) => (record.missingImages?.length ?? 0) > 0);
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
  const db = await openOutbox();
  const tx = db.transaction('articles', 'readwrite');
  const current = await tx.store.get(itemId);
  if (current?.state !== 'ready') {
    await tx.done;
    // Removed meanwhile: the copies just made go too.
    if (!current) await deleteCachedUrls(outcome.cachedUrls);
    return;
  }
  const arrived = new Set(outcome.cachedUrls);
  const missing = (current.missingImages ?? []).filter((url) => outcome.missing.includes(url) && !arrived.has(new URL(url, location.origin).href));
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

/** The reader's requests that ended (ready or failed) and that they have not been told about yet. */
export async function unnotifiedOutcomes(): Promise<ArticleRecord[]> {
  const records = await (await openOutbox()).getAll('articles');
  return records.filter((record) => record.saved && !record.notified && (record.state === 'ready' || record.state === 'failed'));
}

export async function markNotified(itemIds: string[]): Promise<void> {
  const db = await openOutbox();
  const tx = db.transaction('articles', 'readwrite');
  for (const itemId of itemIds) {
    const record = await tx.store.get(itemId);
    if (record) await tx.store.put({ ...record, notified: true });
  }
  await tx.done;
}

/** Everything gone: entries and every article copy. */
export async function clearArticles(): Promise<void> {
  const db = await openOutbox();
  const records = await db.getAll('articles');
  await db.clear('articles');
  await Promise.all([caches.delete(CACHES.saved), caches.delete(CACHES.prefetched)]);
  for (const record of records) {
    await forgetInContentIndex(record.itemId);
    await broadcast({ type: 'offline-entry-removed', itemId: record.itemId });
  }
}
