// Retry-After parsing: both forms of the header, the 24 h cap, and refusal to guess at anything else.
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../contract/retry-after.ts';

const now = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('parseRetryAfter', () => {
  const cases: Array<[header: string | null | undefined, expected: number | null]> = [
    ['120', 120_000],
    ['0', 0],
    [' 30 ', 30_000],
    ['86400', MAX_RETRY_AFTER_MS],
    ['999999999', MAX_RETRY_AFTER_MS],
    ['Sat, 21 Nov 2026 12:01:30 GMT', 90_000],
    ['Saturday, 21-Nov-26 12:01:30 GMT', 90_000],
    ['Sat Nov 21 12:01:30 2026', 90_000],
    ['Sat, 21 Nov 2026 11:00:00 GMT', 0],
    ['Mon, 30 Nov 2026 12:00:00 GMT', MAX_RETRY_AFTER_MS],
    [null, null],
    [undefined, null],
    ['', null],
    ['-5', null],
    ['1.5', null],
    ['soon', null],
    ['soon 5', null],
    ['2026-11-21T12:01:30Z', null],
    ['Sat, 99 Nov 2026 12:01:30 GMT', null],
  ];
  it.each(cases)('%j -> %j', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });

  it('reads dates against the current time by default', () => {
    const waited = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString());
    expect(waited).toBeGreaterThan(58_000);
    expect(waited).toBeLessThanOrEqual(60_000);
  });
});
