// Keeps the newest articles downloaded: one conditional request for the digest (If-None-Match; a 304 moves
// nothing), then, on new content, the newest articles it names, within a budget of count and bytes, through the
// same path as the outbox (sw/fetch-for-offline.ts): their text and pages in one batch request, the same pages
// /read/:id shows, then their pictures in one pool. Runs on `periodicsync`, or from the page where Periodic Sync
// is missing.
import type { Digest } from '../contract/http.ts';
import { logActivity, newActivity } from './activity-log.ts';
import { updateBadge } from './app-badge.ts';
import { CACHES } from './cache-names.ts';
import { addToContentIndex } from './content-index.ts';
import { keepDigestList } from './device-digest.ts';
import { fetchArticleTexts, fetchPictures } from './fetch-for-offline.ts';
import type { DigestRefreshResult, RunTrigger } from '../contract/messages.ts';
import { digestUrl } from '../contract/paths.ts';
import { notifyNewArticles } from './notify-batch.ts';
import { addPrefetched, articleIds, settleImages } from './library.ts';
import { recall, remember } from './reader-db.ts';
import { notePrefetched, trimPrefetched } from './prefetch-bounds.ts';
import { nextAttemptAt } from './retry-policy.ts';
import { getSettings } from './settings-store.ts';

const DIGEST_URL = digestUrl(20);
/** What one refresh may download on top of the digest itself. */
const BYTE_BUDGET = 8 * 1024 * 1024;
/** The page asks on every visit; the server is asked at most this often for it. */
const PAGE_REFRESH_GAP_MS = 5 * 60 * 1000;

async function refreshOnce(trigger: RunTrigger): Promise<DigestRefreshResult> {
  const started = Date.now();
  const settings = await getSettings();
  const last = (await recall('digestRefreshedAt')) ?? 0;
  const fromPage = trigger !== 'periodicsync';
  if (!settings.backgroundRefresh || (fromPage && started - last < PAGE_REFRESH_GAP_MS))
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
    response = await fetch(DIGEST_URL, { cache: 'no-store', headers: etag ? { 'If-None-Match': etag } : {} });
  } catch (error) {
    report.failed.push({ itemId: '', title: 'Digest', error: String(error), willRetry: true });
    return finish('failed', 0);
  }
  if (response.status === 304) {
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

  const known = await articleIds();
  // Within the byte budget as the digest measures them (an article's page weighs about as much as its JSON).
  let planned = 0;
  const fresh = digest.items
    .filter((item) => item.article && !known.has(item.id))
    .slice(0, settings.keepNewest)
    .filter((item) => (planned += 2 * JSON.stringify(item.article).length) <= BYTE_BUDGET);
  const fetchStarted = Date.now();
  const texts = await fetchArticleTexts(
    fresh.map((item) => ({ key: item.id, id: item.id, cacheName: CACHES.prefetched })),
    fetchStarted,
  ).catch(
    (error: unknown) =>
      new Map(fresh.map((item) => [item.id, { kind: 'retry' as const, error: String(error), retryAfterMs: null }])),
  );
  const added: Array<{ itemId: string; urls: string[] }> = [];
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
    added.push({ itemId: item.id, urls: outcome.images });
  }
  const pictures = await fetchPictures(added.map((article) => ({ ...article, cacheName: CACHES.prefetched })));
  for (const { itemId } of added) {
    const outcome = pictures.get(itemId);
    if (!outcome) continue;
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
  await trimPrefetched(settings.keepNewest);
  // Remembered only now: a refresh cut short by a stopped worker gets the full digest again next time.
  const newEtag = response.headers.get('ETag');
  if (newEtag) await remember('digestEtag', newEtag);
  await remember('digestRefreshedAt', started);
  const unread = await updateBadge();
  await notifyNewArticles(report.fetched.map((f) => f.title));
  return finish('updated', unread);
}

let running: Promise<DigestRefreshResult> | null = null;

/** One refresh at a time; a request during a run shares its result. */
export function refreshDigest(trigger: RunTrigger): Promise<DigestRefreshResult> {
  running ??= refreshOnce(trigger).finally(() => {
    running = null;
  });
  return running;
}
