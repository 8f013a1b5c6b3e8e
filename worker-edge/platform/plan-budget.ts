// What one Worker invocation may spend, per Cloudflare plan, from Cloudflare's documentation (December 2026):
// developers.cloudflare.com/workers/platform/limits/, /d1/platform/limits/, /queues/platform/limits/.
// Every batch size in the feed engine is derived from these figures; PLAN (a var) picks the profile.
import { DEFAULT_MAX_REDIRECTS } from '../net/polite-fetch.ts';

export type PlanName = 'free' | 'paid';

export interface PlanBudget {
  plan: PlanName;
  /** Outbound fetches and calls to other services (Queues) per invocation. */
  subrequests: number;
  /** D1 statements per invocation; we count each statement of a batch as one query. */
  d1Queries: number;
  /** Simultaneous open connections per invocation (fetch and D1 alike). */
  connections: number;
  boundParameters: number;
  statementBytes: number;
  rowBytes: number;
  memoryBytes: number;
  /** CPU per invocation (Paid's default; it can be raised to 5 min with limits.cpu_ms). */
  cpuMs: number;
  /** Queues: messages per consumer batch and per sendBatch call. */
  queueBatchMessages: number;
  /** Queues: the longest delivery delay. */
  queueMaxDelaySeconds: number;
}

const SHARED = {
  connections: 6,
  boundParameters: 100,
  statementBytes: 100_000,
  rowBytes: 2_000_000,
  memoryBytes: 128 * 1024 * 1024,
  queueBatchMessages: 100,
  queueMaxDelaySeconds: 12 * 60 * 60,
};

export const PLAN_BUDGETS: Record<PlanName, PlanBudget> = {
  free: { plan: 'free', subrequests: 50, d1Queries: 50, cpuMs: 10, ...SHARED },
  paid: { plan: 'paid', subrequests: 10_000, d1Queries: 1_000, cpuMs: 30_000, ...SHARED },
};

export function planBudget(plan: string | undefined): PlanBudget {
  return plan?.trim().toLowerCase() === 'free' ? PLAN_BUDGETS.free : PLAN_BUDGETS.paid;
}

/** A consumer's fixed D1 cost: the lease, the host pauses, the batch's outcomes, one host pause written. */
export const CONSUMER_FIXED_STATEMENTS = 4;
/** A feed whose items changed: its items read once, then items, image references and pruning in one batch. */
export const STATEMENTS_PER_CHANGED_FEED = 5;
/**
 * A feed costs a subrequest per hop (the request and each redirect it may follow) and, counting D1 round trips as
 * subrequests too (the cautious reading of the limits page), its items read and its write batch.
 */
export const SUBREQUESTS_PER_FEED = 1 + DEFAULT_MAX_REDIRECTS + 2;
/** The lease, the host pauses, the batch's outcomes and a hand-back sendBatch. */
export const CONSUMER_FIXED_SUBREQUESTS = 4;

/** Feeds one consumer invocation takes, so that the worst case of every feed fits the budget. */
export function feedsPerInvocation(b: PlanBudget): number {
  return Math.max(
    1,
    Math.min(
      b.queueBatchMessages,
      Math.floor((b.d1Queries - CONSUMER_FIXED_STATEMENTS) / STATEMENTS_PER_CHANGED_FEED),
      Math.floor((b.subrequests - CONSUMER_FIXED_SUBREQUESTS) / SUBREQUESTS_PER_FEED),
    ),
  );
}

/**
 * Feeds one refresh message carries. Queues bill three operations per message (write, read, delete), so feeds
 * travel ten to a message; a consumer batch is then feedsPerInvocation ÷ this many messages (wrangler.toml).
 */
export function feedsPerMessage(b: PlanBudget): number {
  return Math.min(10, feedsPerInvocation(b));
}

/** The consumer's max_batch_size for this plan. */
export function messagesPerBatch(b: PlanBudget): number {
  return Math.max(1, Math.floor(feedsPerInvocation(b) / feedsPerMessage(b)));
}

/** Due feeds one cron (or fan-out) invocation takes and enqueues; the rest go to a continuation message. */
export function feedsPerFanOut(b: PlanBudget): number {
  // sendBatch calls within four fifths of the subrequests (the rest: seeding, the continuation, the prefetch);
  // at most 10,000 ids held at once, and 1,000 within Free's 10 ms of CPU.
  const cpuBound = b.cpuMs < 1000 ? 1_000 : 10_000;
  return Math.min(cpuBound, Math.floor((b.subrequests * 4) / 5) * b.queueBatchMessages * feedsPerMessage(b));
}

/** Article pages one prefetch invocation extracts: a page fetch per hop, and its article stored in one batch. */
export function extractionsPerInvocation(b: PlanBudget): number {
  // Readability takes milliseconds of CPU per page: Free's 10 ms carries about one.
  return b.plan === 'free' ? 1 : 10;
}

/** A batch of articles' fixed D1 cost: the items and the stored articles read once each, every page's neighbours in one statement. */
export const BATCH_FIXED_STATEMENTS = 3;
/**
 * An article extracted inside a batch: its failure record read, then its write (the article, its picture references,
 * its failure cleared, the page budget's eviction) or its failure recorded; a page by address also looks for a copy.
 */
export const STATEMENTS_PER_BATCH_EXTRACTION = 8;
/** An extraction's page fetch and each redirect it may follow, and (cautiously) its D1 round trips. */
export const SUBREQUESTS_PER_BATCH_EXTRACTION = 1 + DEFAULT_MAX_REDIRECTS + 3;

/**
 * Articles one batch request may extract (the others it can only read stored are free of this): the rest are
 * answered `deferred` with a Retry-After, and the client asks again. Free's 10 ms of CPU carries about one.
 */
export function extractionsPerBatch(b: PlanBudget, batchMax: number): number {
  if (b.plan === 'free') return 1;
  return Math.max(
    1,
    Math.min(
      batchMax,
      Math.floor((b.d1Queries - BATCH_FIXED_STATEMENTS) / STATEMENTS_PER_BATCH_EXTRACTION),
      Math.floor((b.subrequests - BATCH_FIXED_STATEMENTS) / SUBREQUESTS_PER_BATCH_EXTRACTION),
    ),
  );
}

/** What one batch answer may carry (articles and their pages): the rest are deferred, well inside 128 MB. */
export const BATCH_RESPONSE_BYTES = 8 * 1024 * 1024;
