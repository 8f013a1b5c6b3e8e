// Tells every window of the site what changed (typed in contract/messages.ts), controlled by this worker or not yet.
import type { EventMessage } from '../contract/messages.ts';

declare const self: ServiceWorkerGlobalScope;

export async function broadcast(message: EventMessage): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) client.postMessage(message);
}
