// What the chaos proof checks at the end, from inside the browser: every requested article is ready in the outbox
// and kept whole (JSON, page, pictures) in the saved cache, reads offline, is stored once, and was announced once.
import type { BrowserContext, Page } from 'playwright-core';
import { chaosMarker } from '../../fixture-origin/chaos-site-route.ts';
import { switchNetwork } from './network-switch.ts';
import { loggedNotifications, type LoggedNotification, type ScreenWatch } from './notification-log.ts';
import { storedArticles, type StoredArticle } from './service-worker.ts';

const SAVED = 'reader-saved-v1';
const PREFETCHED = 'reader-prefetched-v1';

export interface RequestedArticle {
  itemId: string;
  /** Its number on the chaos site. */
  n: number;
  title: string;
}

export interface Duplicates {
  /** Outbox entries beyond one per article (by id, and by the page they open). */
  outbox: number;
  /** Cache entries beyond one per URL in any cache, plus a kept article held in both the saved and prefetched caches. */
  caches: number;
  /** Articles announced as news in more than one "ready" notification. */
  notified: number;
}

export interface ChaosVerdict {
  ready: string[];
  /** Why each article that is not ready is not, by id. */
  problems: Record<string, string[]>;
  duplicates: Duplicates;
  notifiedOnce: number;
  /** Requested articles in a "could not fetch" notification: nothing here may fail for good. */
  notifiedFailed: number;
  notificationsLogged: number;
  /** The "ready" and "could not fetch" notifications logged, for the report to say when each came. */
  notifications: LoggedNotification[];
  records: StoredArticle[];
}

interface CacheListing {
  name: string;
  urls: string[];
}

function cacheListings(page: Page): Promise<CacheListing[]> {
  return page.evaluate(async () => {
    const names = await caches.keys();
    return Promise.all(
      names.map(async (name) => ({
        name,
        urls: (await (await caches.open(name)).keys()).map((request) => request.url),
      })),
    );
  });
}

/** What the saved cache holds for one article: its JSON's picture list, and which of its URLs are missing. */
function savedCopies(page: Page, itemId: string): Promise<{ missing: string[]; images: number }> {
  return page.evaluate(
    async ({ itemId, cacheName }) => {
      const cache = await caches.open(cacheName);
      const json = `/api/articles/${encodeURIComponent(itemId)}`;
      const missing: string[] = [];
      const article = await cache.match(json);
      if (!article) return { missing: [json], images: 0 };
      const { images } = (await article.json()) as { images: string[] };
      for (const url of [`/read/${encodeURIComponent(itemId)}`, ...images])
        if (!(await cache.match(url))) missing.push(url);
      return { missing, images: images.length };
    },
    { itemId, cacheName: SAVED },
  );
}

/**
 * Opens the article with the browser offline: its title and its own sentence must be there, and every picture must
 * come from the service worker (fetched from the page: they load lazily, so the page alone does not ask for them).
 */
async function readsOffline(page: Page, site: string, article: RequestedArticle): Promise<string[]> {
  const problems: string[] = [];
  await page.goto(`${site}/read/${encodeURIComponent(article.itemId)}`);
  const shown = await page.evaluate(async () => {
    const sources = Array.from(
      document.querySelectorAll<HTMLImageElement>('article.reader .content img'),
      (img) => img.src,
    );
    return {
      title: document.querySelector('article.reader h1')?.textContent?.trim() ?? null,
      text: document.querySelector('article.reader .content')?.textContent ?? '',
      images: await Promise.all(
        sources.map(async (src) => {
          const response = await fetch(src).catch(() => null);
          const type = response?.headers.get('content-type') ?? '';
          return {
            src,
            shown: response?.ok === true && type.startsWith('image/') && (await response.arrayBuffer()).byteLength > 0,
          };
        }),
      ),
    };
  });
  if (shown.title !== article.title) problems.push(`offline page shows title ${JSON.stringify(shown.title)}`);
  if (!shown.text.includes(chaosMarker(article.n))) problems.push('offline page lacks the article text');
  for (const image of shown.images) if (!image.shown) problems.push(`offline page cannot show ${image.src}`);
  return problems;
}

function cacheDuplicates(listings: CacheListing[]): number {
  let duplicates = 0;
  for (const { urls } of listings) duplicates += urls.length - new Set(urls).size;
  const saved = new Set(listings.find((listing) => listing.name === SAVED)?.urls ?? []);
  const prefetched = listings.find((listing) => listing.name === PREFETCHED)?.urls ?? [];
  // The runtime caches (pages met while reading online) overlap the kept ones by design; saved and prefetched do not.
  return duplicates + prefetched.filter((url) => saved.has(url)).length;
}

export async function verifyChaos(
  context: BrowserContext,
  page: Page,
  site: string,
  requested: RequestedArticle[],
  screen: ScreenWatch,
): Promise<ChaosVerdict> {
  const records = await storedArticles(page);
  const byId = new Map(records.map((record) => [record.itemId, record]));
  const problems: Record<string, string[]> = {};
  const note = (itemId: string, problem: string) => (problems[itemId] ??= []).push(problem);

  for (const article of requested) {
    const record = byId.get(article.itemId);
    if (!record) note(article.itemId, 'no outbox entry');
    else if (record.state !== 'ready')
      note(article.itemId, `outbox entry is ${record.state} (${record.lastError ?? 'no error'})`);
    else if (!record.saved) note(article.itemId, 'kept as a prefetch, not as the reader’s own');
    for (const url of (await savedCopies(page, article.itemId)).missing)
      note(article.itemId, `not in the saved cache: ${url}`);
  }

  // Read offline only when the page and the worker are both seen offline: otherwise the network could serve them.
  const away = await switchNetwork(context, page, site, true);
  for (const article of requested) {
    if (!away.done) note(article.itemId, `not read offline: going offline did not take (${away.trouble.join('; ')})`);
    else for (const problem of await readsOffline(page, site, article)) note(article.itemId, problem);
  }
  const back = await switchNetwork(context, page, site, false);
  if (!back.done) throw new Error(`the browser could not be brought back online: ${back.trouble.join('; ')}`);

  const logged = await loggedNotifications(page);
  const log = logged.filter((entry) => entry.tag === 'offline-ready');
  const failedLog = logged.filter((entry) => entry.tag === 'offline-failed');
  await screen.sample(page);
  let notifiedOnce = 0;
  let notifiedTwice = 0;
  for (const { itemId } of requested) {
    // The larger of the two views: a call the log missed still came onto the screen, and the other way round.
    const times = Math.max(log.filter((entry) => entry.fresh.includes(itemId)).length, screen.appearances(itemId));
    if (times === 1) notifiedOnce++;
    else if (times > 1) notifiedTwice++;
    if (!byId.get(itemId)?.notified) note(itemId, 'not marked notified');
  }
  const ids = new Set(requested.map((article) => article.itemId));
  const outboxDuplicates = records.length - new Set(records.map((record) => record.url)).size;
  return {
    ready: requested.filter((article) => !problems[article.itemId]).map((article) => article.itemId),
    problems,
    duplicates: {
      outbox: outboxDuplicates,
      caches: cacheDuplicates(await cacheListings(page)),
      notified: notifiedTwice,
    },
    notifiedOnce,
    notifiedFailed: failedLog.filter((entry) => entry.fresh.some((id) => ids.has(id))).length,
    notificationsLogged: log.length + failedLog.length,
    notifications: [...log, ...failedLog].sort((a, b) => a.at - b.at),
    records,
  };
}
