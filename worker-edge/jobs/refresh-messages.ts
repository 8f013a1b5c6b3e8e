// The refresh queue's messages: a few due feeds each (queue operations are billed per message), a continuation
// when more were due than one invocation enqueues, and the extraction of the digest's newest articles.
// Bodies are checked on arrival: a queue outlives deployments.

export type RefreshQueueMessage =
  | { kind: 'refresh'; feedIds: number[] }
  | { kind: 'fan-out'; force: boolean; afterId: number }
  | { kind: 'prefetch' };

export function isRefreshQueueMessage(body: unknown): body is RefreshQueueMessage {
  if (typeof body !== 'object' || body === null) return false;
  const m = body as Record<string, unknown>;
  if (m.kind === 'refresh')
    return Array.isArray(m.feedIds) && m.feedIds.length > 0 && m.feedIds.every(Number.isInteger);
  if (m.kind === 'fan-out') return typeof m.force === 'boolean' && Number.isInteger(m.afterId);
  return m.kind === 'prefetch';
}

/** Dead-letter queues are named after their queue with this suffix (wrangler.toml). */
export const DEAD_LETTER_SUFFIX = '-dlq';
