// The refresh queue's messages: one per due feed, a continuation when more were due than one invocation enqueues,
// and the extraction of the digest's newest articles. Bodies are checked on arrival: a queue outlives deployments.

export type RefreshQueueMessage =
  | { kind: 'refresh'; feedId: number }
  | { kind: 'fan-out'; force: boolean; afterId: number }
  | { kind: 'prefetch' };

export function isRefreshQueueMessage(body: unknown): body is RefreshQueueMessage {
  if (typeof body !== 'object' || body === null) return false;
  const m = body as Record<string, unknown>;
  if (m.kind === 'refresh') return Number.isInteger(m.feedId);
  if (m.kind === 'fan-out') return typeof m.force === 'boolean' && Number.isInteger(m.afterId);
  return m.kind === 'prefetch';
}

/** Dead-letter queues are named after their queue with this suffix (wrangler.toml). */
export const DEAD_LETTER_SUFFIX = '-dlq';
