// The Worker's entry: HTTP requests go to the Hono app, the cron runs the feed refresh.
import { app } from './app.ts';

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(Promise.resolve(env));
  },
} satisfies ExportedHandler<Env>;
