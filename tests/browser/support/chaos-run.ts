// The chaos proof as one function: the real reader and a misbehaving origin, a reader asking for N articles (some
// online from the article page, the rest offline from the fallback page), then the browser going offline and back
// at random, the service worker killed mid-fetch, the browser closed with work queued and started again, until the
// origin recovers. At the end every article must be ready, whole, readable offline, stored once and announced once.
// Shared by tests/browser/chaos.test.ts (short) and scripts/prove-chaos.ts (long).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { FeedView, ItemsPage, ItemSummary } from '../../../contract/http.ts';
import type { ChaosReport, ChaosSettings } from '../../fixture-origin/chaos-switch.ts';
import { verifyChaos, type ChaosVerdict, type Duplicates, type RequestedArticle } from './chaos-checks.ts';
import { launchChromium, persistNotificationGrant, type LaunchedBrowser } from './chromium.ts';
import { logNotifications, watchScreen } from './notification-log.ts';
import { switchNetwork } from './network-switch.ts';
import { requestWhileOffline } from './offline-requests.ts';
import {
  prepareReader,
  storedArticles,
  type BackgroundServiceEvent,
  type StoredArticle,
  type WorkerControl,
} from './service-worker.ts';
import { startStack, type Stack } from './stack.ts';

export interface ChaosOptions {
  articles: number;
  seed: number;
  offlineToggles: number;
  workerKills: number;
  restartBrowser: boolean;
  /** The whole run, start to verdict; past it the run stops waiting and reports what is not ready as lost. */
  timeBudgetMs: number;
  /** How long the origin misbehaves after the articles are requested (the kills, toggles and restart fall in it). */
  chaosMs: number;
  rates?: Omit<Partial<ChaosSettings>, 'seed'>;
  log?: (line: string) => void;
}

export interface ChaosResult {
  requested: number;
  ready: number;
  lost: number;
  /** Duplicate outbox entries + duplicate cache entries + articles announced more than once. */
  duplicated: number;
  duplicates: Duplicates;
  notifiedOnce: number;
  notifiedFailed: number;
  notificationsLogged: number;
  /** When each logged notification came (epoch ms), its tag and how many articles were news in it. */
  notifications: Array<{ at: number; tag: string; fresh: number }>;
  problems: Record<string, string[]>;
  timedOut: boolean;
  requestedOnline: number;
  /** Worker kills asked for and done (each mid-fetch); one not done in the chaos phase is tried while settling. */
  kills: { asked: number; done: number };
  /** Offline toggles made, and those seen to take (the page and the worker both offline). */
  toggles: { asked: number; done: number };
  restart: { done: boolean; unfinishedAtClose: number };
  attempts: { total: number; max: number };
  /** What the browser's BackgroundService recorded (sync registrations, dispatches, failures), by event name. */
  syncEvents: Record<string, number>;
  origin: Pick<ChaosReport, 'requests' | 'faults'>;
  timings: { setupMs: number; requestMs: number; chaosMs: number; settleMs: number; verifyMs: number; totalMs: number };
}

/** Reproducible choices: mulberry32. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The outbox as a page sees it; a read that hangs (a page stuck mid-navigation) counts as nothing seen. */
async function outboxNow(page: Page): Promise<StoredArticle[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<StoredArticle[]>((resolve) => (timer = setTimeout(() => resolve([]), 5000)));
  try {
    return await Promise.race([storedArticles(page).catch(() => []), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

async function setChaos(stack: Stack, settings: ChaosSettings | null): Promise<ChaosReport> {
  const response = await fetch(
    `${stack.origin.url}/__chaos`,
    settings ? { method: 'POST', body: JSON.stringify(settings) } : { method: 'DELETE' },
  );
  if (!response.ok) throw new Error(`the chaos switch answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as ChaosReport;
}

/** Subscribes to the chaos feed (more items than asked for, as a real feed has) and picks the newest `count`. */
async function subscribeChaosFeed(
  stack: Stack,
  count: number,
): Promise<Array<RequestedArticle & { item: ItemSummary }>> {
  const subscribed = await fetch(`${stack.site}/api/feeds`, {
    method: 'POST',
    headers: { ...stack.admin, 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${stack.origin.url}/chaos/feed.rss?n=${count + 10}` }),
  });
  if (!subscribed.ok) throw new Error(`subscribing to the chaos feed: ${subscribed.status} ${await subscribed.text()}`);
  const { feed } = (await subscribed.json()) as { feed: FeedView };
  const items: ItemSummary[] = [];
  let next: string | null = null;
  do {
    const page = (await (
      await fetch(
        `${stack.site}/api/items?feed=${feed.id}&limit=50${next ? `&before=${encodeURIComponent(next)}` : ''}`,
      )
    ).json()) as ItemsPage;
    items.push(...page.items);
    next = page.next;
  } while (next && items.length < count);
  const picked = items.slice(0, count).map((item) => ({
    item,
    itemId: item.id,
    title: item.title,
    n: Number(/\/(\d+)\.html$/.exec(item.url ?? '')?.[1]),
  }));
  if (picked.length < count || picked.some((article) => !Number.isInteger(article.n)))
    throw new Error(`the chaos feed gave ${picked.length} of ${count} articles`);
  return picked;
}

/**
 * Online, from the article page: reloads while the origin fails (as a reader would), then taps "Save for offline".
 * The control is wired once the page has heard from the worker, which a busy worker answers late: the page is
 * judged when it is wired or says the article could not be fetched, not at its load event (a page judged too early
 * was asked for again offline, where its cached copy has no offline request form).
 */
async function requestOnline(page: Page, site: string, article: RequestedArticle, tries = 8): Promise<boolean> {
  // The control near the top of the article (the one at its end is the same).
  const control = page.locator('article.reader [data-save-offline][data-wired]').first();
  const unavailable = page.locator('article.reader > section.notice[role="status"]');
  for (let attempt = 0; attempt < tries; attempt++) {
    await page.goto(`${site}/read/${encodeURIComponent(article.itemId)}`);
    await control
      .or(unavailable)
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => undefined);
    if (await control.count()) {
      await control.click();
      await page.waitForSelector('article.reader [data-save-offline][data-offline-state]');
      return true;
    }
    await sleep(300);
  }
  return false;
}

interface BrowserSession {
  browser: LaunchedBrowser;
  control: WorkerControl;
  /** The site, open as the reader leaves it: its own triggers (online, due timers) run as they would. */
  page: Page;
  /** Set when the browser went away without being closed (Chromium crashed): the run stops and says so. */
  crashed: boolean;
  onClose: () => void;
}

/** Back online, checked; a browser left offline would hold every sync until the time budget runs out. */
async function backOnline(session: BrowserSession, site: string, log: (line: string) => void): Promise<void> {
  const back = await switchNetwork(session.browser.context, session.page, site, false);
  if (back.trouble.length) log(`going back online: ${back.trouble.join('; ')}`);
  if (!back.done) throw new Error(`the browser could not be brought back online: ${back.trouble.join('; ')}`);
}

async function openBrowser(profile: string, site: string): Promise<BrowserSession> {
  const browser = await launchChromium({ userDataDir: profile, fastBackgroundSync: true });
  await logNotifications(browser.context);
  const { control, page } = await prepareReader(browser.context, site);
  const session: BrowserSession = { browser, control, page, crashed: false, onClose: () => (session.crashed = true) };
  browser.context.on('close', session.onClose);
  return session;
}

function assertAlive(session: BrowserSession): void {
  if (session.crashed)
    throw new Error('Chromium went away in the middle of the run (it crashed); the run cannot judge the reader.');
}

/**
 * The worker is fetching: an article's text (leased, "fetching"), or the pictures of one that is ready and due now
 * (the pool fetches them after the batch's texts). A batch is one short request, so the text alone is a narrow window.
 */
const isFetching = (records: StoredArticle[], now = Date.now()) =>
  records.some(
    (record) =>
      record.state === 'fetching' ||
      (record.state === 'ready' && record.nextAttemptAt !== null && record.nextAttemptAt <= now),
  );

/**
 * Kills the worker if it is fetching something within `waitMs`; says whether it did. Only mid-fetch: that is the
 * case worth proving, and stopping an idle or starting worker has taken this Chromium down with it.
 */
async function killMidFetch(session: BrowserSession, waitMs: number): Promise<boolean> {
  for (const until = Date.now() + waitMs; Date.now() < until; await sleep(100)) {
    if (isFetching(await outboxNow(session.page))) {
      await session.control.stopAllWorkers();
      return true;
    }
  }
  return false;
}

type ChaosEvent = { at: number; kind: 'toggle' | 'kill' | 'restart' };

function schedule(options: ChaosOptions, random: () => number): ChaosEvent[] {
  const spread = (kind: ChaosEvent['kind'], count: number) =>
    Array.from({ length: count }, () => ({ at: random() * options.chaosMs * 0.9, kind }));
  const events = [...spread('toggle', options.offlineToggles), ...spread('kill', options.workerKills)];
  if (options.restartBrowser) events.push({ at: options.chaosMs * (0.3 + random() * 0.2), kind: 'restart' });
  return events.sort((a, b) => a.at - b.at);
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const started = Date.now();
  const deadline = started + options.timeBudgetMs;
  const profile = mkdtempSync(join(tmpdir(), 'reader-chaos-'));
  const syncEvents: BackgroundServiceEvent[] = [];
  let stack: Stack | null = null;
  let session = null as BrowserSession | null;
  const screen = watchScreen('offline-ready');
  let watching = true;
  const watchLoop = (async () => {
    for (; watching; await sleep(300)) {
      const page = session?.page;
      if (page && !page.isClosed()) await screen.sample(page);
    }
  })();
  const closeSession = async () => {
    if (!session) return;
    syncEvents.push(...session.control.backgroundEvents);
    session.browser.context.off('close', session.onClose);
    await session.browser.close();
    session = null;
  };
  try {
    stack = await startStack();
    const articles = await subscribeChaosFeed(stack, options.articles);
    session = await openBrowser(profile, stack.site);
    const setupDone = Date.now();
    log(`stack up, ${articles.length} articles on the chaos feed (${setupDone - started} ms)`);

    await setChaos(stack, {
      rate500: 0.3,
      rateReset: 0.2,
      rateSlow: 0.05,
      slowMs: 10_500,
      rateTruncate: 0.05,
      ...options.rates,
      seed: options.seed,
    });
    const onlineShare = articles.slice(0, Math.round(articles.length / 3));
    let requestedOnline = 0;
    const offlineShare = articles.slice(onlineShare.length);
    for (const article of onlineShare) {
      if (await requestOnline(session.page, stack.site, article)) requestedOnline++;
      else offlineShare.push(article);
    }
    const appPage = await requestWhileOffline(
      session.browser.context,
      stack.site,
      offlineShare.map((article) => article.item),
      { keepOpen: true },
    );
    await session.page.close();
    session.page = appPage;
    await backOnline(session, stack.site, log);
    const requestDone = Date.now();
    log(`requested ${requestedOnline} online and ${offlineShare.length} offline (${requestDone - setupDone} ms)`);

    const kills = { asked: options.workerKills, done: 0 };
    const toggles = { asked: 0, done: 0 };
    const restart = { done: false, unfinishedAtClose: 0 };
    const events = schedule(options, random);
    for (const [index, event] of events.entries()) {
      await sleep(requestDone + event.at - Date.now());
      const current: BrowserSession = session;
      assertAlive(current);
      if (event.kind === 'toggle') {
        const offlineMs = 1000 + random() * 3000;
        toggles.asked++;
        const { context } = current.browser;
        const away = await switchNetwork(context, current.page, stack.site, true);
        const wentOffline = Date.now();
        if (away.trouble.length) log(`going offline: ${away.trouble.join('; ')}`);
        await sleep(offlineMs);
        const offlineFor = Date.now() - wentOffline;
        await backOnline(current, stack.site, log);
        // Counted only when the page and the worker were both seen offline.
        if (away.done) {
          toggles.done++;
          log(`offline for ${offlineFor} ms (page and worker)`);
        } else log(`offline toggle did not take (page or worker stayed online): not counted`);
      } else if (event.kind === 'kill') {
        // A batch is one short request now: wait for one until the next event (3 s at least), not a fixed 3 s.
        const nextAt = requestDone + (events[index + 1]?.at ?? options.chaosMs);
        if (await killMidFetch(current, Math.max(3000, nextAt - Date.now()))) {
          kills.done++;
          log('worker killed mid-fetch');
        }
      } else {
        restart.unfinishedAtClose = (await outboxNow(current.page)).filter((record) => record.state !== 'ready').length;
        await screen.sample(current.page);
        await closeSession();
        log(`browser closed with ${restart.unfinishedAtClose} unfinished`);
        persistNotificationGrant(profile, stack.site);
        session = await openBrowser(profile, stack.site);
        restart.done = true;
        // Until now no window of the site was open: a notification in between is the reader's due (none looking).
        log('browser started again, the site open in it');
      }
    }
    await sleep(requestDone + options.chaosMs - Date.now());
    const origin = await setChaos(stack, null);
    const chaosDone = Date.now();
    log(`origin recovered after ${origin.requests} requests, faults ${JSON.stringify(origin.faults)}`);

    // Everything can complete now; the reader's site stays open, as it would on a phone in a pocket.
    const reserveMs = 5_000 + articles.length * 400;
    const ids = new Set(articles.map((article) => article.itemId));
    let timedOut = true;
    let lastKillAt = 0;
    const active: BrowserSession = session;
    while (Date.now() < deadline - reserveMs) {
      assertAlive(active);
      const records = (await outboxNow(active.page)).filter((record) => ids.has(record.itemId));
      // Apart, so each kill meets a new worker's fetch rather than the leases the last one left behind.
      if (kills.done < kills.asked && Date.now() - lastKillAt > 3000 && isFetching(records)) {
        lastKillAt = Date.now();
        await active.control.stopAllWorkers();
        kills.done++;
        log('worker killed mid-fetch (while settling)');
      }
      // Ready and not due again (a ready entry still due has pictures to fetch), or failed for good.
      const settled = (record: StoredArticle) =>
        (record.state === 'ready' && record.nextAttemptAt === null) || record.state === 'failed';
      if (records.length === ids.size && records.every(settled)) {
        timedOut = false;
        break;
      }
      await sleep(kills.done < kills.asked ? 100 : 1000);
    }
    // The last announcement follows the last article marked ready.
    await sleep(1500);
    const settleDone = Date.now();
    log(
      `${timedOut ? 'time budget reached' : 'every article settled'} (${settleDone - chaosDone} ms after the origin recovered)`,
    );

    watching = false;
    await watchLoop;
    const verdict: ChaosVerdict = await verifyChaos(active.browser.context, active.page, stack.site, articles, screen);
    const verifyDone = Date.now();
    const requestedRecords = verdict.records.filter((record) => ids.has(record.itemId));
    syncEvents.push(...active.control.backgroundEvents);
    const duplicated = verdict.duplicates.outbox + verdict.duplicates.caches + verdict.duplicates.notified;
    return {
      requested: articles.length,
      ready: verdict.ready.length,
      lost: articles.length - verdict.ready.length,
      duplicated,
      duplicates: verdict.duplicates,
      notifiedOnce: verdict.notifiedOnce,
      notifiedFailed: verdict.notifiedFailed,
      notificationsLogged: verdict.notificationsLogged,
      notifications: verdict.notifications.map(({ at, tag, fresh }) => ({ at, tag, fresh: fresh.length })),
      problems: verdict.problems,
      timedOut,
      requestedOnline,
      kills,
      toggles,
      restart,
      attempts: {
        total: requestedRecords.reduce((sum, record) => sum + record.attempts, 0),
        max: Math.max(0, ...requestedRecords.map((record) => record.attempts)),
      },
      syncEvents: Object.fromEntries(
        Map.groupBy(syncEvents, (event) => event.eventName)
          .entries()
          .map(([name, events]) => [name, events.length]),
      ),
      origin: { requests: origin.requests, faults: origin.faults },
      timings: {
        setupMs: setupDone - started,
        requestMs: requestDone - setupDone,
        chaosMs: chaosDone - requestDone,
        settleMs: settleDone - chaosDone,
        verifyMs: verifyDone - settleDone,
        totalMs: verifyDone - started,
      },
    };
  } finally {
    watching = false;
    await watchLoop;
    if (session?.crashed) session = null;
    await closeSession().catch(() => undefined);
    await stack?.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}
