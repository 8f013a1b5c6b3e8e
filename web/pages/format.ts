// Numbers and times in the reader's words and time zone.

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 minutes ago", "in 2 hours"; a plain local date beyond a week. */
export function formatWhen(at: number, now = Date.now()): string {
  const delta = at - now;
  if (Math.abs(delta) < 60_000) return delta > 0 ? 'in a moment' : 'just now';
  if (Math.abs(delta) > 7 * 86_400_000) return formatLocal(at);
  for (const [unit, ms] of STEPS) if (Math.abs(delta) >= ms) return relative.format(Math.round(delta / ms), unit);
  return relative.format(Math.round(delta / 60_000), 'minute');
}

export function formatLocal(at: number): string {
  return new Date(at).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
