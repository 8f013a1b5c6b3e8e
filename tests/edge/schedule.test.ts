import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INTERVAL_MS,
  errorBackoff,
  hintedInterval,
  MAX_INTERVAL_MS,
  MIN_INTERVAL_MS,
  nextFetchAt,
} from '../../worker-edge/feeds/schedule.ts';

const now = Date.UTC(2026, 10, 21, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;
const noHints = { ttlMinutes: null, updatePeriod: null, updateFrequency: null };

describe('publisher hints', () => {
  it.each([
    ['Cache-Control max-age', new Headers({ 'cache-control': 'public, max-age=7200' }), noHints, 2 * HOUR],
    ['s-maxage', new Headers({ 'cache-control': 's-maxage=600' }), noHints, 10 * MIN],
    ['Expires', new Headers({ expires: new Date(now + 3 * HOUR).toUTCString() }), noHints, 3 * HOUR],
    ['RSS ttl', new Headers(), { ...noHints, ttlMinutes: 90 }, 90 * MIN],
    ['sy:updatePeriod daily x2', new Headers(), { ...noHints, updatePeriod: 'daily', updateFrequency: 2 }, 12 * HOUR],
    ['sy:updatePeriod hourly', new Headers(), { ...noHints, updatePeriod: ' Hourly ' }, HOUR],
    [
      'the longest hint wins',
      new Headers({ 'cache-control': 'max-age=60' }),
      { ...noHints, ttlMinutes: 120 },
      2 * HOUR,
    ],
  ])('%s', (_name, headers, hints, expected) => {
    expect(hintedInterval(headers, hints, now)).toBe(expected);
  });

  it('ignores no-cache, past Expires, nonsense', () => {
    const headers = new Headers({ 'cache-control': 'no-cache, max-age=9000', expires: 'yesterday' });
    expect(
      hintedInterval(headers, { ttlMinutes: -5, updatePeriod: 'fortnightly', updateFrequency: 0 }, now),
    ).toBeNull();
  });
});

describe('next fetch', () => {
  it('follows the posting rate within 15 min .. 24 h', () => {
    expect(nextFetchAt(now, null, 7) - now).toBe(24 * HOUR);
    expect(nextFetchAt(now, null, 14) - now).toBe(12 * HOUR);
    expect(nextFetchAt(now, null, 10_000) - now).toBe(MIN_INTERVAL_MS);
    expect(nextFetchAt(now, null, 0) - now).toBe(MAX_INTERVAL_MS);
  });

  it('checks hourly when the feed gives no dates', () => {
    expect(nextFetchAt(now, null, null) - now).toBe(DEFAULT_INTERVAL_MS);
  });

  it('never comes back sooner than the publisher asked, nor later than a day', () => {
    expect(nextFetchAt(now, 6 * HOUR, 10_000) - now).toBe(6 * HOUR);
    expect(nextFetchAt(now, 30 * 24 * HOUR, 10_000) - now).toBe(MAX_INTERVAL_MS);
    expect(nextFetchAt(now, 1000, 10_000) - now).toBe(MIN_INTERVAL_MS);
  });
});

describe('error backoff', () => {
  it('doubles from 15 minutes and stays at 24 hours, never giving up', () => {
    expect([1, 2, 3, 4].map(errorBackoff)).toEqual([15 * MIN, 30 * MIN, HOUR, 2 * HOUR]);
    expect(errorBackoff(7)).toBe(16 * HOUR);
    for (const n of [8, 9, 50, 1000]) expect(errorBackoff(n)).toBe(MAX_INTERVAL_MS);
  });
});
