// Feed dates → milliseconds since the epoch (UTC), or null: ISO 8601 / RFC 3339 and RFC 822 / 2822, with the usual
// sloppiness. Not Date.parse: it accepts almost anything ("1" is 2001) and differs between engines. An unreadable
// date is null, never "now": inventing one reorders a reader's list.

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Offsets in minutes east of UTC for the zone names feeds actually use (RFC 822's plus common abbreviations). */
const ZONE_OFFSETS: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ast: -240,
  adt: -180,
  nst: -210,
  ndt: -150,
  bst: 60,
  ist: 330,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  west: 60,
  eet: 120,
  eest: 180,
  msk: 180,
  hkt: 480,
  sgt: 480,
  awst: 480,
  jst: 540,
  kst: 540,
  acst: 570,
  acdt: 630,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

const ISO_DATE =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})?$/;
// [Weekday,] 6 Jul 2014 [12:56[:00]] [zone]
const DAY_FIRST_DATE =
  /^(?:[A-Za-z]+\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{2,4}),?(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?\s*(.*)$/;
// [Weekday,] Jul 6[,] 2014 [12:56[:00] [PM]] [zone]
const MONTH_FIRST_DATE =
  /^(?:[A-Za-z]+\.?,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}),?(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?\s*(.*)$/;

export function parseFeedDate(raw: string | null | undefined): number | null {
  const text = raw?.trim().replace(/\s+/g, ' ');
  if (!text || text.length > 80) return null;

  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, zone] = iso;
    const offset = zoneOffset(zone ?? '');
    if (offset === null) return null;
    const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
    return utc(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour ?? 0),
      Number(minute ?? 0),
      Number(second ?? 0),
      ms,
      offset,
    );
  }

  const dayFirst = DAY_FIRST_DATE.exec(text);
  const monthFirst = dayFirst ? null : MONTH_FIRST_DATE.exec(text);
  const parts = dayFirst
    ? { day: dayFirst[1], month: dayFirst[2], rest: dayFirst.slice(3) }
    : monthFirst
      ? { day: monthFirst[2], month: monthFirst[1], rest: monthFirst.slice(3) }
      : null;
  if (!parts) return null;
  const [year, hour, minute, second, meridiem, zone] = parts.rest;
  const monthIndex = monthFromName(parts.month ?? '');
  const offset = zoneOffset(zone ?? '');
  const fullYear = expandYear(year ?? '');
  const hours = withMeridiem(Number(hour ?? 0), meridiem);
  if (monthIndex === null || offset === null || fullYear === null || hours === null) return null;
  return utc(fullYear, monthIndex, Number(parts.day), hours, Number(minute ?? 0), Number(second ?? 0), 0, offset);
}

function monthFromName(name: string): number | null {
  const lower = name.toLowerCase();
  const index = MONTHS.findIndex((month) => month.startsWith(lower));
  return index >= 0 ? index : null;
}

/** RFC 2822: two-digit years 00–49 are 20xx, 50–99 are 19xx. Three-digit years are malformed. */
function expandYear(year: string): number | null {
  if (year.length === 4) return Number(year);
  if (year.length === 2) return Number(year) + (Number(year) < 50 ? 2000 : 1900);
  return null;
}

function withMeridiem(hour: number, meridiem: string | undefined): number | null {
  if (!meridiem) return hour;
  if (hour < 1 || hour > 12) return null;
  const pm = meridiem.toLowerCase() === 'pm';
  return (hour % 12) + (pm ? 12 : 0);
}

/**
 * Minutes east of UTC, or null when the zone is garbage. No zone means UTC (what feed readers assume).
 * An alphabetic zone we do not know is taken as UTC too, as RFC 2822 says of the military letters: the date is
 * still right to within hours, which beats dropping it.
 */
function zoneOffset(zoneText: string): number | null {
  const zone = zoneText.replace(/\s*\([^)]*\)\s*$/, '').trim();
  if (zone === '') return 0;
  const numeric = /^(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(zone);
  if (numeric) {
    const [, sign, hours, minutes] = numeric;
    const offset = Number(hours) * 60 + Number(minutes ?? 0);
    if (Number(hours) > 14 || Number(minutes ?? 0) > 59) return null;
    return sign === '-' ? -offset : offset;
  }
  if (/^[A-Za-z]{1,5}$/.test(zone)) return ZONE_OFFSETS[zone.toLowerCase()] ?? 0;
  return null;
}

/**
 * The instant, or null when a field is out of range: Date.UTC would silently roll 31 Feb over into March, and map
 * the year 70 to 1970.
 */
function utc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): number | null {
  const leapSecond = second === 60;
  const date = new Date(Date.UTC(year, month, day, hour, minute, leapSecond ? 59 : second, ms));
  const valid =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    second <= 60;
  if (!valid) return null;
  const instant = date.getTime() - offsetMinutes * 60_000;
  // Zero dates (Go's 0001-01-01, the Unix epoch) are a generator's way of saying "no date".
  return instant > 0 ? instant : null;
}
