// One notification per batch of finished requests, replacing the previous one (same tag) instead of stacking:
// "Ready to read offline: <title>" or "3 articles ready to read offline", separately what could not be fetched, and
// the reader's actions (adding or removing a source) that the server refused, which a tap opens on /sources.
// Shown, then marked notified: a worker stopped in between shows the same batch again under the same tag, which
// replaces rather than duplicates.
import { markActionsNotified, unnotifiedActionFailures } from './action-queue.ts';
import { broadcast } from './broadcast.ts';
import { readUrl } from '../contract/paths.ts';
import { markNotified, unnotifiedOutcomes } from './library.ts';
import type { ActionRecord, ArticleRecord } from './reader-db.ts';
import { getSettings } from './settings-store.ts';

declare const self: ServiceWorkerGlobalScope;

export const READY_TAG = 'offline-ready';
export const FAILED_TAG = 'offline-failed';
export const NEW_ARTICLES_TAG = 'new-articles';
export const ACTION_FAILED_TAG = 'action-failed';

interface NotifiedItem {
  itemId: string;
  title: string;
  lastError: string | null;
}

export interface NotificationData {
  /** Where a tap goes: the article for one, /saved for several. */
  url: string;
  items: NotifiedItem[];
}

/** The app's icon (precached with the shell). */
const ICON = '/icons/icon-192.png';

const canNotify = () => 'Notification' in self && Notification.permission === 'granted';
const maxActions = () => (Notification as NotificationConstructorExtras).maxActions ?? 0;

/** Folds in the items of the notification this one replaces, so a second batch does not hide the first. */
async function withShownItems(tag: string, records: NotifiedItem[]): Promise<NotifiedItem[]> {
  const fresh = records.map(({ itemId, title, lastError }) => ({ itemId, title, lastError }));
  const ids = new Set(fresh.map((item) => item.itemId));
  const shown = (await self.registration.getNotifications({ tag })).flatMap(
    (n) => (n.data as NotificationData | null)?.items ?? [],
  );
  return [...shown.filter((item) => !ids.has(item.itemId)), ...fresh];
}

const listed = (titles: string[]) =>
  titles.slice(0, 3).join(' · ') + (titles.length > 3 ? ` and ${titles.length - 3} more` : '');

async function showReady(records: ArticleRecord[]): Promise<void> {
  const items = await withShownItems(READY_TAG, records);
  const [only] = items;
  const single = items.length === 1 && only;
  const data: NotificationData = { url: single ? readUrl(only.itemId) : '/saved', items };
  await self.registration.showNotification(
    single ? `Ready to read offline: ${only.title}` : `${items.length} articles ready to read offline`,
    {
      tag: READY_TAG,
      icon: ICON,
      body: single
        ? 'Saved on this device. Tap to read it, with or without a connection.'
        : listed(items.map((i) => i.title)),
      data,
      ...(single && maxActions() > 0 ? { actions: [{ action: 'read', title: 'Read now' }] } : {}),
    },
  );
}

async function showFailed(records: ArticleRecord[]): Promise<void> {
  const items = await withShownItems(FAILED_TAG, records);
  const [only] = items;
  const single = items.length === 1 && only;
  await self.registration.showNotification(
    single ? `Could not fetch: ${only.title}` : `Could not fetch ${items.length} articles`,
    {
      tag: FAILED_TAG,
      icon: ICON,
      body: single ? (only.lastError ?? 'The page could not be fetched.') : listed(items.map((i) => i.title)),
      data: { url: '/saved', items } satisfies NotificationData,
    },
  );
}

async function showActionsFailed(records: ActionRecord[]): Promise<void> {
  const items = await withShownItems(
    ACTION_FAILED_TAG,
    records.map(({ id, label, lastError }) => ({ itemId: id, title: label, lastError })),
  );
  const [only] = items;
  const single = items.length === 1 && only;
  await self.registration.showNotification(
    single ? `Not done: ${only.title}` : `${items.length} changes could not be made`,
    {
      tag: ACTION_FAILED_TAG,
      icon: ICON,
      body: single ? (only.lastError ?? 'The server refused it.') : listed(items.map((i) => i.title)),
      data: { url: '/sources', items } satisfies NotificationData,
    },
  );
}

/**
 * A window of the site on screen already shows every outcome (it gets the state messages), so a system
 * notification would only interrupt: the reader is told by notification only when no window is looking.
 */
export async function readerIsLooking(): Promise<boolean> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  return windows.some((client) => client.visibilityState === 'visible' || client.focused);
}

/** Tells the reader about requests that ended since the last time, once each. */
export async function notifyOutcomes(): Promise<void> {
  const [outcomes, refused] = await Promise.all([unnotifiedOutcomes(), unnotifiedActionFailures()]);
  if (outcomes.length + refused.length === 0) return;
  const { notifyWhenReady } = await getSettings();
  if (notifyWhenReady && canNotify() && !(await readerIsLooking())) {
    const ready = outcomes.filter((record) => record.state === 'ready');
    const failed = outcomes.filter((record) => record.state === 'failed');
    if (ready.length > 0) await showReady(ready);
    if (failed.length > 0) await showFailed(failed);
    if (refused.length > 0) await showActionsFailed(refused);
  }
  // Marked even when not shown: turning notifications on later, or leaving the page, must not replay old news.
  await markNotified(outcomes.map((record) => record.itemId));
  await markActionsNotified(refused.map((record) => record.id));
}

/**
 * After a background refresh, when the reader asked for it: in the system tray, or, while a window of the site is on
 * screen, on that page (it offers to show them), which needs no permission.
 */
export async function notifyNewArticles(titles: string[]): Promise<void> {
  if (titles.length === 0 || !(await getSettings()).notifyNewArticles) return;
  if (await readerIsLooking()) return broadcast({ type: 'new-articles', url: '/', titles, source: null });
  if (!canNotify()) return;
  await self.registration.showNotification(
    titles.length === 1 ? `New to read offline: ${titles[0]}` : `${titles.length} new articles to read offline`,
    {
      tag: NEW_ARTICLES_TAG,
      icon: ICON,
      body: listed(titles),
      data: { url: '/', items: [] } satisfies NotificationData,
    },
  );
}
