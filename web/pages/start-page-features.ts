// The page side of the reading site beyond offline features: each page's enhancement, chosen by <body data-page>,
// plus what every page has (install button, local times, words for offline marks). Page enhancements are loaded
// with import(), so a bundler that splits chunks sends each page only its own code.
import { offerInstall } from './install-prompt.ts';
import { localiseTimes } from './local-times.ts';
import { labelOfflineMarks } from './offline-marks.ts';

const PAGES: Record<string, () => Promise<unknown>> = {
  latest: () =>
    Promise.all([
      import('./read-state.ts').then((m) => m.enhanceLatestList()),
      // The edge's list online (the device's own copies come marked): what opens offline here says so.
      document.querySelector('li[data-on-device]')
        ? null
        : import('./open-offline-marks.ts')
            .then((m) => m.markOpenOffline(document))
            // Extra words, not the page's function: without the worker's answer the list simply has no marks.
            .catch(() => undefined),
    ]),
  read: () => import('./read-state.ts').then((m) => m.rememberReadArticle()),
  saved: () =>
    Promise.all([
      import('./saved-page.ts').then((m) => m.enhanceSavedPage()),
      import('./offline-policy-summary.ts').then((m) => m.showOfflinePolicy()),
    ]),
  settings: () => import('./settings-page.ts').then((m) => m.enhanceSettingsPage()),
  sources: () =>
    Promise.all([
      import('./sources-page.ts').then((m) => m.enhanceSourcesPage()),
      import('./source-notify-toggles.ts').then((m) => m.offerSourceNotifications()),
    ]),
  share: () => import('./share-page.ts').then((m) => m.enhanceSharePage()),
  search: () => import('./search-page.ts').then((m) => m.enhanceSearchPage()),
};

/**
 * The pages with a list of items or an article, where the reading keys work (web/pages/keyboard.ts); the offline
 * page lists what opens offline.
 */
const KEYBOARD_PAGES = new Set(['latest', 'read', 'saved', 'search', 'offline']);

export function startPageFeatures(): void {
  offerInstall();
  localiseTimes();
  labelOfflineMarks();
  const enhance = PAGES[document.body.dataset.page ?? ''];
  enhance?.().catch((error: unknown) => console.error('Offline Reader: this page could not be enhanced', error));
  if (KEYBOARD_PAGES.has(document.body.dataset.page ?? '')) {
    import('./keyboard.ts').then(
      (m) => m.startKeyboard(),
      (error: unknown) => console.error('Offline Reader: the keys could not be started', error),
    );
  }
}
