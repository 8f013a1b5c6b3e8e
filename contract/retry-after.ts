// Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, turned into how long to wait. One reading for the
// edge (a publisher's answer) and the service worker (the edge's answer).
// Capped so one odd header cannot silence a host for weeks; anything unreadable is ignored rather than guessed.
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

// The three HTTP-date forms: IMF-fixdate, obsolete RFC 850, and asctime. Checked before Date.parse because
// Date.parse also accepts loose text ("soon 5") that no server means as a date.
const IMF_OR_RFC850 = /^[A-Za-z]{3,9}, \d{2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

function httpDateMs(text: string): number | null {
  if (IMF_OR_RFC850.test(text)) return Date.parse(text);
  // asctime carries no zone; HTTP says it is GMT, Date.parse would read it as local time.
  if (ASCTIME.test(text)) return Date.parse(`${text} GMT`);
  return null;
}

/** Milliseconds to wait, between 0 and 24 h, or null when the header is missing or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  let waitMs: number | null;
  if (/^\d+$/.test(text)) {
    waitMs = Number(text) * 1000;
  } else {
    const at = httpDateMs(text);
    waitMs = at === null || Number.isNaN(at) ? null : Math.max(0, at - now);
  }
  return waitMs === null ? null : Math.min(waitMs, MAX_RETRY_AFTER_MS);
}
