// Read marks on a real IndexedDB: marking read and unread, asking which items are read, the bounds (age and
// number), a prefetched article read before it arrived, and a version-2 database upgraded with its data kept.
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { readUrl } from '../../contract/paths.ts';
import { addPrefetched, getArticle, saveArticle, setUnread, unreadCount } from '../../sw/library.ts';
import {
  forgetOldReadMarks,
  isRead,
  READ_MARK_DAYS,
  READ_MARK_LIMIT,
  readAmong,
  readMarkCount,
  setRead,
} from '../../sw/read-state.ts';
import { openReaderDb } from '../../sw/reader-db.ts';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const DAY = 86_400_000;

const prefetch = (itemId: string) =>
  addPrefetched(
    {
      itemId,
      title: `Prefetched ${itemId}`,
      publishedAt: null,
      bytes: 100,
      cachedUrls: [readUrl(itemId)],
      missingImages: [],
      imagesDueAt: null,
    },
    T0,
  );

describe('read marks', () => {
  it('an item is unread until marked read, and unread again when marked so', async () => {
    expect(await isRead('a')).toBe(false);
    expect(await setRead(['a', 'b'], true, T0)).toEqual(['a', 'b']);
    expect((await readAmong(['a', 'b', 'c'])).sort()).toEqual(['a', 'b']);
    expect(await setRead(['a'], false, T0)).toEqual(['a']);
    expect(await readAmong(['a', 'b', 'c'])).toEqual(['b']);
  });

  it('reports only the items whose state changed, and keeps the first reading time', async () => {
    await setRead(['a'], true, T0);
    expect(await setRead(['a', 'b', 'b'], true, T0 + 1000)).toEqual(['b']);
    expect(await setRead(['c'], false, T0)).toEqual([]);
    const db = await openReaderDb();
    expect((await db.get('reads', 'a'))?.readAt).toBe(T0);
  });

  it(`forgets marks made more than ${READ_MARK_DAYS} days ago`, async () => {
    await setRead(['old'], true, T0);
    await setRead(['recent'], true, T0 + (READ_MARK_DAYS - 1) * DAY);
    await forgetOldReadMarks(T0 + (READ_MARK_DAYS + 1) * DAY);
    expect(await readAmong(['old', 'recent'])).toEqual(['recent']);
  });

  it(`keeps at most ${READ_MARK_LIMIT} marks, forgetting the oldest first`, async () => {
    const ids = Array.from({ length: READ_MARK_LIMIT + 3 }, (_, n) => `item-${n}`);
    await setRead(['first', 'second'], true, T0 - 1);
    await setRead(ids, true, T0);
    expect(await readMarkCount()).toBe(READ_MARK_LIMIT);
    expect(await readAmong(['first', 'second'])).toEqual([]);
  });
});

describe('read marks and the app badge', () => {
  it('a prefetched article the reader read before it arrived does not count as unread', async () => {
    await setRead(['seen'], true, T0);
    await prefetch('seen');
    await prefetch('new');
    expect((await getArticle('seen'))?.unread).toBe(false);
    expect(await unreadCount()).toBe(1);
  });

  it("marking read and unread moves prefetched articles in and out of the badge, never the reader's saves", async () => {
    await prefetch('p');
    await setUnread(['p'], false);
    expect(await unreadCount()).toBe(0);
    await saveArticle({ itemId: 'mine', url: readUrl('mine'), title: 'Mine' }, T0);
    await setUnread(['p', 'absent', 'mine'], true);
    expect(await unreadCount()).toBe(1);
    expect((await getArticle('mine'))?.unread).toBe(false);
  });
});

describe('the upgrade to version 3', () => {
  it('adds the reads store and keeps what a version-2 database holds', async () => {
    const v2 = await openDB('offline-reader', 2, {
      upgrade(db) {
        db.createObjectStore('articles', { keyPath: 'itemId' }).createIndex('by-state', 'state');
        db.createObjectStore('actions', { keyPath: 'id' }).createIndex('by-state', 'state');
        db.createObjectStore('settings');
        db.createObjectStore('activity', { keyPath: 'id', autoIncrement: true });
        db.createObjectStore('remembered');
      },
    });
    await v2.put('remembered', 'etag-1', 'digestEtag');
    await v2.put('articles', { itemId: 'kept', state: 'ready', unread: true, saved: false });
    v2.close();

    const db = await openReaderDb();
    expect(db.objectStoreNames.contains('reads')).toBe(true);
    expect(await db.get('remembered', 'digestEtag')).toBe('etag-1');
    expect((await db.get('articles', 'kept'))?.state).toBe('ready');
    await setRead(['kept'], true, T0);
    expect(await isRead('kept')).toBe(true);
  });
});
