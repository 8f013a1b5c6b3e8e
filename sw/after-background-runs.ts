// What rides on a background event's wake-up, once its own work is done: the articles that became ready are
// indexed for the search on the device, and after a periodic refresh the sources the reader chose are looked at for
// news. Their failures are logged, never passed on: a failed sync event is retried by the browser.
import { syncSearchIndex } from './search-index.ts';
import { notifyChosenSources } from './source-notifications.ts';

const logged = (what: string) => (error: unknown) => console.error(`Offline Reader: ${what} failed`, error);

export const afterFetchArticles = (): Promise<void> =>
  syncSearchIndex().then(() => undefined, logged('indexing for search'));

export const afterDigestRefresh = async (): Promise<void> => {
  await Promise.all([
    afterFetchArticles(),
    notifyChosenSources().then(() => undefined, logged('source notifications')),
  ]);
};
