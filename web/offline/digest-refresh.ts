// Where Periodic Sync is missing or not allowed (everything but an installed Chromium app, unless granted), the
// page keeps the digest fresh itself while open: when it becomes visible and every 30 minutes. The service
// worker does the work (one conditional request; a 304 when nothing changed) and skips requests made too often.
import { backgroundRefreshStatus, refreshDigest, type RunTrigger } from '../sw-bridge.ts';

const EVERY_MS = 30 * 60 * 1000;

export function refreshDigestWhileOpen(): void {
  const refresh = (trigger: RunTrigger) => {
    if (backgroundRefreshStatus() !== 'while-open' || !navigator.onLine) return;
    void refreshDigest(trigger).catch(() => undefined);
  };
  refresh('page-load');
  setInterval(() => refresh('timer'), EVERY_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refresh('visible');
  });
}
