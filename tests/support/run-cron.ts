// The cron as Cloudflare runs it, and what follows: the scheduled handler seeds, fans the due feeds out and asks for
// the digest's articles; then the queue delivers those messages to the consumer until nothing waits.
import {
  createExecutionContext,
  createScheduledController,
  env as testEnv,
  waitOnExecutionContext,
} from 'cloudflare:test';
import worker from '../../worker-edge/index.ts';
import { feedsPerInvocation, planBudget } from '../../worker-edge/platform/plan-budget.ts';
import { queueDriver, type QueueDriver } from './queue-driver.ts';

export async function runCron(at = Date.now(), base: Env = testEnv): Promise<QueueDriver> {
  const driver = queueDriver(base);
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/15 * * * *' }), driver.env, ctx);
  await waitOnExecutionContext(ctx);
  await driver.drain(feedsPerInvocation(planBudget(base.PLAN)));
  return driver;
}
