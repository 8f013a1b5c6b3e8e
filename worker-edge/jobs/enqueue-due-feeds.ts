// The fan-out: the cron, POST /api/refresh and a stale page view only take what is due and put it on the queue,
// in bounded work however many feeds are due: one lease query, sendBatch calls of 100, and, when more were due,
// a continuation message that does the same in a consumer. Each host's feeds are spread over time (delivery
// delays), so however many consumers run at once, one publisher sees at most a few requests a second.
import { feedsPerFanOut, feedsPerMessage, planBudget } from '../platform/plan-budget.ts';
import { QUEUED_LEASE_MS, takeDueFeeds } from '../store/feeds-store.ts';
import { LAST_REFRESH_KEY, setMeta } from '../store/meta-store.ts';
import { hostOf } from './refresh-feed.ts';
import type { RefreshQueueMessage } from './refresh-messages.ts';

/** Feed requests released per second to one host, across all consumers. */
export const HOST_RELEASES_PER_SECOND = 2;

type Send = MessageSendRequest<RefreshQueueMessage>;

/** Messages of at most `perMessage` feeds; a host's k-th feed is delayed k ÷ HOST_RELEASES_PER_SECOND seconds. */
function spreadByHost(feeds: Array<{ id: number; url: string }>, perMessage: number, maxDelaySeconds: number): Send[] {
  const seen = new Map<string, number>();
  const slots = new Map<number, number[]>();
  for (const feed of feeds) {
    const host = hostOf(feed.url);
    const k = seen.get(host) ?? 0;
    seen.set(host, k + 1);
    const delay = Math.min(maxDelaySeconds, Math.floor(k / HOST_RELEASES_PER_SECOND));
    const slot = slots.get(delay);
    if (slot) slot.push(feed.id);
    else slots.set(delay, [feed.id]);
  }
  const messages: Send[] = [];
  for (const [delaySeconds, ids] of [...slots].sort((a, b) => a[0] - b[0])) {
    for (let i = 0; i < ids.length; i += perMessage) {
      messages.push({
        body: { kind: 'refresh', feedIds: ids.slice(i, i + perMessage) },
        ...(delaySeconds > 0 ? { delaySeconds } : {}),
      });
    }
  }
  return messages;
}

export async function sendAll(queue: Queue<RefreshQueueMessage>, messages: Send[], perCall: number): Promise<void> {
  for (let i = 0; i < messages.length; i += perCall) await queue.sendBatch(messages.slice(i, i + perCall));
}

/** What one fan-out put on the queue. */
export interface FanOut {
  queued: number;
  /** More were due than one invocation enqueues: a follow-up message enqueues the rest. */
  continues: boolean;
  /** The longest delivery delay it gave a message. */
  lastDelaySeconds: number;
}

export async function enqueueDueFeeds(
  env: Env,
  now: number,
  options: { force?: boolean; afterId?: number } = {},
): Promise<FanOut> {
  const budget = planBudget(env.PLAN);
  const limit = feedsPerFanOut(budget);
  const force = options.force ?? false;
  const feeds = await takeDueFeeds(env.DB, now, limit, force, options.afterId ?? 0);
  // Delays stay well inside the queue lease, or a waiting feed would count as lost and be taken again.
  const messages = spreadByHost(
    feeds,
    feedsPerMessage(budget),
    Math.min(budget.queueMaxDelaySeconds, QUEUED_LEASE_MS / 2000),
  );
  const continues = feeds.length === limit;
  if (continues) messages.push({ body: { kind: 'fan-out', force, afterId: feeds.at(-1)?.id ?? 0 } });
  await sendAll(env.REFRESH_QUEUE, messages, budget.queueBatchMessages);
  await setMeta(env.DB, LAST_REFRESH_KEY, String(now));
  const lastDelaySeconds = Math.max(0, ...messages.map((m) => m.delaySeconds ?? 0));
  return { queued: feeds.length, continues, lastDelaySeconds };
}

/** The digest's articles are extracted once the feeds had time to refresh: a delayed message of its own. */
export async function enqueuePrefetch(env: Env, delaySeconds: number): Promise<{ delaySeconds: number }> {
  await env.REFRESH_QUEUE.send({ kind: 'prefetch' }, delaySeconds > 0 ? { delaySeconds } : {});
  return { delaySeconds };
}

/** A page view's lazy refresh: one message; the consumer that takes it does the fan-out. */
export async function requestFanOut(env: Env): Promise<void> {
  await env.REFRESH_QUEUE.send({ kind: 'fan-out', force: false, afterId: 0 } satisfies RefreshQueueMessage);
}
