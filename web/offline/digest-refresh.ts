// Where Periodic Sync is missing or not allowed (everything but an installed Chromium app, unless granted), the
// page keeps the digest fresh itself while open: when it becomes visible and every 30 minutes. The service
// worker does the work (one conditional request; a 304 when nothing changed) and skips requests made too often.
import type { RunTrigger } from '../../contract/messages.ts';
import { refreshDigest } from '../sw-bridge.ts';
import { backgroundRefreshStatus } from './background-sync-registration.ts';
import { isOnline } from './connectivity.ts';

const EVERY_MS = 30 * 60 * 1000;

export function refreshDigestWhileOpen(): void {
  const refresh = (trigger: RunTrigger) => {
    if (backgroundRefreshStatus() !== 'while-open' || !isOnline()) return;
    void refreshDigest(trigger).catch(() => undefined);
  };
  refresh('page-load');
  setInterval(() => refresh('timer'), EVERY_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refresh('visible');
  });
}
