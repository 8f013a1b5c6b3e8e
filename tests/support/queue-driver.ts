// The refresh queue, held in the test: what the code under test sends is kept here, and deliver() hands it to the
// Worker's real queue() handler as a MessageBatch (createMessageBatch), the way Cloudflare's runtime would, with
// retries as the handler asks for them. Delivery delays are not waited for; they are kept for assertions.
import {
  createExecutionContext,
  createMessageBatch,
  env as testEnv,
  getQueueResult,
  type QueueResult,
} from 'cloudflare:test';
import worker from '../../worker-edge/index.ts';
import { consumeRefreshQueue } from '../../worker-edge/jobs/queue-consumer.ts';

export const REFRESH_QUEUE_NAME = 'offline-reader-refresh';
const MAX_ATTEMPTS = 4;

interface Held {
  id: string;
  body: unknown;
  sentAt: number;
  delaySeconds: number;
  attempts: number;
}

export interface QueueDriver {
  /** The environment to call the code under test with: its REFRESH_QUEUE is this driver. */
  env: Env;
  /** Messages waiting (sent and not yet delivered). */
  readonly waiting: Held[];
  /** Every message ever sent, in order. */
  readonly sent: Held[];
  /** Messages that failed every attempt (what the dead-letter queue would get). */
  readonly deadLetters: Held[];
  /**
   * Delivers one batch of up to `size` waiting messages to the Worker's queue() handler. `env` lets a test meter
   * that invocation; `now` runs the consumer at a test's clock instead (the handler's own code, with a clock).
   */
  deliver(size: number, options?: DeliverOptions): Promise<QueueResult | null>;
  /** Delivers batches until nothing waits. */
  drain(size: number, options?: DeliverOptions): Promise<number>;
}

export interface DeliverOptions {
  env?: (env: Env) => Env;
  now?: number;
  /** The queue the batch comes from (the dead-letter queue's consumer is the same handler). */
  queueName?: string;
}

let sequence = 0;

export function queueDriver(base: Env = testEnv): QueueDriver {
  const waiting: Held[] = [];
  const sent: Held[] = [];
  const deadLetters: Held[] = [];
  const hold = (body: unknown, delaySeconds = 0) => {
    const held = {
      id: `msg-${++sequence}`,
      body: structuredClone(body),
      sentAt: Date.now(),
      delaySeconds,
      attempts: 1,
    };
    waiting.push(held);
    sent.push(held);
  };
  const queue = {
    async send(body: unknown, options?: QueueSendOptions) {
      hold(body, options?.delaySeconds);
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      const list = [...messages];
      if (list.length > 100) throw new Error(`sendBatch takes at most 100 messages; got ${list.length}`);
      for (const m of list) hold(m.body, m.delaySeconds);
    },
  } as unknown as Queue;
  const env = { ...base, REFRESH_QUEUE: queue } as Env;

  async function deliver(size: number, options: DeliverOptions = {}): Promise<QueueResult | null> {
    const taken = waiting.splice(0, size);
    if (taken.length === 0) return null;
    const batch = createMessageBatch(
      options.queueName ?? REFRESH_QUEUE_NAME,
      taken.map((m) => ({ id: m.id, timestamp: m.sentAt, attempts: m.attempts, body: m.body })),
    );
    const ctx = createExecutionContext();
    let threw = false;
    try {
      const batchEnv = options.env?.(env) ?? env;
      if (options.now === undefined) await worker.queue(batch, batchEnv);
      else await consumeRefreshQueue(batch, batchEnv, options.now);
    } catch {
      threw = true;
    }
    const result = await getQueueResult(batch, ctx);
    const acked = new Set(result.explicitAcks);
    const retried = new Set(result.retryMessages.map((r) => r.msgId));
    for (const m of taken) {
      const again = !result.ackAll && !acked.has(m.id) && (threw || result.retryBatch.retry || retried.has(m.id));
      if (!again) continue;
      m.attempts += 1;
      (m.attempts > MAX_ATTEMPTS ? deadLetters : waiting).push(m);
    }
    return result;
  }

  return {
    env,
    waiting,
    sent,
    deadLetters,
    deliver,
    async drain(size, options) {
      let batches = 0;
      while (waiting.length > 0) {
        await deliver(size, options);
        if (++batches > 10_000) throw new Error('the queue never drained');
      }
      return batches;
    },
  };
}
