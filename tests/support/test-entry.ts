// The workerd test pool needs an entry module; tests import the app and handlers they exercise directly.
// Messages that reach the real queue binding are consumed by the real handler, as in production.
import worker from '../../worker-edge/index.ts';

export default {
  fetch: () => new Response('test entry', { status: 404 }),
  queue: worker.queue,
} satisfies ExportedHandler<Env>;
