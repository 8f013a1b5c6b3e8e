// Runs work a few at once, in order: the outbox's jobs, an article's pictures. None is started after `deadline`, so
// a run can end (and notify) before the browser kills it.
export async function runPool<T>(
  items: Iterable<T>,
  atOnce: number,
  run: (item: T) => Promise<void>,
  deadline = Infinity,
): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined && Date.now() < deadline; item = queue.shift()) await run(item);
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, queue.length) }, worker));
}
