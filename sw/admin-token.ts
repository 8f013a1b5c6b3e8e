// The admin token, fetched from an open window of the site each time an admin action is sent. The page keeps it
// (web/pages/admin-token.ts); the service worker holds it only for the one request, so no queued, failed or
// announced action ever carries it, and "Forget" on /sources leaves nothing behind here.
import { ADMIN_TOKEN_QUESTION, type AdminTokenAnswer } from '../contract/messages.ts';

declare const self: ServiceWorkerGlobalScope;

/** A window busy with a long task still answers well within this. */
const ANSWER_TIMEOUT_MS = 3_000;

export type AdminToken =
  | { kind: 'token'; token: string }
  /** A window answered: this browser has no token (never entered, or forgotten). */
  | { kind: 'none' }
  /** No window of the site is open to ask (the browser woke the worker for a sync with the app closed). */
  | { kind: 'no-window' };

function ask(client: Client): Promise<AdminTokenAnswer | null> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), ANSWER_TIMEOUT_MS);
    channel.port1.onmessage = ({ data }: MessageEvent<AdminTokenAnswer>) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(typeof data?.token === 'string' && data.token !== '' ? { token: data.token } : { token: null });
    };
    client.postMessage({ type: ADMIN_TOKEN_QUESTION }, [channel.port2]);
  });
}

export async function adminTokenFromWindows(): Promise<AdminToken> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const answers = (await Promise.all(windows.map(ask))).filter((answer) => answer !== null);
  const token = answers.find((answer) => answer.token !== null)?.token;
  if (token) return { kind: 'token', token };
  return answers.length > 0 ? { kind: 'none' } : { kind: 'no-window' };
}
