// The queue() handler: refresh messages become one refreshFeeds call per invocation (at most the plan's feeds
// per invocation; more are handed back as new messages), a continuation fans out the next page of due feeds, a
// prefetch extracts articles. Messages are acked as soon as their outcome is stored. On the dead-letter queue,
// the feeds whose messages failed every delivery are marked failing with a reason.
import { prefetchDigestArticles } from './prefetch-articles.ts';
import { feedRefreshSettings } from '../config.ts';
import { extractionsPerInvocation, feedsPerInvocation, planBudget } from '../platform/plan-budget.ts';
import { markFeedsFailing } from '../store/feeds-store.ts';
import { enqueueDueFeeds, sendAll } from './enqueue-due-feeds.ts';
import { refreshFeeds, type Delivery } from './refresh-feeds.ts';
import { DEAD_LETTER_SUFFIX, isRefreshQueueMessage, type RefreshQueueMessage } from './refresh-messages.ts';

type Delivered = Message<unknown>;

const log = (event: string, detail: object) => console.log(JSON.stringify({ event, ...detail }));

export async function consumeRefreshQueue(
  batch: MessageBatch<unknown>,
  env: Env,
  now = Date.now(),
  counts?: { fetches: number },
): Promise<void> {
  const budget = planBudget(env.PLAN);
  const byKind = new Map<RefreshQueueMessage['kind'], Array<{ message: Delivered; body: RefreshQueueMessage }>>();
  for (const message of batch.messages) {
    if (!isRefreshQueueMessage(message.body)) {
      log('queue_message_ignored', {
        queue: batch.queue,
        id: message.id,
        body: JSON.stringify(message.body).slice(0, 200),
      });
      message.ack();
      continue;
    }
    const list = byKind.get(message.body.kind) ?? [];
    list.push({ message, body: message.body });
    byKind.set(message.body.kind, list);
  }
  const refresh = (byKind.get('refresh') ?? []).flatMap(({ message, body }) =>
    body.kind === 'refresh' ? [{ message, feedIds: body.feedIds }] : [],
  );

  if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) {
    const ids = refresh.flatMap((r) => r.feedIds);
    if (ids.length > 0) {
      await markFeedsFailing(
        env.DB,
        ids,
        now,
        'Refreshing this feed failed on every try inside the reader; it will be tried again later.',
      ).run();
    }
    log('queue_dead_letters', { feeds: ids.length, other: batch.messages.length - ids.length });
    batch.ackAll();
    return;
  }

  // A fan-out continuation first (it only enqueues), then the refreshes, then at most one extraction run.
  for (const { message, body } of byKind.get('fan-out') ?? []) {
    if (body.kind !== 'fan-out') continue;
    log('queue_fan_out', await enqueueDueFeeds(env, now, { force: body.force, afterId: body.afterId }));
    message.ack();
  }

  if (refresh.length > 0) {
    // Whole messages, as many as this plan's invocation carries; more (max_batch_size set for another plan) are
    // handed back as new messages, not retried (a retry would count against the message's deliveries).
    const limit = feedsPerInvocation(budget);
    const take: typeof refresh = [];
    const rest: typeof refresh = [];
    let taken = 0;
    for (const r of refresh) {
      const fits = take.length === 0 || taken + r.feedIds.length <= limit;
      (fits && rest.length === 0 ? take : rest).push(r);
      if (fits && rest.length === 0) taken += r.feedIds.length;
    }
    if (rest.length > 0) {
      await sendAll(
        env.REFRESH_QUEUE,
        rest.map((r) => ({ body: { kind: 'refresh', feedIds: r.feedIds } })),
        budget.queueBatchMessages,
      );
      for (const r of rest) r.message.ack();
    }
    const deliveries: Delivery[] = take.map(({ message, feedIds }) => ({
      feedIds,
      attempts: message.attempts,
      sentAt: message.timestamp.getTime(),
      settled: () => message.ack(),
    }));
    const result = await refreshFeeds(env.DB, deliveries, { ...feedRefreshSettings(env), now, budget });
    if (counts) counts.fetches += result.fetches;
    const outcomeCounts: Record<string, number> = {};
    for (const outcome of result.outcomes.values())
      outcomeCounts[outcome.kind] = (outcomeCounts[outcome.kind] ?? 0) + 1;
    log('queue_refresh', {
      messages: take.length,
      feeds: deliveries.reduce((n, d) => n + d.feedIds.length, 0),
      handedBack: rest.length,
      ...outcomeCounts,
    });
  }

  const prefetch = byKind.get('prefetch') ?? [];
  if (prefetch.length > 0) {
    log('queue_prefetch', await prefetchDigestArticles(env, now, extractionsPerInvocation(budget)));
    for (const { message } of prefetch) message.ack();
  }
}
