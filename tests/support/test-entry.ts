// The workerd test pool needs an entry module; tests import the app and handlers they exercise directly.
// Messages that reach the real queue binding are consumed by the real handler, as in production.
import worker from '../../worker-edge/index.ts';

export default {
  fetch: () => new Response('test entry', { status: 404 }),
  // The runtime calls this, not a test: workerd logs what it throws only with --verbose (off in vitest.config.mts).
  async queue(batch, env) {
    try {
      await worker.queue(batch, env);
    } catch (error) {
      console.error(`queue() threw on ${batch.queue}:`, error);
      throw error;
    }
  },
} satisfies ExportedHandler<Env>;
