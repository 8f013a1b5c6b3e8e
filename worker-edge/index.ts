// The Worker's entry: HTTP requests go to the Hono app; the cron seeds, fans the due feeds out on the refresh queue,
// asks for the digest's articles once the feeds had time to refresh, and keeps D1 bounded; the queue() handler
// refreshes feeds and extracts articles, each invocation within the plan's budget.
import { app } from './app.ts';
import { pruneArticles } from './articles/prune-articles.ts';
import { seedDefaultFeeds } from './feeds/seed-default-feeds.ts';
import { enqueueDueFeeds, enqueuePrefetch } from './jobs/enqueue-due-feeds.ts';
import { consumeRefreshQueue } from './jobs/queue-consumer.ts';

/** Long enough for a cron's fan-out to be refreshed before the newest articles are extracted. */
const PREFETCH_DELAY_SECONDS = 120;

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // Each step on its own: an unreachable seed list or a failing prune must not stop the feeds being refreshed.
    const step = async (event: string, run: () => Promise<object | void>) => {
      try {
        console.log(JSON.stringify({ event, cron: controller.cron, ...(await run()) }));
      } catch (error) {
        console.error(JSON.stringify({ event, cron: controller.cron, error: error instanceof Error ? error.message : String(error) }));
      }
    };
    ctx.waitUntil(
      (async () => {
        await step('cron_seed', async () => ({ added: await seedDefaultFeeds(env, controller.scheduledTime) }));
        await step('cron_fan_out', () => enqueueDueFeeds(env, controller.scheduledTime));
        await step('cron_prefetch', () => enqueuePrefetch(env, PREFETCH_DELAY_SECONDS));
        await step('cron_prune', () => pruneArticles(env.DB, Date.now()));
      })(),
    );
  },
  async queue(batch, env) {
    await consumeRefreshQueue(batch, env);
  },
} satisfies ExportedHandler<Env>;
