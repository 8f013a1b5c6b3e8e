// Keeps the newest articles downloaded, by the reader's offline policy (sw/offline-policy.ts): one conditional
// request for the digest (If-None-Match; a 304 downloads nothing), then, on new content, the articles it names that
// the policy would keep and this device lacks, within a byte budget per refresh, through the
// same path as the outbox (sw/fetch-for-offline.ts): their text and pages in one batch request, the same pages
// /read/:id shows, then their pictures in one pool. Runs on `periodicsync`, or from the page where Periodic Sync
// is missing.
import type { Digest, DigestItem } from '../contract/http.ts';
import { logActivity, newActivity } from './activity-log.ts';
import { updateBadge } from './app-badge.ts';
import { CACHES } from './cache-names.ts';
import { addToContentIndex } from './content-index.ts';
import { keepDigestList } from './device-digest.ts';
import { fetchArticleTexts, fetchPictures } from './fetch-for-offline.ts';
import type { DigestRefreshResult, ReaderSettings, RunTrigger } from '../contract/messages.ts';
import { connectionKind, type ConnectionHints } from '../contract/connection-kind.ts';
import { articleJsonUrl, digestUrl } from '../contract/paths.ts';
import { notifyNewArticles } from './notify-batch.ts';
import { addPrefetched, articleIds, prefetchedArticles, settleImages } from './library.ts';
import { forget, recall, remember } from './reader-db.ts';
import { decideOfflinePolicy } from './offline-policy.ts';
import { enforceOfflinePolicy, notePrefetched } from './prefetch-bounds.ts';
import { readAmong } from './read-state.ts';
import { nextAttemptAt } from './retry-policy.ts';
import { getSettings } from './settings-store.ts';
import { jsonBytes, noteStoredSizes, plannedBytes, sizeFigures } from './sizes-on-device.ts';

/** The digest's usual length; longer when the policy keeps more. */
const DIGEST_ITEMS = 20;
/** What one refresh may download on top of the digest itself. */
const BYTE_BUDGET = 8 * 1024 * 1024;
/** The page asks on every visit; the server is asked at most this often for it. */
const PAGE_REFRESH_GAP_MS = 5 * 60 * 1000;

async function refreshOnce(trigger: RunTrigger): Promise<DigestRefreshResult> {
  const started = Date.now();
  const settings = await getSettings();
  const last = (await recall('digestRefreshedAt')) ?? 0;
  const fromPage = trigger !== 'periodicsync';
  // Where the browser does not say whether the connection is metered, "unmetered only" cannot hold it back.
  const metered = connectionKind((navigator as { connection?: ConnectionHints }).connection).kind === 'metered';
  if (
    settings.keepNewest === 0 ||
    (!fromPage && !settings.backgroundRefresh) ||
    (settings.unmeteredOnly && metered) ||
    (fromPage && started - last < PAGE_REFRESH_GAP_MS)
  )
    return { outcome: 'skipped', cached: 0, unread: 0 };

  const report = newActivity('refresh-digest', trigger, started);
  const finish = async (outcome: DigestRefreshResult['outcome'], unread: number): Promise<DigestRefreshResult> => {
    report.durationMs = Date.now() - started;
    await logActivity(report);
    return { outcome, cached: report.fetched.length, unread };
  };

  // Without the list itself (a device from before it was kept) a 304 would leave Latest offline empty: ask in full.
  const etag = (await recall('digestList')) ? await recall('digestEtag') : undefined;
  let response: Response;
  try {
    // no-store: the If-None-Match is ours, and the 304 must reach us rather than be answered from the HTTP cache.
    response = await fetch(digestUrl(Math.max(DIGEST_ITEMS, settings.keepNewest)), {
      cache: 'no-store',
      headers: etag ? { 'If-None-Match': etag } : {},
    });
  } catch (error) {
    report.failed.push({ itemId: '', title: 'Digest', error: String(error), willRetry: true });
    return finish('failed', 0);
  }
  if (response.status === 304) {
    // Nothing new, but time passed and articles were read: the policy holds all the same. What it let go leaves
    // room for the next unread ones, which the digest already named: the next refresh downloads it again.
    if ((await enforceOfflinePolicy(settings)) > 0) await forget('digestEtag');
    await remember('digestRefreshedAt', started);
    report.notModified = true;
    return finish('not-modified', await updateBadge());
  }
  if (!response.ok) {
    report.failed.push({
      itemId: '',
      title: 'Digest',
      error: `The server answered ${response.status}.`,
      willRetry: true,
    });
    return finish('failed', 0);
  }
  const body = await response.arrayBuffer();
  report.bytes += body.byteLength;
  const digest = JSON.parse(new TextDecoder().decode(body)) as Digest;
  await keepDigestList(digest, started);

  const fresh = await plannedDownloads(digest, settings, started);
  const fetchStarted = Date.now();
  const texts = await fetchArticleTexts(
    fresh.map((item) => ({ key: item.id, id: item.id })),
    new Map(fresh.map((item) => [item.id, CACHES.prefetched])),
    fetchStarted,
  ).catch(
    (error: unknown) =>
      new Map(fresh.map((item) => [item.id, { kind: 'retry' as const, error: String(error), retryAfterMs: null }])),
  );
  const added: Array<{ itemId: string; urls: string[]; jsonBytes: number }> = [];
  const pages: Array<{ pageBytes: number; jsonBytes: number }> = [];
  for (const item of fresh) {
    const outcome = texts.get(item.id) ?? {
      kind: 'retry' as const,
      error: 'No answer for this article.',
      retryAfterMs: null,
    };
    if (outcome.kind !== 'ready') {
      report.failed.push({
        itemId: item.id,
        title: item.title,
        error: outcome.error,
        willRetry: outcome.kind === 'retry',
      });
      continue;
    }
    const json = item.article ? jsonBytes(item.article) : 0;
    pages.push({ pageBytes: outcome.bytes, jsonBytes: json });
    const now = Date.now();
    // Ready with its text; its pictures follow below, and any that fail are fetched again later by the outbox's drain.
    const isNew = await addPrefetched(
      {
        itemId: item.id,
        title: outcome.title,
        publishedAt: outcome.publishedAt,
        bytes: outcome.bytes,
        cachedUrls: outcome.cachedUrls,
        missingImages: outcome.images,
        imagesDueAt: now,
      },
      now,
    );
    if (!isNew) continue;
    await notePrefetched(outcome.cachedUrls);
    await addToContentIndex({ itemId: item.id, title: outcome.title, description: item.summary.slice(0, 200) });
    report.fetched.push({ itemId: item.id, title: outcome.title, bytes: outcome.bytes, ms: now - fetchStarted });
    report.bytes += outcome.bytes;
    added.push({ itemId: item.id, urls: outcome.images, jsonBytes: json });
  }
  const pictures = await fetchPictures(
    added.map(({ itemId, urls }) => ({ itemId, urls, cacheName: CACHES.prefetched })),
  );
  const storedPictures = { count: 0, bytes: 0 };
  for (const { itemId, jsonBytes: json } of added) {
    const outcome = pictures.get(itemId);
    if (!outcome) continue;
    // Its JSON is written with its pictures: what is left of the bytes is the pictures', measured for the next plan.
    const withJson = outcome.cachedUrls.includes(new URL(articleJsonUrl(itemId), location.origin).href);
    storedPictures.count += outcome.cachedUrls.length - (withJson ? 1 : 0);
    storedPictures.bytes += Math.max(0, outcome.bytes - (withJson ? json : 0));
    const now = Date.now();
    report.bytes += outcome.bytes;
    await settleImages(
      itemId,
      {
        cachedUrls: outcome.cachedUrls,
        bytes: outcome.bytes,
        missing: outcome.missing.urls,
        nextAttemptAt: nextAttemptAt(1, outcome.missing.retryAfterMs, now),
      },
      now,
    );
    await notePrefetched(outcome.cachedUrls);
  }
  await noteStoredSizes({ pages, pictures: storedPictures });
  await enforceOfflinePolicy(settings);
  // Remembered only now: a refresh cut short by a stopped worker gets the full digest again next time.
  const newEtag = response.headers.get('ETag');
  if (newEtag) await remember('digestEtag', newEtag);
  await remember('digestRefreshedAt', started);
  const unread = await updateBadge();
  await notifyNewArticles(report.fetched.map((f) => f.title));
  return finish('updated', unread);
}

/**
 * The digest's articles this device lacks that the policy would keep, weighed with what it holds already, in the
 * bytes it will hold them in (its page, JSON and pictures: sw/sizes-on-device.ts), newest first, within this
 * refresh's budget: what it plans to download is what the policy keeps afterwards, so nothing is fetched to be dropped.
 * Asking the policy first means an article it dropped (read, too old, beyond the newest) is not downloaded again.
 */
async function plannedDownloads(digest: Digest, settings: ReaderSettings, now: number): Promise<DigestItem[]> {
  const known = await articleIds();
  const offered = digest.items.filter((item) => item.article && !known.has(item.id));
  const prefetched = await prefetchedArticles();
  const figures = await sizeFigures();
  const read = new Set(await readAmong([...offered.map((item) => item.id), ...prefetched.map((r) => r.itemId)]));
  const candidates = offered.map((item) => ({
    itemId: item.id,
    title: item.title,
    publishedAt: item.publishedAt,
    readyAt: now,
    bytes: item.article ? plannedBytes(item.article, figures) : 0,
    read: read.has(item.id),
    item,
  }));
  const held = prefetched.map((record) => ({ ...record, read: read.has(record.itemId), item: null }));
  let planned = 0;
  return decideOfflinePolicy([...held, ...candidates], settings, now)
    .keep.flatMap((article) => (article.item ? [{ item: article.item, bytes: article.bytes }] : []))
    .filter(({ bytes }) => (planned += bytes) <= BYTE_BUDGET)
    .map(({ item }) => item);
}

let running: Promise<DigestRefreshResult> | null = null;

/** One refresh at a time; a request during a run shares its result. */
export function refreshDigest(trigger: RunTrigger): Promise<DigestRefreshResult> {
  running ??= refreshOnce(trigger).finally(() => {
    running = null;
  });
  return running;
}
