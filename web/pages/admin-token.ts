// The admin token, kept in this browser's localStorage and nowhere else: page calls read it when they send, and the
// service worker asks a window for it (sw-bridge) when it sends a queued admin action. Forgetting it removes it here
// and tells the worker to drop whatever of it it may still hold.
import { capabilities } from '../offline/capabilities.ts';
import { forgetAdminTokenInWorker } from '../sw-bridge.ts';

const TOKEN_KEY = 'reader.admin-token';

export function readAdminToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY) || null;
  } catch {
    // Storage blocked (some private modes): there is no token to give.
    return null;
  }
}

export function rememberAdminToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

export async function forgetAdminToken(): Promise<void> {
  localStorage.removeItem(TOKEN_KEY);
  // No service worker in this browser: nothing of it can be held there either.
  if (capabilities().serviceWorker) await forgetAdminTokenInWorker();
}
