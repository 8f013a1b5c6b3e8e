// A page shared to the app while offline: the share screen cannot load, so the worker queues the page in the outbox
// by its address itself, before showing the offline page (whose script then follows the entry). Nothing depends on
// a screen staying open: the outbox keeps it, and the sync (or the next start, page load or connection) fetches it.
import { sharedPageIn } from '../worker-edge/pages/shared-page-address.ts';
import { SYNC_TAG } from './messages.ts';
import { savePage } from './outbox.ts';

declare const self: ServiceWorkerGlobalScope;

export async function queueSharedPage(shareUrl: URL): Promise<void> {
  const shared = sharedPageIn(shareUrl.searchParams);
  if (!shared) return;
  try {
    await savePage({ pageUrl: shared.url, title: shared.title ?? '' });
    // Chromium refuses this without a window of the site; the offline page's script registers it then.
    await self.registration.sync?.register(SYNC_TAG);
  } catch (error) {
    console.warn('could not queue the shared page', error);
  }
}
