// Works through the outbox (sw/outbox.ts): every due article and reader action, a few at once, each claimed with a
// lease (sw/lease-queue.ts) so a second drain (another trigger, another worker instance) never doubles the work. One
// failing item never holds up the others: each is judged, backed off and retried on its own. A ready article's
// pictures that failed are fetched again when due, quietly. Then the batch is notified and logged.
import { claimAction, sendAction } from './action-queue.ts';
import { logActivity } from './activity-log.ts';
import { cacheFor } from './cache-names.ts';
import { addToContentIndex } from './content-index.ts';
import { fetchForOffline, fetchMissingImages, fetchPageForOffline } from './fetch-for-offline.ts';
import { pageEntryId, type DrainResult, type RunTrigger } from '../contract/messages.ts';
import { notifyOutcomes } from './notify-batch.ts';
import { claimArticle, getArticle, settleArticle, settleImages } from './library.ts';
import { jobKey, reclaimLeases, waitingJobs } from './outbox.ts';
import { runPool } from './pool.ts';
import type { ActivityRecord } from './reader-db.ts';
import { nextAttemptAt } from './retry-policy.ts';

const AT_ONCE = 4;
/** Chromium ends a sync event after about 3 minutes; a run stops starting new waits well before that. */
const RUN_BUDGET_MS = 120_000;

export interface DrainOptions {
  trigger: RunTrigger;
  lastChance?: boolean;
  /**
   * Wait within this run for entries due this soon. Sync events use it: the browser gives only a few attempts,
   * and an entry due in two seconds should not cost one of them. Page triggers do not wait (the page has a timer).
   */
  waitForDueWithinMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function fetchArticle(itemId: string, report: ActivityRecord): Promise<boolean> {
  const record = await claimArticle(itemId);
  if (!record) return false;
  const started = Date.now();
  let outcome: Awaited<ReturnType<typeof fetchForOffline>>;
  try {
    const { pageUrl } = record;
    const byAddress = pageUrl !== undefined && itemId === pageEntryId(pageUrl);
    outcome = byAddress ? await fetchPageForOffline(pageUrl, cacheFor(record.saved), started) : await fetchForOffline(itemId, cacheFor(record.saved), started);
  } catch (error) {
    // A malformed answer, IndexedDB refusing: keep the request and try later rather than drop it. (Storage full is
    // not among these: fetch-for-offline makes room once, then fails the article for good.)
    outcome = { kind: 'retry', error: `Could not store it: ${error instanceof Error ? error.message : String(error)}`, retryAfterMs: null };
  }
  const now = Date.now();
  if (outcome.kind === 'ready') {
    const { missingImages } = outcome;
    await settleArticle(
      itemId,
      {
        kind: 'ready', title: outcome.title, publishedAt: outcome.publishedAt, bytes: outcome.bytes, cachedUrls: outcome.cachedUrls,
        missingImages: missingImages.urls, imagesDueAt: nextAttemptAt(1, missingImages.retryAfterMs, now), articleId: outcome.articleId,
      },
      now,
    );
    report.fetched.push({ itemId: outcome.articleId, title: outcome.title, bytes: outcome.bytes, ms: now - started });
    report.bytes += outcome.bytes;
    await addToContentIndex({ itemId: outcome.articleId, title: outcome.title, description: 'Saved for reading offline' });
  } else if (outcome.kind === 'retry') {
    const settled = await settleArticle(
      itemId,
      { kind: 'retry', error: outcome.error, nextAttemptAt: nextAttemptAt(record.attempts, outcome.retryAfterMs, now), countAttempt: !outcome.offline },
      now,
    );
    report.failed.push({ itemId, title: settled?.title ?? record.title, error: outcome.error, willRetry: true });
  } else {
    await settleArticle(itemId, { kind: 'fail', error: outcome.error }, now);
    report.failed.push({ itemId, title: record.title, error: outcome.error, willRetry: false });
  }
  return true;
}

async function fetchImagesAgain(itemId: string, report: ActivityRecord): Promise<void> {
  const record = await getArticle(itemId);
  if (!record?.missingImages?.length) return;
  const fetched = await fetchMissingImages(record.missingImages, cacheFor(record.saved));
  const now = Date.now();
  report.bytes += fetched.bytes;
  const nextAt = nextAttemptAt((record.imageAttempts ?? 0) + 1, fetched.missing.retryAfterMs, now);
  await settleImages(itemId, { cachedUrls: fetched.cachedUrls, bytes: fetched.bytes, missing: fetched.missing.urls, nextAttemptAt: nextAt }, now);
}

async function sendQueuedAction(id: string, report: ActivityRecord): Promise<boolean> {
  const record = await claimAction(id);
  if (!record) return false;
  const verdict = await sendAction(record);
  report.actions.push({ label: record.label, ok: verdict.kind === 'ok', error: verdict.kind === 'ok' ? null : verdict.error });
  return true;
}

async function drainOnce(options: DrainOptions): Promise<DrainResult> {
  const started = Date.now();
  await reclaimLeases(started);
  const report: ActivityRecord = {
    at: started, kind: 'fetch-articles', trigger: options.trigger, lastChance: options.lastChance ?? false, durationMs: 0,
    fetched: [], failed: [], actions: [], remaining: 0, notModified: false, bytes: 0,
  };
  // Each entry gets at most one attempt per run: its backoff decides the next, not a tight loop.
  const attempted = new Set<string>();
  for (;;) {
    const now = Date.now();
    const jobs = (await waitingJobs()).filter((job) => !attempted.has(jobKey(job)));
    const due = jobs.filter((job) => job.dueAt <= now);
    if (due.length === 0) {
      const wait = (jobs[0]?.dueAt ?? Infinity) - now;
      if (wait > (options.waitForDueWithinMs ?? 0) || now + wait > started + RUN_BUDGET_MS) break;
      await sleep(wait);
      continue;
    }
    if (now > started + RUN_BUDGET_MS) break;
    await runPool(due, AT_ONCE, async (job) => {
      attempted.add(jobKey(job));
      try {
        if (job.kind === 'article') await fetchArticle(job.id, report);
        else if (job.kind === 'images') await fetchImagesAgain(job.id, report);
        else await sendQueuedAction(job.id, report);
      } catch (error) {
        // Storage full, IndexedDB refusing: this job waits for its next turn (a held lease is reclaimed then); the
        // others go on, and the run still notifies and logs what it did.
        console.error(`outbox ${jobKey(job)} failed`, error);
      }
    }, started + RUN_BUDGET_MS);
  }
  await notifyOutcomes();
  report.remaining = (await waitingJobs()).length;
  report.durationMs = Date.now() - started;
  const didSomething = report.fetched.length + report.failed.length + report.actions.length > 0;
  if (didSomething || options.trigger === 'sync') await logActivity(report);
  return { remaining: report.remaining, ready: report.fetched.length, failed: report.failed.filter((f) => !f.willRetry).length };
}

let running: Promise<DrainResult> | null = null;
let again: Promise<DrainResult> | null = null;

/**
 * One drain at a time per worker; a request during a run gets one more run after it (which sees whatever was
 * added meanwhile), however many requests arrive. Runs in other worker instances are kept apart by the leases.
 */
export function drainOutbox(options: DrainOptions): Promise<DrainResult> {
  if (!running) {
    running = drainOnce(options).finally(() => {
      running = null;
    });
    return running;
  }
  again ??= running
    .catch(() => undefined)
    .then(() => {
      again = null;
      return drainOutbox(options);
    });
  return again;
}
