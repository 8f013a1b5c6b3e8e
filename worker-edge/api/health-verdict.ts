// What /healthz concludes from the feeds' states: whether feeds are flowing, in one word and one sentence.
import type { FeedStatus } from '../../contract/http.ts';

export type FeedCounts = Record<FeedStatus, number>;

/**
 * starting: no feed has been tried yet (only pending ones).
 * degraded: more feeds are erroring than delivering, or none delivers at all: the install cannot reach the web
 *   (no internet, DNS, a proxy) or its sources are broken.
 * ok: otherwise; delivering includes "not modified".
 * Gone feeds (404/410) are left out of the majority: the web answered, the feed is no more, which says nothing
 * about this install; but if every tried feed is gone, nothing flows, and that is degraded too.
 */
export type HealthStatus = 'ok' | 'degraded' | 'starting';

export interface HealthVerdict {
  status: HealthStatus;
  summary: string;
}

const sources = (n: number) => `${n} source${n === 1 ? '' : 's'}`;

export function healthVerdict(feeds: FeedCounts, latestError: string | null): HealthVerdict {
  const total = feeds.ok + feeds.pending + feeds.error + feeds.gone;
  if (total === 0) return { status: 'ok', summary: 'No sources subscribed yet.' };
  if (feeds.ok + feeds.error === 0 && feeds.pending > 0) {
    return { status: 'starting', summary: `Starting: ${sources(feeds.pending)} waiting for their first refresh.` };
  }
  const status: HealthStatus = feeds.error > feeds.ok || feeds.ok === 0 ? 'degraded' : 'ok';
  const others = [
    feeds.error > 0 ? `${feeds.error} failing${latestError ? ` (latest: ${latestError})` : ''}` : null,
    feeds.pending > 0 ? `${feeds.pending} waiting` : null,
    feeds.gone > 0 ? `${feeds.gone} gone` : null,
  ].filter((part) => part !== null);
  const counts = `${feeds.ok} of ${sources(total)} ok${others.length ? `, ${others.join(', ')}` : ''}.`;
  return { status, summary: status === 'degraded' ? `Degraded: ${counts}` : counts };
}
