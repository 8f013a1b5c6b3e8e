// Dates as pages print them. Pages are rendered in UTC on the server and may be served from a cache later, so they
// print absolute dates; the client module rewrites `<time>` elements into the reader's own zone and "2 hours ago".

// Formatters are made once: toLocaleString(locale, options) builds a new one on every call, which was half the
// time spent rendering a page of twenty items.
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 Nov 2026, 14:05 UTC". */
export function formatDateTime(iso: string | null): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return `${DATE_TIME.format(date)} UTC`;
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "5 minutes ago", "in 2 hours", "just now": for health figures, which matter relative to now. */
export function relativeTime(iso: string, now: number): string {
  const delta = new Date(iso).getTime() - now;
  if (Math.abs(delta) < 60_000) return delta >= 0 ? 'within a minute' : 'just now';
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) return RELATIVE.format(Math.round(delta / ms), unit);
  }
  return RELATIVE.format(Math.round(delta / 60_000), 'minute');
}
