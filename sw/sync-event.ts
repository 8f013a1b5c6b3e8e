// The `fetch-articles` sync event. Its promise rejects while retryable work remains, which is how the browser
// knows to try again later (Chromium: after 5 and 15 minutes). On the last chance it resolves: the entries stay
// queued for the page's own triggers, and nothing is dropped.
import { drainOutbox } from './drain-outbox.ts';
import { markOutboxStep } from './outbox-marks.ts';

/** Within one sync, wait for entries due this soon instead of failing the browser's attempt. */
const WAIT_FOR_DUE_WITHIN_MS = 10_000;

export async function onFetchArticlesSync(event: SyncEvent): Promise<void> {
  markOutboxStep('sync-event');
  const result = await drainOutbox({
    trigger: 'sync',
    lastChance: event.lastChance,
    waitForDueWithinMs: WAIT_FOR_DUE_WITHIN_MS,
  });
  if (result.remaining > 0 && !event.lastChance)
    throw new Error(`${result.remaining} requests are still waiting; the browser will try again.`);
}
