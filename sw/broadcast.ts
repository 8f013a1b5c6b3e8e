// Tells every window of the site what changed (typed in contract/messages.ts), controlled by this worker or not yet.
import type { EventMessage } from '../contract/messages.ts';

declare const self: ServiceWorkerGlobalScope;

export function broadcast(message: EventMessage): Promise<void> {
  return broadcastAll([message]);
}

/** Several messages, in order, for one look at the windows (a batch's thirty entries are one look, not thirty). */
export async function broadcastAll(messages: EventMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) for (const message of messages) client.postMessage(message);
}
