// The workerd test pool needs an entry module; tests import the app and handlers they exercise directly.
export default {
  fetch: () => new Response('test entry', { status: 404 }),
} satisfies ExportedHandler<Env>;
