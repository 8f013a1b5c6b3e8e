// When to fetch a feed again. The publisher's hints (Cache-Control, Expires, RSS ttl, sy:updatePeriod) are a floor,
// the posting rate (Miniflux's entry-frequency rule) sets the pace, and everything is bounded 15 min .. 24 h.
import type { ScheduleHints } from '../model/feed.ts';

export const MIN_INTERVAL_MS = 15 * 60_000;
export const MAX_INTERVAL_MS = 24 * 60 * 60_000;
/** For feeds with no usable dates we cannot measure a rate: check hourly. */
export const DEFAULT_INTERVAL_MS = 60 * 60_000;
export const RATE_WINDOW_MS = 7 * 24 * 60 * 60_000;

const PERIOD_MS: Record<string, number> = {
  hourly: 60 * 60_000,
  daily: 24 * 60 * 60_000,
  weekly: 7 * 24 * 60 * 60_000,
  monthly: 30 * 24 * 60 * 60_000,
  yearly: 365 * 24 * 60 * 60_000,
};

export const clampInterval = (ms: number) => Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Math.round(ms)));

function cacheControlMaxAge(headers: Headers): number | null {
  const value = headers.get('cache-control');
  if (!value || /no-cache|no-store/i.test(value)) return null;
  const match = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d+)/i.exec(value);
  return match ? Number(match[1]) * 1000 : null;
}

function expiresIn(headers: Headers, now: number): number | null {
  const value = headers.get('expires');
  const at = value ? Date.parse(value) : NaN;
  return Number.isFinite(at) && at > now ? at - now : null;
}

/** The longest wait the publisher asked for, or null when it said nothing usable. */
export function hintedInterval(headers: Headers, hints: ScheduleHints | null, now: number): number | null {
  const candidates = [cacheControlMaxAge(headers), expiresIn(headers, now)];
  if (hints?.ttlMinutes && hints.ttlMinutes > 0) candidates.push(hints.ttlMinutes * 60_000);
  const period = hints?.updatePeriod ? PERIOD_MS[hints.updatePeriod.trim().toLowerCase()] : undefined;
  if (period) candidates.push(period / Math.max(1, hints?.updateFrequency ?? 1));
  const known = candidates.filter((c): c is number => c !== null && Number.isFinite(c) && c > 0);
  return known.length ? Math.max(...known) : null;
}

/** A week divided by the items published in the last week; no recent items means once a day. */
export function postingRateInterval(recentItems: number | null): number {
  if (recentItems === null) return DEFAULT_INTERVAL_MS;
  return recentItems === 0 ? MAX_INTERVAL_MS : RATE_WINDOW_MS / recentItems;
}

export function nextFetchAt(now: number, hinted: number | null, recentItems: number | null): number {
  return now + clampInterval(Math.max(hinted ?? 0, postingRateInterval(recentItems)));
}

/** Errors back off exponentially (15 min, 30 min, 1 h ... capped at 24 h) and never give up. */
export function errorBackoff(errorCount: number): number {
  return clampInterval(MIN_INTERVAL_MS * 2 ** Math.min(10, Math.max(0, errorCount - 1)));
}
