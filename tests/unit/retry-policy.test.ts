// What is retried, what fails for good, and when the next attempt comes: judged on real Response objects.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS } from '../../contract/retry-after.ts';
import {
  isRetryableStatus,
  judgeBatchFailure,
  judgeNetworkError,
  judgeResponse,
  nextAttemptAt,
  PICTURE_MAX_BACKOFF_MS,
} from '../../sw/retry-policy.ts';

const NOW = Date.parse('2026-03-01T08:00:00Z');
const apiError = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code: 'x', message } }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

describe('judgeResponse', () => {
  it.each([200, 201, 204, 299])('%i is ok', async (status) => {
    expect(await judgeResponse(new Response(status === 204 ? null : 'body', { status }), NOW)).toEqual({ kind: 'ok' });
  });

  it.each([408, 425, 429, 500, 502, 503, 504, 599])('%i is retried, with the status in words', async (status) => {
    expect(await judgeResponse(new Response('nope', { status }), NOW)).toEqual({
      kind: 'retry',
      error: `The server answered ${status}; trying again later.`,
      retryAfterMs: null,
    });
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const seconds = await judgeResponse(new Response(null, { status: 429, headers: { 'Retry-After': '120' } }), NOW);
    expect(seconds).toMatchObject({ kind: 'retry', retryAfterMs: 120_000 });
    const date = await judgeResponse(
      new Response(null, { status: 503, headers: { 'Retry-After': 'Sun, 01 Mar 2026 08:05:00 GMT' } }),
      NOW,
    );
    expect(date).toMatchObject({ kind: 'retry', retryAfterMs: 5 * 60_000 });
  });

  it('caps Retry-After at 24 hours and ignores one it cannot read', async () => {
    const far = await judgeResponse(
      new Response(null, { status: 503, headers: { 'Retry-After': String(30 * 24 * 3600) } }),
      NOW,
    );
    expect(far).toMatchObject({ retryAfterMs: MAX_RETRY_AFTER_MS });
    const loose = await judgeResponse(new Response(null, { status: 503, headers: { 'Retry-After': 'soon 5' } }), NOW);
    expect(loose).toMatchObject({ kind: 'retry', retryAfterMs: null });
  });

  it('a retried answer carries the API error message when the body has one', async () => {
    expect(await judgeResponse(apiError(503, 'The publisher is down.', { 'Retry-After': '7' }), NOW)).toEqual({
      kind: 'retry',
      error: 'The publisher is down.',
      retryAfterMs: 7000,
    });
  });

  it.each([404, 410])('%i fails for good: the page is gone', async (status) => {
    expect(await judgeResponse(new Response('<html>gone</html>', { status }), NOW)).toEqual({
      kind: 'fail',
      error: 'The publisher removed this page.',
    });
    expect(await judgeResponse(apiError(status, 'No such article.'), NOW)).toEqual({
      kind: 'fail',
      error: 'No such article.',
    });
  });

  it.each([400, 401, 403, 413, 422])('%i fails for good, with the status or the API message', async (status) => {
    expect(await judgeResponse(new Response('', { status }), NOW)).toEqual({
      kind: 'fail',
      error: `The server refused it (${status}).`,
    });
    expect(await judgeResponse(apiError(status, 'Bad address.'), NOW)).toEqual({ kind: 'fail', error: 'Bad address.' });
  });

  it('leaves the body readable for the caller', async () => {
    const response = apiError(500, 'Broken.');
    await judgeResponse(response, NOW);
    expect(await response.json()).toEqual({ error: { code: 'x', message: 'Broken.' } });
  });

  it('isRetryableStatus agrees with the verdicts', () => {
    expect([408, 425, 429, 500, 503].every(isRetryableStatus)).toBe(true);
    expect([200, 304, 400, 404, 410, 451].some(isRetryableStatus)).toBe(false);
  });
});

describe('judgeNetworkError', () => {
  // Node's navigator has no onLine; a worker's says whether the device has a connection.
  const setOnline = (value: boolean) =>
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => value });
  afterEach(() => {
    delete (navigator as { onLine?: boolean }).onLine;
  });

  it('our own timeout is a retry that counts', () => {
    setOnline(true);
    const timeout = new DOMException('signal timed out', 'TimeoutError');
    expect(judgeNetworkError(timeout)).toEqual({
      kind: 'retry',
      error: 'The server took too long to answer.',
      retryAfterMs: null,
    });
  });

  it('offline is a retry that does not count against the server', () => {
    setOnline(false);
    expect(judgeNetworkError(new TypeError('Failed to fetch'))).toEqual({
      kind: 'retry',
      error: 'Waiting for a connection.',
      retryAfterMs: null,
      offline: true,
    });
  });

  it('online but unreachable is a counted retry', () => {
    setOnline(true);
    expect(judgeNetworkError(new TypeError('Failed to fetch'))).toEqual({
      kind: 'retry',
      error: 'No connection to the server.',
      retryAfterMs: null,
      offline: false,
    });
  });

  it('an abort that is not our timeout is judged by the connection', async () => {
    setOnline(true);
    const aborted = await fetch('http://reader.test/', { signal: AbortSignal.abort() }).catch(
      (error: unknown) => error,
    );
    expect(judgeNetworkError(aborted)).toMatchObject({ kind: 'retry', error: 'No connection to the server.' });
  });
});

describe('nextAttemptAt', () => {
  it('doubles from one second per failed attempt', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => nextAttemptAt(attempts, null, NOW) - NOW)).toEqual([
      1000, 2000, 4000, 8000, 16000,
    ]);
  });

  it('treats zero attempts (a reader retry) like the first', () => {
    expect(nextAttemptAt(0, null, NOW) - NOW).toBe(1000);
  });

  it('never waits more than 30 minutes of its own accord', () => {
    expect(nextAttemptAt(12, null, NOW) - NOW).toBe(30 * 60_000);
    expect(nextAttemptAt(200, null, NOW) - NOW).toBe(30 * 60_000);
  });

  it('waits for Retry-After when the server asks for longer than the backoff, and no less than the backoff', () => {
    expect(nextAttemptAt(1, 90_000, NOW) - NOW).toBe(90_000);
    expect(nextAttemptAt(1, 2 * 3600_000, NOW) - NOW).toBe(2 * 3600_000);
    expect(nextAttemptAt(5, 500, NOW) - NOW).toBe(16_000);
  });
});

describe('judgeBatchFailure: an article inside a batch answer, judged as its own response would be', () => {
  it.each([
    [
      { status: 404, error: { message: 'The publisher removed this page.' }, retryAfterSeconds: null },
      { kind: 'fail', error: 'The publisher removed this page.' },
    ],
    [
      { status: 502, error: { message: 'The site failed.' }, retryAfterSeconds: 120 },
      { kind: 'retry', error: 'The site failed.', retryAfterMs: 120_000 },
    ],
    [
      { status: 429, error: { message: 'Too many.' }, retryAfterSeconds: 60 },
      { kind: 'retry', error: 'Too many.', retryAfterMs: 60_000 },
    ],
    [
      { status: 503, error: { message: 'Ask again.' }, retryAfterSeconds: null },
      { kind: 'retry', error: 'Ask again.', retryAfterMs: null },
    ],
    [
      { status: 422, error: { message: 'Nothing readable.' }, retryAfterSeconds: null },
      { kind: 'fail', error: 'Nothing readable.' },
    ],
  ])('%o', (result, verdict) => {
    expect(judgeBatchFailure(result, NOW)).toEqual(verdict);
  });
});

describe("nextAttemptAt for a ready article's pictures", () => {
  it('backs off to 30 seconds at most, and still honours a longer Retry-After', () => {
    expect(nextAttemptAt(20, null, NOW, PICTURE_MAX_BACKOFF_MS)).toBe(NOW + 30_000);
    expect(nextAttemptAt(20, null, NOW)).toBe(NOW + 30 * 60_000);
    expect(nextAttemptAt(20, 120_000, NOW, PICTURE_MAX_BACKOFF_MS)).toBe(NOW + 120_000);
    expect(nextAttemptAt(2, null, NOW, PICTURE_MAX_BACKOFF_MS)).toBe(NOW + 2_000);
  });
});
