// Per-source notifications, in Node with a real IndexedDB (fake-indexeddb) and the edge's items API answered by a
// stand-in: what was there when the reader asked is not news; one notification per source per run, replacing the
// last (the counts add up while it is still shown); none while the site is on screen; at most the cap a day.
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ItemSummary } from '../../contract/http.ts';
import { SOURCE_NOTIFICATIONS_PER_DAY } from '../../contract/messages.ts';
import {
  notifyChosenSources,
  SOURCE_SETTINGS_DB,
  setSourceNotify,
  sourceNotifications,
} from '../../sw/source-notifications.ts';
import { openWindow, shownNotifications, told } from './support/worker-globals.ts';

const FEED = 7;
const TAG = `source-${FEED}`;
const DAY = Date.parse('2026-03-01T09:00:00');
const HOUR = 60 * 60 * 1000;

/** The edge's newest items for the source, newest first, as GET /api/items?feed= answers them. */
let newest: string[] = [];

const item = (id: string): ItemSummary => ({
  id,
  feedId: FEED,
  title: `Story ${id}`,
  url: null,
  author: null,
  publishedAt: null,
  summary: '',
  imageUrl: null,
});

beforeEach(async () => {
  await deleteDB(SOURCE_SETTINGS_DB);
  newest = [];
  vi.stubGlobal('fetch', async (url: string) => {
    expect(url).toBe(`/api/items?feed=${FEED}&limit=50`);
    return Response.json({ items: newest.map(item), next: null });
  });
  openWindow.visibilityState = 'hidden';
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function arrive(...ids: string[]): Promise<void> {
  newest = [...ids, ...newest];
}

describe('notify me of new articles, per source', () => {
  it('takes what is there when the reader asks as told, then tells what arrives, opening the source', async () => {
    await arrive('a', 'b');
    expect(await setSourceNotify({ feedId: FEED, title: 'Harbour Town Courier', notify: true }, DAY)).toEqual({
      feedIds: [FEED],
      perDay: SOURCE_NOTIFICATIONS_PER_DAY,
    });
    expect(await notifyChosenSources(DAY)).toEqual([{ feedId: FEED, fresh: 0, shown: false }]);
    expect(shownNotifications.size).toBe(0);

    await arrive('c', 'd', 'e');
    await notifyChosenSources(DAY + HOUR);
    const shown = shownNotifications.get(TAG);
    expect(shown?.title).toBe('3 new from Harbour Town Courier');
    expect(shown?.options.data).toMatchObject({ url: `/?feed=${FEED}` });
    expect(shown?.options.body).toBe('Story c · Story d · Story e');
  });

  it('replaces its last notification, counting the items still shown in it', async () => {
    await setSourceNotify({ feedId: FEED, title: 'Harbour Town Courier', notify: true }, DAY);
    await arrive('a');
    await notifyChosenSources(DAY);
    await arrive('b');
    await notifyChosenSources(DAY + HOUR);
    expect(shownNotifications.get(TAG)?.title).toBe('2 new from Harbour Town Courier');
    expect(shownNotifications.size).toBe(1);
    // Nothing new: no notification at all.
    shownNotifications.clear();
    await notifyChosenSources(DAY + 2 * HOUR);
    expect(shownNotifications.size).toBe(0);
  });

  it('tells the page on screen instead of the tray, and does not tell those items later', async () => {
    await setSourceNotify({ feedId: FEED, title: 'Harbour Town Courier', notify: true }, DAY);
    openWindow.visibilityState = 'visible';
    await arrive('a');
    expect(await notifyChosenSources(DAY)).toEqual([{ feedId: FEED, fresh: 1, shown: false }]);
    expect(told).toEqual([
      { type: 'new-articles', url: `/?feed=${FEED}`, titles: ['Story a'], source: 'Harbour Town Courier' },
    ]);
    openWindow.visibilityState = 'hidden';
    await notifyChosenSources(DAY + HOUR);
    expect(shownNotifications.size).toBe(0);
    expect(told).toHaveLength(1);
  });

  it('tells the page on screen even where notifications are not allowed, and the tray nothing', async () => {
    await setSourceNotify({ feedId: FEED, title: 'Harbour Town Courier', notify: true }, DAY);
    vi.stubGlobal('Notification', { permission: 'denied', maxActions: 0 });
    await arrive('a');
    openWindow.visibilityState = 'hidden';
    await notifyChosenSources(DAY);
    expect(shownNotifications.size).toBe(0);
    expect(told).toEqual([]);
    openWindow.visibilityState = 'visible';
    await arrive('b');
    await notifyChosenSources(DAY + HOUR);
    expect(told.map((message) => message.type === 'new-articles' && message.titles)).toEqual([['Story b']]);
  });

  it(`shows at most ${SOURCE_NOTIFICATIONS_PER_DAY} a day per source, and again the next day`, async () => {
    await setSourceNotify({ feedId: FEED, title: 'Harbour Town Courier', notify: true }, DAY);
    const shownEachRun: boolean[] = [];
    for (let run = 0; run < SOURCE_NOTIFICATIONS_PER_DAY + 2; run += 1) {
      await arrive(`n${run}`);
      const [result] = await notifyChosenSources(DAY + run * HOUR);
      shownEachRun.push(result?.shown ?? false);
    }
    expect(shownEachRun).toEqual([...Array<boolean>(SOURCE_NOTIFICATIONS_PER_DAY).fill(true), false, false]);
    shownNotifications.clear();
    await arrive('tomorrow');
    const [next] = await notifyChosenSources(DAY + 24 * HOUR);
    expect(next).toEqual({ feedId: FEED, fresh: 1, shown: true });
    // Only the news since the last one shown: what the cap held back was news once, on its day.
    expect(shownNotifications.get(TAG)?.title).toBe('1 new from Harbour Town Courier');
  });

  it('turned off, asks the edge nothing and shows nothing', async () => {
    await setSourceNotify({ feedId: FEED, title: 'Harbour Town Courier', notify: true }, DAY);
    await setSourceNotify({ feedId: FEED, title: 'Harbour Town Courier', notify: false }, DAY);
    expect((await sourceNotifications()).feedIds).toEqual([]);
    vi.stubGlobal('fetch', () => {
      throw new Error('no request expected');
    });
    await arrive('a');
    expect(await notifyChosenSources(DAY)).toEqual([]);
    expect(shownNotifications.size).toBe(0);
  });
});
