// The page side of offline reading, started once per page: the service worker and its background-refresh setting,
// the offline indicator, the save controls and their states, the offline fallback page, the answer to the worker's
// question for the admin token, tapped notifications, news told on the page instead of the tray, and the triggers
// that stand in for background APIs a browser lacks. Where there is no service worker, only the indicator runs and
// the save controls stay links.
import { readAdminToken } from '../pages/admin-token.ts';
import { answerAdminTokenQuestions, serviceWorkerRegistration } from '../sw-bridge.ts';
import { applyStoredBackgroundRefresh } from './background-sync-registration.ts';
import { capabilities } from './capabilities.ts';
import { showConnectivity } from './connectivity-indicator.ts';
import { refreshDigestWhileOpen } from './digest-refresh.ts';
import { startFallbackDrain } from './fallback-drain.ts';
import { followNotificationTaps } from './notification-taps.ts';
import { enhanceOfflinePage } from './offline-page.ts';
import { rememberLinkTitles } from './link-titles.ts';
import { showNewsOnPage } from './news-note.ts';
import { keepOfflineStates } from './offline-states.ts';
import { wireSaveControls } from './save-controls.ts';
import { offerUpdates } from './update-notice.ts';

export function startOfflineFeatures(): void {
  showConnectivity();
  if (!capabilities().serviceWorker) return;
  rememberLinkTitles();
  offerUpdates();
  // Any open window may be the one the worker asks when it sends a queued admin action.
  answerAdminTokenQuestions(readAdminToken);
  followNotificationTaps();
  // Listening from the start: news may come while the worker is still being found.
  showNewsOnPage();
  // The stored background-refresh setting is in force before the features that read it start.
  serviceWorkerRegistration()
    .then(applyStoredBackgroundRefresh)
    .then(
      () => {
        wireSaveControls();
        void keepOfflineStates();
        void enhanceOfflinePage();
        startFallbackDrain();
        refreshDigestWhileOpen();
      },
      (error: unknown) => console.warn('Offline Reader: offline features are off', error),
    );
}
