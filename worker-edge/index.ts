// The Worker's entry: HTTP requests go to the Hono app; the cron seeds, fans the due feeds out on the refresh queue,
// asks for the digest's articles once the feeds had time to refresh, and keeps D1 bounded; the queue() handler
// refreshes feeds and extracts articles, each invocation within the plan's budget.
import { app } from './app.ts';
import { pruneArticles } from './jobs/prune-articles.ts';
import { seedDefaultFeeds } from './jobs/seed-default-feeds.ts';
import { enqueueDueFeeds, enqueuePrefetch } from './jobs/enqueue-due-feeds.ts';
import { consumeRefreshQueue } from './jobs/queue-consumer.ts';
import { meteredEnv, subrequestsOf, type InvocationCounts } from './platform/invocation-meter.ts';

/** After the fan-out's last delivery, long enough for its feeds to be refreshed before articles are extracted. */
const PREFETCH_AFTER_SECONDS = 15;

/** One line per background invocation: what it spent of the plan's budget (the scale bench reads these). */
function logInvocation(handler: string, plan: string, counts: InvocationCounts, detail: object = {}): void {
  console.log(
    JSON.stringify({
      event: 'invocation',
      handler,
      plan: plan || 'paid',
      ...counts,
      subrequests: subrequestsOf(counts),
      ...detail,
    }),
  );
}

export default {
  fetch: app.fetch,
  async scheduled(controller, plainEnv, ctx) {
    const { env, counts } = meteredEnv(plainEnv);
    // Each step on its own: an unreachable seed list or a failing prune must not stop the feeds being refreshed.
    const step = async (event: string, run: () => Promise<object | undefined>) => {
      try {
        console.log(JSON.stringify({ event, cron: controller.cron, ...(await run()) }));
      } catch (error) {
        console.error(
          JSON.stringify({
            event,
            cron: controller.cron,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
      }
    };
    ctx.waitUntil(
      (async () => {
        await step('cron_seed', async () => ({ added: await seedDefaultFeeds(env, controller.scheduledTime) }));
        let lastDelivery = 0;
        await step('cron_fan_out', async () => {
          const fanOut = await enqueueDueFeeds(env, controller.scheduledTime);
          lastDelivery = fanOut.queued > 0 ? fanOut.lastDelaySeconds + PREFETCH_AFTER_SECONDS : 0;
          return fanOut;
        });
        await step('cron_prefetch', () => enqueuePrefetch(env, lastDelivery));
        await step('cron_prune', () => pruneArticles(env.DB, Date.now()));
        logInvocation('scheduled', env.PLAN, counts);
      })(),
    );
  },
  async queue(batch, plainEnv) {
    const { env, counts } = meteredEnv(plainEnv);
    try {
      await consumeRefreshQueue(batch, env, Date.now(), counts);
    } finally {
      const kinds = [...new Set(batch.messages.map((m) => (m.body as { kind?: unknown } | null)?.kind))].join(',');
      logInvocation('queue', env.PLAN, counts, { queue: batch.queue, messages: batch.messages.length, kinds });
    }
  },
} satisfies ExportedHandler<Env>;
