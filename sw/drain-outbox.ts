// Works through the outbox (sw/outbox.ts): every due article and reader action, each claimed with a lease
// (sw/lease-queue.ts) so a second drain (another trigger, another worker instance) never doubles the work. The due
// articles go to the edge together, in one round trip per ARTICLE_BATCH_MAX (sw/fetch-for-offline.ts), and each is
// ready once its text is kept; their pictures follow, all in one pool. One failing item never holds up the others:
// each keeps its own verdict, attempts and backoff. A batch is notified as soon as its articles are ready, before
// their pictures. A ready article's pictures that failed are fetched again when due, quietly. Then the run is logged.
import { claimAction, sendAction } from './action-queue.ts';
import { logActivity, newActivity } from './activity-log.ts';
import { cacheFor } from './cache-names.ts';
import { addToContentIndex } from './content-index.ts';
import { fetchArticleTexts, fetchPictures, type TextOutcome, type TextRequest } from './fetch-for-offline.ts';
import { ARTICLE_BATCH_MAX } from '../contract/http.ts';
import { pageEntryId, type DrainResult, type RunTrigger } from '../contract/messages.ts';
import { notifyOutcomes } from './notify-batch.ts';
import { markOutboxStep } from './outbox-marks.ts';
import { claimArticles, getArticle, settleArticles, settleImages, type Settlement } from './library.ts';
import { jobKey, reclaimLeases, waitingJobs, type Job } from './outbox.ts';
import { runPool } from './pool.ts';
import type { ActivityRecord, ArticleRecord } from './reader-db.ts';
import { nextAttemptAt, PICTURE_MAX_BACKOFF_MS } from './retry-policy.ts';

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

let notifying: Promise<void> = Promise.resolve();
/** One notification call at a time in this worker: two batches finishing together announce each article once. */
const notifyInTurn = (): Promise<void> => (notifying = notifying.catch(() => undefined).then(notifyOutcomes));

/** What the edge is asked for an entry: a page saved by its address waits under a provisional id, and goes by its address. */
function textRequest({ id, pageUrl }: Job): TextRequest {
  const byAddress = pageUrl !== undefined && id === pageEntryId(pageUrl);
  return byAddress ? { key: id, pageUrl } : { key: id, id };
}

/**
 * What a claimed entry's outcome settles to, and what the run reports of it. A ready article's pictures are due at
 * once: fetched next in this run, or by the next run if this worker stops first.
 */
function settlementOf(record: ArticleRecord, outcome: TextOutcome, now: number): Settlement {
  if (outcome.kind === 'ready') {
    return {
      kind: 'ready',
      title: outcome.title,
      publishedAt: outcome.publishedAt,
      bytes: outcome.bytes,
      cachedUrls: outcome.cachedUrls,
      missingImages: outcome.images,
      imagesDueAt: now,
      articleId: outcome.articleId,
    };
  }
  if (outcome.kind === 'retry') {
    return {
      kind: 'retry',
      error: outcome.error,
      nextAttemptAt: nextAttemptAt(record.attempts, outcome.retryAfterMs, now),
      countAttempt: !outcome.offline,
    };
  }
  return { kind: 'fail', error: outcome.error };
}

/** Settles a batch's articles together (one transaction: they are ready together), reports each; returns the ready ids. */
async function settleTexts(
  claimed: ArticleRecord[],
  outcomes: Map<string, TextOutcome>,
  started: number,
  report: ActivityRecord,
): Promise<string[]> {
  const now = Date.now();
  const noAnswer: TextOutcome = {
    kind: 'retry',
    error: 'No answer for this article; trying again later.',
    retryAfterMs: null,
  };
  const each = claimed.map((record) => ({ record, outcome: outcomes.get(record.itemId) ?? noAnswer }));
  const settled = await settleArticles(
    each.map(({ record, outcome }) => ({ itemId: record.itemId, settlement: settlementOf(record, outcome, now) })),
    now,
  );
  const ready: string[] = [];
  each.forEach(({ record, outcome }, i) => {
    if (outcome.kind === 'ready') {
      report.fetched.push({ itemId: outcome.articleId, title: outcome.title, bytes: outcome.bytes, ms: now - started });
      report.bytes += outcome.bytes;
      ready.push(outcome.articleId);
    } else {
      const title = settled[i]?.title ?? record.title;
      report.failed.push({ itemId: record.itemId, title, error: outcome.error, willRetry: outcome.kind === 'retry' });
    }
  });
  for (const { outcome } of each) {
    if (outcome.kind === 'ready')
      await addToContentIndex({
        itemId: outcome.articleId,
        title: outcome.title,
        description: 'Saved for reading offline',
      });
  }
  return ready;
}

/** Pictures of ready articles, all in one pool; each article's arrivals and what is still missing recorded. */
async function fetchPicturesOf(itemIds: string[], report: ActivityRecord): Promise<void> {
  const records = (await Promise.all(itemIds.map(getArticle))).filter(
    (r): r is ArticleRecord => r?.state === 'ready' && (r.missingImages?.length ?? 0) > 0,
  );
  if (records.length === 0) return;
  const fetched = await fetchPictures(
    records.map((r) => ({ itemId: r.itemId, urls: r.missingImages ?? [], cacheName: cacheFor(r.saved) })),
  );
  const now = Date.now();
  for (const record of records) {
    const outcome = fetched.get(record.itemId);
    if (!outcome) continue;
    report.bytes += outcome.bytes;
    const nextAt = nextAttemptAt(record.imageAttempts ?? 1, outcome.missing.retryAfterMs, now, PICTURE_MAX_BACKOFF_MS);
    await settleImages(
      record.itemId,
      { cachedUrls: outcome.cachedUrls, bytes: outcome.bytes, missing: outcome.missing.urls, nextAttemptAt: nextAt },
      now,
    );
  }
}

/**
 * A batch of queued articles: claimed while their text is on its way (the claim, one IndexedDB transaction, costs
 * tens of milliseconds for a batch; the round trip, hundreds), then each settled on its own verdict, then the
 * pictures of those that are ready, in one pool. Only what this drain claimed is kept and settled: an entry another
 * drain took meanwhile, or the reader removed, is left to it (its text was asked for in vain, never kept twice).
 */
async function fetchArticles(jobs: Job[], report: ActivityRecord): Promise<void> {
  const started = Date.now();
  const claiming = claimArticles(jobs.map((job) => job.id));
  const keepIn = claiming.then((records) => {
    if (records.length > 0) markOutboxStep('claimed');
    return new Map(records.map((record) => [record.itemId, cacheFor(record.saved)]));
  });
  // A claim that fails is answered below (awaiting `claiming`), even when the request failed first and never asked.
  keepIn.catch(() => undefined);
  let outcomes: Map<string, TextOutcome>;
  try {
    outcomes = await fetchArticleTexts(jobs.map(textRequest), keepIn, started);
  } catch (error) {
    // A malformed answer, IndexedDB refusing: keep the requests and try later rather than drop them. (Storage full
    // is not among these: fetch-for-offline makes room once, then fails the article for good.)
    const retry: TextOutcome = {
      kind: 'retry',
      error: `Could not store it: ${error instanceof Error ? error.message : String(error)}`,
      retryAfterMs: null,
    };
    outcomes = new Map(jobs.map((job) => [job.id, retry]));
  }
  // A claim that failed fails the task here (nothing was taken, nothing kept); the run goes on with the rest.
  const claimed = await claiming;
  if (claimed.length === 0) return;
  const ready = await settleTexts(claimed, outcomes, started, report);
  markOutboxStep('settled');
  // Ready to read now: the reader is told at once, not after the pictures (which can take a while on a slow link).
  await notifyInTurn();
  await fetchPicturesOf(ready, report);
}

async function sendQueuedAction(id: string, report: ActivityRecord): Promise<boolean> {
  const record = await claimAction(id);
  if (!record) return false;
  const verdict = await sendAction(record);
  report.actions.push({
    label: record.label,
    ok: verdict.kind === 'ok',
    error: verdict.kind === 'ok' ? null : verdict.error,
  });
  return true;
}

async function drainOnce(options: DrainOptions): Promise<DrainResult> {
  const started = Date.now();
  markOutboxStep('drain');
  // The outbox is listed while the leases of a stopped worker are taken back (usually there are none, and the round
  // trip should not wait for that write); when some were, it is listed again.
  const [firstList, reclaimed] = await Promise.all([waitingJobs(), reclaimLeases(started)]);
  let listed: Job[] | null = reclaimed > 0 ? null : firstList;
  const report = newActivity('fetch-articles', options.trigger, started, options.lastChance ?? false);
  // Each entry gets at most one attempt per run: its backoff decides the next, not a tight loop.
  const attempted = new Set<string>();
  for (;;) {
    const now = Date.now();
    const jobs = (listed ?? (await waitingJobs())).filter((job) => !attempted.has(jobKey(job)));
    listed = null;
    markOutboxStep('listed');
    const due = jobs.filter((job) => job.dueAt <= now);
    if (due.length === 0) {
      const wait = (jobs[0]?.dueAt ?? Infinity) - now;
      if (wait > (options.waitForDueWithinMs ?? 0) || now + wait > started + RUN_BUDGET_MS) break;
      await sleep(wait);
      continue;
    }
    if (now > started + RUN_BUDGET_MS) break;
    for (const job of due) attempted.add(jobKey(job));
    // Articles go to the edge ARTICLE_BATCH_MAX to a request; pictures due again share one pool; actions one by one.
    const ofKind = (kind: Job['kind']) => due.filter((job) => job.kind === kind).map((job) => job.id);
    const articles = due.filter((job) => job.kind === 'article');
    const tasks: Array<{ key: string; run: () => Promise<void> }> = [
      ...Array.from({ length: Math.ceil(articles.length / ARTICLE_BATCH_MAX) }, (_, i) => {
        const batch = articles.slice(i * ARTICLE_BATCH_MAX, (i + 1) * ARTICLE_BATCH_MAX);
        return { key: `articles:${batch.length}`, run: () => fetchArticles(batch, report) };
      }),
      ...(ofKind('images').length > 0 ? [{ key: 'images', run: () => fetchPicturesOf(ofKind('images'), report) }] : []),
      ...ofKind('action').map((id) => ({
        key: `action:${id}`,
        run: async () => void (await sendQueuedAction(id, report)),
      })),
    ];
    await runPool(
      tasks,
      AT_ONCE,
      async (task) => {
        try {
          await task.run();
        } catch (error) {
          // Storage full, IndexedDB refusing: this work waits for its next turn (a held lease is reclaimed then); the
          // rest goes on, and the run still notifies and logs what it did.
          console.error(`outbox ${task.key} failed`, error);
        }
      },
      started + RUN_BUDGET_MS,
    );
  }
  await notifyInTurn();
  report.remaining = (await waitingJobs()).length;
  report.durationMs = Date.now() - started;
  const didSomething = report.fetched.length + report.failed.length + report.actions.length > 0;
  if (didSomething || options.trigger === 'sync') await logActivity(report);
  return {
    remaining: report.remaining,
    ready: report.fetched.length,
    failed: report.failed.filter((f) => !f.willRetry).length,
  };
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
