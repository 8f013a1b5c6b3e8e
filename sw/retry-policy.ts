// When to try again, and what never to retry. Unlike workbox-background-sync (which drops a request that got any
// 4xx / 5xx), network errors, 408, 429 and 5xx are retried, per item, with exponential backoff that honours
// Retry-After; 404 / 410 and other client errors fail at once, with the server's reason for the reader.

import { parseRetryAfter } from '../contract/retry-after.ts';

const BASE_DELAY_MS = 1_000;
const MAX_BACKOFF_MS = 30 * 60 * 1000;

export type Verdict =
  | { kind: 'ok' }
  /** `offline`: the device had no connection, so the attempt says nothing about the server and is not counted. */
  | { kind: 'retry'; error: string; retryAfterMs: number | null; offline?: boolean }
  | { kind: 'fail'; error: string };

const RETRYABLE_STATUS = new Set([408, 425, 429]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status) || status >= 500;
}

/** The error message in our API's `{ error: { message } }` body, when there is one. */
async function apiMessage(response: Response): Promise<string | null> {
  try {
    const body = (await response.clone().json()) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : null;
  } catch {
    return null;
  }
}

const REMOVED = 'The publisher removed this page.';

/** One status, its message and its Retry-After (header or seconds), whether a response's or an article's in a batch. */
export function judgeStatus(status: number, message: string | null, retryAfter: string | null, now: number): Verdict {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (isRetryableStatus(status)) {
    return {
      kind: 'retry',
      error: message ?? `The server answered ${status}; trying again later.`,
      retryAfterMs: parseRetryAfter(retryAfter, now),
    };
  }
  if (status === 404 || status === 410) return { kind: 'fail', error: message ?? REMOVED };
  return { kind: 'fail', error: message ?? `The server refused it (${status}).` };
}

export async function judgeResponse(response: Response, now: number): Promise<Verdict> {
  if (response.ok) return { kind: 'ok' };
  return judgeStatus(response.status, await apiMessage(response), response.headers.get('Retry-After'), now);
}

/** An article's own outcome inside a batch answer (POST /api/articles/batch), judged as its own response would be. */
export function judgeBatchFailure(
  result: { status: number; error: { message: string }; retryAfterSeconds: number | null },
  now: number,
): Verdict {
  const retryAfter = result.retryAfterSeconds === null ? null : String(result.retryAfterSeconds);
  return judgeStatus(result.status, result.error.message || null, retryAfter, now);
}

/** A fetch that threw: offline, connection reset, DNS, or our own timeout. */
export function judgeNetworkError(error: unknown): Verdict {
  const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
  if (timedOut) return { kind: 'retry', error: 'The server took too long to answer.', retryAfterMs: null };
  const offline = !navigator.onLine;
  return {
    kind: 'retry',
    error: offline ? 'Waiting for a connection.' : 'No connection to the server.',
    retryAfterMs: null,
    offline,
  };
}

/**
 * A ready article's pictures back off to 30 seconds at most (Retry-After still honoured): a few small requests to our
 * own edge, tried only while the site is open or a sync runs, and what the reader sees once the connection is back.
 */
export const PICTURE_MAX_BACKOFF_MS = 30 * 1000;

/** When an item that failed `attempts` times (this one included) is tried next. */
export function nextAttemptAt(
  attempts: number,
  retryAfter: number | null,
  now: number,
  maxBackoffMs = MAX_BACKOFF_MS,
): number {
  const backoff = Math.min(maxBackoffMs, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return now + Math.max(backoff, retryAfter ?? 0);
}
