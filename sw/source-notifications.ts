// "Notify me of new articles" per source, a preference of this device (its own IndexedDB database: the choice, and
// what each source's notifications have already told). Each periodic sync asks the edge for each chosen source's
// newest items (one conditional request per source; a 304 moves nothing) and shows at most one notification per
// source: "3 new from Harbour Town Courier", replacing that source's previous one (its tag), a tap opening the list
// filtered to it (/?feed=ID, through sw/notification-click.ts). At most SOURCE_NOTIFICATIONS_PER_DAY a day per
// source, and none while a window of the site is on screen: that page tells of the news instead. New means arrived after the
// reader asked: the items there when they asked are taken as told.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ItemsPage, ItemSummary } from '../contract/http.ts';
import { SOURCE_NOTIFICATIONS_PER_DAY, type SourceNotifications } from '../contract/messages.ts';
import { itemsUrl } from '../contract/paths.ts';
import { broadcast } from './broadcast.ts';
import { readerIsLooking, type NotificationData } from './notify-batch.ts';

declare const self: ServiceWorkerGlobalScope;

export interface SourceNotifyRecord {
  feedId: number;
  /** What the notification calls the source: its title on /sources when the reader chose. */
  title: string;
  notify: boolean;
  /** Items already told of (or there when the reader asked), newest last; null until the first look. */
  seen: string[] | null;
  /** The ETag of the last look at the source's items, for If-None-Match. */
  etag: string | null;
  /** The device's day (YYYY-MM-DD, local) of `shownThatDay`. */
  day: string;
  shownThatDay: number;
}

interface SourceSettingsSchema extends DBSchema {
  sources: { key: number; value: SourceNotifyRecord };
}

export const SOURCE_SETTINGS_DB = 'offline-reader-source-settings';
/** A source's newest items looked at per run, and how many told ids are remembered (enough to never repeat). */
const LOOK_AT = 50;
const REMEMBER = 200;

let opened: Promise<IDBPDatabase<SourceSettingsSchema>> | null = null;

function openSourceSettings(): Promise<IDBPDatabase<SourceSettingsSchema>> {
  opened ??= openDB<SourceSettingsSchema>(SOURCE_SETTINGS_DB, 1, {
    upgrade(db) {
      db.createObjectStore('sources', { keyPath: 'feedId' });
    },
    blocking() {
      void opened?.then((db) => db.close());
      opened = null;
    },
    terminated() {
      opened = null;
    },
  });
  return opened;
}

const localDay = (now: number) => {
  const date = new Date(now);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
};

export const sourceTag = (feedId: number) => `source-${feedId}`;

export async function sourceNotifications(): Promise<SourceNotifications> {
  const records = await (await openSourceSettings()).getAll('sources');
  return {
    feedIds: records.filter((r) => r.notify).map((r) => r.feedId),
    perDay: SOURCE_NOTIFICATIONS_PER_DAY,
  };
}

/** The newest items of a source, or null when unchanged (304) or out of reach. */
async function newestItems(
  feedId: number,
  etag: string | null,
): Promise<{ items: ItemSummary[]; etag: string | null } | null> {
  try {
    const response = await fetch(itemsUrl({ feed: feedId, limit: LOOK_AT }), {
      cache: 'no-store',
      headers: etag ? { 'If-None-Match': etag } : {},
    });
    if (!response.ok) return null;
    return { items: ((await response.json()) as ItemsPage).items, etag: response.headers.get('ETag') };
  } catch {
    return null;
  }
}

/**
 * The reader's choice for one source. Turned on, the source's items there now are taken as told (when the edge
 * answers; else the first run takes them so, quietly), so only what arrives later is news.
 */
export async function setSourceNotify(
  choice: { feedId: number; title: string; notify: boolean },
  now = Date.now(),
): Promise<SourceNotifications> {
  const db = await openSourceSettings();
  const current = await db.get('sources', choice.feedId);
  const title = choice.title.trim().slice(0, 200) || current?.title || `Source ${choice.feedId}`;
  let record: SourceNotifyRecord = current ?? {
    feedId: choice.feedId,
    title,
    notify: false,
    seen: null,
    etag: null,
    day: localDay(now),
    shownThatDay: 0,
  };
  if (choice.notify && !record.notify) {
    const there = await newestItems(choice.feedId, null);
    record = { ...record, seen: there ? there.items.map((i) => i.id).reverse() : null, etag: there?.etag ?? null };
  }
  await db.put('sources', { ...record, title, notify: choice.notify });
  return sourceNotifications();
}

const canNotify = () => 'Notification' in self && Notification.permission === 'granted';

/** The items of the notification this one replaces, if the reader has not dismissed it, so the count adds up. */
async function stillShown(feedId: number): Promise<NotificationData['items']> {
  const shown = await self.registration.getNotifications({ tag: sourceTag(feedId) });
  return shown.flatMap((n) => (n.data as NotificationData | null)?.items ?? []);
}

async function show(record: SourceNotifyRecord, fresh: ItemSummary[]): Promise<void> {
  const freshIds = new Set(fresh.map((item) => item.id));
  const earlier = (await stillShown(record.feedId)).filter((item) => !freshIds.has(item.itemId));
  const items = [...fresh.map((item) => ({ itemId: item.id, title: item.title, lastError: null })), ...earlier];
  const titles = items.map((item) => item.title);
  await self.registration.showNotification(`${items.length} new from ${record.title}`, {
    tag: sourceTag(record.feedId),
    icon: '/icons/icon-192.png',
    body: titles.slice(0, 3).join(' · ') + (titles.length > 3 ? ` and ${titles.length - 3} more` : ''),
    data: { url: `/?feed=${record.feedId}`, items } satisfies NotificationData,
  });
}

export interface SourceRun {
  feedId: number;
  fresh: number;
  shown: boolean;
}

/** One look at every chosen source, after a periodic sync: what is new, told once, within the day's cap. */
export async function notifyChosenSources(now = Date.now()): Promise<SourceRun[]> {
  const db = await openSourceSettings();
  const chosen = (await db.getAll('sources')).filter((record) => record.notify);
  if (chosen.length === 0) return [];
  const looking = await readerIsLooking();
  const runs: SourceRun[] = [];
  for (const record of chosen) {
    const looked = await newestItems(record.feedId, record.etag);
    if (!looked) {
      runs.push({ feedId: record.feedId, fresh: 0, shown: false });
      continue;
    }
    const seen = new Set(record.seen ?? []);
    // The first look since the reader asked (the edge was out of reach then) sets what counts as told.
    const fresh = record.seen === null ? [] : looked.items.filter((item) => !seen.has(item.id));
    const today = localDay(now);
    const shownThatDay = record.day === today ? record.shownThatDay : 0;
    const shown = fresh.length > 0 && !looking && canNotify() && shownThatDay < SOURCE_NOTIFICATIONS_PER_DAY;
    if (shown) await show(record, fresh);
    // The reader is on a page of the site: the page tells of it, unobtrusively and outside the day's cap.
    if (fresh.length > 0 && looking)
      await broadcast({
        type: 'new-articles',
        url: `/?feed=${record.feedId}`,
        titles: fresh.map((item) => item.title),
        source: record.title,
      });
    // Told or not (the reader was looking, or the day's notifications were used up), news is news once.
    const told = [
      ...(record.seen ?? []),
      ...looked.items
        .map((i) => i.id)
        .reverse()
        .filter((id) => !seen.has(id)),
    ];
    // Written back over the current record: the reader may have changed the choice during the requests.
    const latest = await db.get('sources', record.feedId);
    if (latest)
      await db.put('sources', {
        ...latest,
        seen: told.slice(-REMEMBER),
        etag: looked.etag,
        day: today,
        shownThatDay: shownThatDay + (shown ? 1 : 0),
      });
    runs.push({ feedId: record.feedId, fresh: fresh.length, shown });
  }
  return runs;
}
