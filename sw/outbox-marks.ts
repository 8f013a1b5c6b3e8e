// Where a drain's time goes, on the worker's own timeline (User Timing marks, a few per run, each with the wall
// clock it was made at): `npm run bench -- sync` reads them to split "back online → ready" into the browser's, the
// link's and this worker's parts.
export type OutboxStep =
  | 'sync-event'
  | 'drain'
  | 'listed'
  | 'claimed'
  | 'batch-sent'
  | 'batch-arrived'
  | 'pages-kept'
  | 'ready'
  | 'settled';

export function markOutboxStep(step: OutboxStep): void {
  performance.mark(`outbox:${step}`, { detail: Date.now() });
}
