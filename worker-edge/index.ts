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
    ctx.waitUntil(
      (async () => {
        await seedDefaultFeeds(env, controller.scheduledTime);
        const result = await refreshDueFeeds(env.DB, refreshOptions(env, controller.scheduledTime));
        console.log(JSON.stringify({ event: 'cron_refresh', cron: controller.cron, ...result }));
        const articles = await prefetchDigestArticles(env, Date.now());
        console.log(JSON.stringify({ event: 'cron_prefetch', cron: controller.cron, ...articles }));
        const pruned = await pruneArticles(env.DB, Date.now());
        console.log(JSON.stringify({ event: 'cron_prune', cron: controller.cron, ...pruned }));
      })(),
    );
  },
} satisfies ExportedHandler<Env>;
