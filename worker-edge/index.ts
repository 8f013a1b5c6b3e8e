// The Worker's entry: HTTP requests go to the Hono app, the cron refreshes the feeds that are due
// and then extracts the newest articles ahead of time, so the digest is served from D1, and keeps D1 bounded.
import { app } from './app.ts';
import { prefetchDigestArticles } from './articles/prefetch-articles.ts';
import { pruneArticles } from './articles/prune-articles.ts';
import { refreshOptions } from './config.ts';
import { refreshDueFeeds } from './feeds/refresh-due-feeds.ts';
import { seedDefaultFeeds } from './feeds/seed-default-feeds.ts';

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // Each step on its own: an unreachable seed list or a failing prefetch must not stop the feeds being refreshed.
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
        await step('cron_refresh', () => refreshDueFeeds(env.DB, refreshOptions(env, controller.scheduledTime)));
        await step('cron_prefetch', () => prefetchDigestArticles(env, Date.now()));
        await step('cron_prune', () => pruneArticles(env.DB, Date.now()));
      })(),
    );
  },
} satisfies ExportedHandler<Env>;
