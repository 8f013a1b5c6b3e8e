// The library's state machine on a real IndexedDB: every move an article record may make, every one it refuses,
// what a removed entry leaves behind, and a page saved by its address filed under its article.
import { describe, expect, it } from 'vitest';
import { pageEntryId } from '../../contract/messages.ts';
import { readUrl, shareUrl } from '../../contract/paths.ts';
import { CACHES } from '../../sw/cache-names.ts';
import { LEASE_MS, leaseQueue, WORKER_INSTANCE } from '../../sw/lease-queue.ts';
import {
  addPrefetched,
  articlesMissingImages,
  claimArticle,
  claimArticles,
  clearArticles,
  getArticle,
  keepArticle,
  listArticles,
  markNotified,
  markRead,
  prefetchedArticles,
  queuedArticles,
  reclaimArticleLeases,
  removeArticle,
  retryArticle,
  saveArticle,
  savePage,
  settleArticle,
  settleArticles,
  settleImages,
  unnotifiedOutcomes,
  unreadCount,
  type Settlement,
} from '../../sw/library.ts';
import { makeRoom } from '../../sw/make-room.ts';
import { enforceOfflinePolicy } from '../../sw/prefetch-bounds.ts';
import { memoryCaches, ORIGIN, told } from './support/worker-globals.ts';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const item = (id: string, title = `Article ${id}`) => ({ itemId: id, url: readUrl(id), title });
const copy = (path: string) => `${ORIGIN}${path}`;
const copiesOf = (id: string) => [copy(`/api/articles/${id}`), copy(readUrl(id)), copy(`/img?u=${id}.png`)];

const ready = (id: string, extra: Partial<Extract<Settlement, { kind: 'ready' }>> = {}): Settlement => ({
  kind: 'ready',
  title: `Fetched ${id}`,
  publishedAt: '2026-02-28T10:00:00Z',
  bytes: 300,
  cachedUrls: copiesOf(id),
  missingImages: [],
  imagesDueAt: null,
  ...extra,
});

async function cacheCopies(cacheName: string, urls: string[]): Promise<void> {
  const cache = await caches.open(cacheName);
  for (const url of urls) await cache.put(url, new Response(`copy of ${url}`));
}

const cachedIn = (cacheName: string) => [...(memoryCaches.named.get(cacheName)?.entries.keys() ?? [])].sort();

/** Saved, claimed and fetched: a ready entry of the reader's, its copies in the saved cache. */
async function readySaved(id: string): Promise<void> {
  await saveArticle(item(id), T0);
  await claimArticle(id, T0);
  await cacheCopies(CACHES.saved, copiesOf(id));
  await settleArticle(id, ready(id), T0 + 1);
}

async function readyPrefetched(id: string, cachedUrls = copiesOf(id)): Promise<void> {
  await cacheCopies(CACHES.prefetched, cachedUrls);
  await addPrefetched(
    {
      itemId: id,
      title: `Prefetched ${id}`,
      publishedAt: null,
      bytes: 100,
      cachedUrls,
      missingImages: [],
      imagesDueAt: null,
    },
    T0,
  );
}

async function failed(id: string): Promise<void> {
  await saveArticle(item(id), T0);
  await claimArticle(id, T0);
  await settleArticle(id, { kind: 'fail', error: 'The publisher removed this page.' }, T0 + 1);
}

describe('saving: (none) → queued', () => {
  it('queues a new entry as the reader’s own, due now, and tells the page', async () => {
    const entry = await saveArticle(item('a'), T0);
    expect(entry).toEqual({
      itemId: 'a',
      url: '/read/a',
      title: 'Article a',
      state: 'queued',
      attempts: 0,
      nextAttemptAt: T0,
      lastError: null,
      createdAt: T0,
      readyAt: null,
      publishedAt: null,
      bytes: null,
      saved: true,
      unread: false,
    });
    expect(await getArticle('a')).toMatchObject({ lease: null, notified: false, cachedUrls: [] });
    expect(told).toEqual([{ type: 'offline-entry', entry }]);
    expect((await queuedArticles()).map((r) => r.itemId)).toEqual(['a']);
  });

  it('is idempotent for a queued entry: one entry, its due time and creation kept', async () => {
    await saveArticle(item('a', ''), T0);
    const again = await saveArticle(item('a', 'Now with a title'), T0 + 5000);
    expect(again).toMatchObject({ state: 'queued', createdAt: T0, nextAttemptAt: T0, title: 'Now with a title' });
    expect(await listArticles()).toHaveLength(1);
  });

  it('leaves an entry being fetched as it is, lease and all', async () => {
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    expect(await saveArticle(item('a'), T0 + 10)).toMatchObject({ state: 'fetching', attempts: 1 });
    expect((await getArticle('a'))?.lease).toEqual({ owner: WORKER_INSTANCE, until: T0 + LEASE_MS });
  });

  it('makes a prefetched article the reader’s own, its copies moved to the kept cache', async () => {
    await readyPrefetched('p');
    expect(await saveArticle(item('p'), T0 + 10)).toMatchObject({ state: 'ready', saved: true, unread: false });
    expect(cachedIn(CACHES.saved)).toEqual([...copiesOf('p')].sort());
    expect(cachedIn(CACHES.prefetched)).toEqual([]);
  });

  it('keeps a ready saved entry ready (no second fetch)', async () => {
    await readySaved('a');
    expect(await saveArticle(item('a'), T0 + 10)).toMatchObject({ state: 'ready', attempts: 1, readyAt: T0 + 1 });
    expect(await queuedArticles()).toEqual([]);
  });

  it('queues a failed entry again from the first attempt, keeping when it was first asked for', async () => {
    await failed('a');
    expect(await saveArticle(item('a'), T0 + 60_000)).toMatchObject({
      state: 'queued',
      attempts: 0,
      nextAttemptAt: T0 + 60_000,
      lastError: null,
      createdAt: T0,
      saved: true,
    });
  });
});

describe('claiming: queued → fetching', () => {
  it('takes a queued entry with this worker’s lease and counts the attempt', async () => {
    await saveArticle(item('a'), T0);
    told.length = 0;
    const claimed = await claimArticle('a', T0 + 100);
    expect(claimed).toMatchObject({
      state: 'fetching',
      attempts: 1,
      lease: { owner: WORKER_INSTANCE, until: T0 + 100 + LEASE_MS },
      updatedAt: T0 + 100,
    });
    expect(told).toEqual([
      { type: 'offline-entry', entry: expect.objectContaining({ itemId: 'a', state: 'fetching' }) },
    ]);
    expect(await queuedArticles()).toEqual([]);
  });

  it('refuses what is not queued, or not there, and changes nothing', async () => {
    await saveArticle(item('fetching'), T0);
    await claimArticle('fetching', T0);
    await readySaved('ready');
    await failed('failed');
    const before = await Promise.all(['fetching', 'ready', 'failed'].map(getArticle));
    told.length = 0;
    for (const id of ['fetching', 'ready', 'failed', 'missing']) expect(await claimArticle(id, T0 + 50)).toBeNull();
    expect(await Promise.all(['fetching', 'ready', 'failed'].map(getArticle))).toEqual(before);
    expect(await getArticle('missing')).toBeUndefined();
    expect(told).toEqual([]);
  });
});

describe('settling: fetching → ready | queued | failed', () => {
  it('ready: copies recorded, lease released, pictures that failed due again later', async () => {
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    const record = await settleArticle(
      'a',
      ready('a', { missingImages: ['/img?u=late.png'], imagesDueAt: T0 + 9000 }),
      T0 + 500,
    );
    expect(record).toMatchObject({
      state: 'ready',
      title: 'Fetched a',
      bytes: 300,
      readyAt: T0 + 500,
      lease: null,
      lastError: null,
      cachedUrls: copiesOf('a'),
      missingImages: ['/img?u=late.png'],
      imageAttempts: 1,
      nextAttemptAt: T0 + 9000,
      notified: false,
    });
    expect((await articlesMissingImages()).map((r) => r.itemId)).toEqual(['a']);
    expect((await unnotifiedOutcomes()).map((r) => r.itemId)).toEqual(['a']);
  });

  it('ready with every picture: nothing more is due', async () => {
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    expect(await settleArticle('a', ready('a'), T0 + 500)).toMatchObject({
      nextAttemptAt: null,
      imageAttempts: 0,
      missingImages: [],
    });
    expect(await articlesMissingImages()).toEqual([]);
  });

  it('retry: back in the queue at the time given, the attempt counted', async () => {
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    const record = await settleArticle(
      'a',
      { kind: 'retry', error: 'The server answered 503.', nextAttemptAt: T0 + 2000, countAttempt: true },
      T0 + 1,
    );
    expect(record).toMatchObject({
      state: 'queued',
      attempts: 1,
      nextAttemptAt: T0 + 2000,
      lastError: 'The server answered 503.',
      lease: null,
    });
  });

  it('retry while offline: the attempt is not counted', async () => {
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    const record = await settleArticle(
      'a',
      { kind: 'retry', error: 'Waiting for a connection.', nextAttemptAt: T0 + 1000, countAttempt: false },
      T0 + 1,
    );
    expect(record).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('fail: out of the queue with the reason, for the reader to be told', async () => {
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    const record = await settleArticle('a', { kind: 'fail', error: 'The publisher removed this page.' }, T0 + 1);
    expect(record).toMatchObject({
      state: 'failed',
      nextAttemptAt: null,
      lastError: 'The publisher removed this page.',
      lease: null,
      notified: false,
    });
    expect(await queuedArticles()).toEqual([]);
    expect((await unnotifiedOutcomes()).map((r) => r.state)).toEqual(['failed']);
  });

  it('a late failure for an entry that is ready changes nothing', async () => {
    await readySaved('a');
    const before = await getArticle('a');
    expect(await settleArticle('a', { kind: 'fail', error: 'late' }, T0 + 9)).toEqual(before);
    expect(
      await settleArticle('a', { kind: 'retry', error: 'late', nextAttemptAt: T0 + 99, countAttempt: true }, T0 + 9),
    ).toEqual(before);
    expect(await getArticle('a')).toEqual(before);
  });

  it('is written even when the lease was taken back meanwhile: the outcome is the same', async () => {
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    await reclaimArticleLeases(T0 + LEASE_MS + 1);
    expect(await settleArticle('a', ready('a'), T0 + LEASE_MS + 2)).toMatchObject({ state: 'ready', lease: null });
  });
});

describe('retrying: failed | queued → queued', () => {
  it('the reader’s retry starts a failed entry again from the first attempt, now', async () => {
    await failed('a');
    expect(await retryArticle('a', T0 + 7000)).toMatchObject({
      state: 'queued',
      attempts: 0,
      nextAttemptAt: T0 + 7000,
      lastError: null,
    });
    expect(await getArticle('a')).toMatchObject({ notified: false });
  });

  it('brings a queued entry waiting for its backoff forward', async () => {
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    await settleArticle('a', { kind: 'retry', error: '503', nextAttemptAt: T0 + 600_000, countAttempt: true }, T0 + 1);
    expect(await retryArticle('a', T0 + 2)).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: T0 + 2 });
  });

  it('refuses a ready or fetching entry (answering with it as it is) and a missing one', async () => {
    await readySaved('ready');
    await saveArticle(item('busy'), T0);
    await claimArticle('busy', T0);
    told.length = 0;
    expect(await retryArticle('ready', T0 + 5)).toMatchObject({ state: 'ready', attempts: 1 });
    expect(await retryArticle('busy', T0 + 5)).toMatchObject({ state: 'fetching', attempts: 1 });
    expect(await retryArticle('missing', T0 + 5)).toBeNull();
    expect(told).toEqual([]);
  });
});

describe('reclaiming: fetching → queued', () => {
  it('takes back another worker’s lease at once and its own once it ran out, keeping the attempt count', async () => {
    const otherWorker = leaseQueue('articles', { busy: 'fetching', instance: 'stopped-worker' });
    await saveArticle(item('theirs'), T0);
    await saveArticle(item('ours'), T0);
    await otherWorker.take('theirs', T0);
    await claimArticle('ours', T0);

    // Only theirs goes back (the count tells a drain to list the outbox again).
    expect(await reclaimArticleLeases(T0 + 1)).toBe(1);
    expect(await getArticle('theirs')).toMatchObject({
      state: 'queued',
      lease: null,
      attempts: 1,
      nextAttemptAt: T0 + 1,
    });
    expect(await getArticle('ours')).toMatchObject({ state: 'fetching', lease: { owner: WORKER_INSTANCE } });

    expect(await reclaimArticleLeases(T0 + LEASE_MS)).toBe(1);
    expect(await getArticle('ours')).toMatchObject({
      state: 'queued',
      lease: null,
      attempts: 1,
      nextAttemptAt: T0 + LEASE_MS,
    });
    expect(
      told
        .filter((m) => m.type === 'offline-entry' && m.entry.state === 'queued')
        .map((m) => m.type === 'offline-entry' && m.entry.itemId),
    ).toEqual(['theirs', 'ours', 'theirs', 'ours']);
  });
});

describe('removing: any → (none)', () => {
  it('deletes the entry and its copies, but not the pictures another entry keeps', async () => {
    const shared = copy('/img?u=logo.png');
    await readyPrefetched('p', [...copiesOf('p'), shared]);
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    await cacheCopies(CACHES.saved, [...copiesOf('a'), shared]);
    await settleArticle('a', ready('a', { cachedUrls: [...copiesOf('a'), shared] }), T0 + 1);
    told.length = 0;

    await removeArticle('a');
    expect(await getArticle('a')).toBeUndefined();
    expect(told).toEqual([{ type: 'offline-entry-removed', itemId: 'a' }]);
    expect(cachedIn(CACHES.saved)).toEqual([shared]);
    expect(cachedIn(CACHES.prefetched)).toEqual([...copiesOf('p'), shared].sort());
    expect(await getArticle('p')).toMatchObject({ state: 'ready', cachedUrls: [...copiesOf('p'), shared] });
  });

  it('an entry removed while it was fetched stays removed, and the copies the fetch made go', async () => {
    const shared = copy('/img?u=logo.png');
    await readyPrefetched('p', [shared]);
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    await removeArticle('a');
    await cacheCopies(CACHES.saved, [...copiesOf('a'), shared]);

    expect(await settleArticle('a', ready('a', { cachedUrls: [...copiesOf('a'), shared] }), T0 + 1)).toBeNull();
    expect(await getArticle('a')).toBeUndefined();
    // A picture another entry lists is kept, in whichever cache it is.
    expect(cachedIn(CACHES.saved)).toEqual([shared]);
    expect(cachedIn(CACHES.prefetched)).toEqual([shared]);
    expect(await settleArticle('a', { kind: 'fail', error: 'x' }, T0 + 2)).toBeNull();
    expect(await getArticle('a')).toBeUndefined();
  });

  it('pictures fetched again for an entry removed meanwhile go too; the entry is not brought back', async () => {
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    await settleArticle('a', ready('a', { missingImages: [copy('/img?u=late.png')], imagesDueAt: T0 + 10 }), T0 + 1);
    await removeArticle('a');
    await cacheCopies(CACHES.saved, [copy('/img?u=late.png')]);
    await settleImages(
      'a',
      { cachedUrls: [copy('/img?u=late.png')], bytes: 50, missing: [], nextAttemptAt: T0 + 20 },
      T0 + 11,
    );
    expect(await getArticle('a')).toBeUndefined();
    expect(cachedIn(CACHES.saved)).toEqual([]);
  });

  it('clearing removes every entry and every kept copy', async () => {
    await readySaved('a');
    await readyPrefetched('p');
    await saveArticle(item('q'), T0);
    told.length = 0;
    await clearArticles();
    expect(await listArticles()).toEqual([]);
    expect(await memoryCaches.has(CACHES.saved)).toBe(false);
    expect(await memoryCaches.has(CACHES.prefetched)).toBe(false);
    expect(told.map((m) => m.type === 'offline-entry-removed' && m.itemId).sort()).toEqual(['a', 'p', 'q']);
  });
});

describe('a page saved by its address', () => {
  const pageUrl = 'https://news.example/story?id=7';

  it('waits under a provisional id, and saving the address again is the same entry', async () => {
    const entry = await savePage({ pageUrl, title: '' }, T0);
    expect(entry).toMatchObject({
      itemId: pageEntryId(pageUrl),
      url: shareUrl(pageUrl),
      title: pageUrl,
      pageUrl,
      state: 'queued',
      saved: true,
    });
    await savePage({ pageUrl, title: 'Story' }, T0 + 5);
    expect(await listArticles()).toHaveLength(1);
  });

  it('is filed under its article’s id once read, and the address then finds that entry', async () => {
    const provisional = pageEntryId(pageUrl);
    await savePage({ pageUrl, title: 'Story' }, T0);
    await claimArticle(provisional, T0);
    told.length = 0;
    const filed = await settleArticle(provisional, ready('art-7', { articleId: 'art-7' }), T0 + 100);

    expect(filed).toMatchObject({
      itemId: 'art-7',
      url: readUrl('art-7'),
      pageUrl,
      state: 'ready',
      saved: true,
      createdAt: T0,
      lease: null,
    });
    expect(await getArticle(provisional)).toBeUndefined();
    expect((await listArticles()).map((e) => e.itemId)).toEqual(['art-7']);
    expect(told.map((m) => m.type)).toEqual(['offline-entry-removed', 'offline-entry']);
    expect(told[0]).toEqual({ type: 'offline-entry-removed', itemId: provisional });

    expect(await savePage({ pageUrl, title: 'Story' }, T0 + 200)).toMatchObject({ itemId: 'art-7', state: 'ready' });
    expect(await listArticles()).toHaveLength(1);
  });

  it('joins the article’s prefetched entry: one entry, the reader’s, with both sets of copies kept', async () => {
    const provisional = pageEntryId(pageUrl);
    const prefetchedCopies = [copy('/img?u=old.png')];
    await readyPrefetched('art-7', prefetchedCopies);
    await savePage({ pageUrl, title: 'Story' }, T0 - 1000);
    await claimArticle(provisional, T0);
    const filed = await settleArticle(provisional, ready('art-7', { articleId: 'art-7' }), T0 + 100);

    expect(filed).toMatchObject({ itemId: 'art-7', saved: true, createdAt: T0 - 1000 });
    expect([...(filed?.cachedUrls ?? [])].sort()).toEqual([...copiesOf('art-7'), ...prefetchedCopies].sort());
    expect(await listArticles()).toHaveLength(1);
    expect(cachedIn(CACHES.prefetched)).toEqual([]);
    expect(cachedIn(CACHES.saved)).toEqual(prefetchedCopies);
  });

  it('a failure keeps it under its provisional id, for the reader to retry', async () => {
    const provisional = pageEntryId(pageUrl);
    await savePage({ pageUrl, title: 'Story' }, T0);
    await claimArticle(provisional, T0);
    await settleArticle(provisional, { kind: 'fail', error: 'Not a readable page.' }, T0 + 1);
    expect(await getArticle(provisional)).toMatchObject({ state: 'failed', pageUrl });
    expect(await savePage({ pageUrl, title: 'Story' }, T0 + 2)).toMatchObject({
      itemId: provisional,
      state: 'queued',
      pageUrl,
    });
  });
});

describe('prefetched articles', () => {
  it('(none) → ready: unread, already notified, not the reader’s', async () => {
    await readyPrefetched('p');
    expect(await getArticle('p')).toMatchObject({
      state: 'ready',
      saved: false,
      unread: true,
      notified: true,
      url: readUrl('p'),
      readyAt: T0,
    });
    expect(await unreadCount()).toBe(1);
    expect((await prefetchedArticles()).map((r) => r.itemId)).toEqual(['p']);
    expect(await unnotifiedOutcomes()).toEqual([]);
  });

  it('never replaces an entry the reader saved meanwhile', async () => {
    await saveArticle(item('p'), T0);
    told.length = 0;
    await readyPrefetched('p');
    expect(await getArticle('p')).toMatchObject({ state: 'queued', saved: true, unread: false });
    expect(told).toEqual([]);
  });

  it('reading one clears it from the badge and notes when, once', async () => {
    await readyPrefetched('p');
    told.length = 0;
    await markRead('p', T0 + 50);
    expect(await getArticle('p')).toMatchObject({ unread: false, lastReadAt: T0 + 50 });
    expect(await unreadCount()).toBe(0);
    await markRead('p', T0 + 60);
    expect(await getArticle('p')).toMatchObject({ lastReadAt: T0 + 60 });
    expect(told).toHaveLength(1);
  });
});

describe('ready → ready', () => {
  it('pictures fetched again join the copies; those still missing wait for the next time', async () => {
    const [late, later] = [copy('/img?u=late.png'), copy('/img?u=later.png')];
    await saveArticle(item('a'), T0);
    await claimArticle('a', T0);
    await settleArticle('a', ready('a', { missingImages: [late, later], imagesDueAt: T0 + 10 }), T0 + 1);
    await settleImages('a', { cachedUrls: [late], bytes: 40, missing: [later], nextAttemptAt: T0 + 4000 }, T0 + 11);
    expect(await getArticle('a')).toMatchObject({
      state: 'ready',
      cachedUrls: [...copiesOf('a'), late],
      bytes: 340,
      missingImages: [later],
      imageAttempts: 2,
      nextAttemptAt: T0 + 4000,
    });
    await settleImages('a', { cachedUrls: [later], bytes: 10, missing: [], nextAttemptAt: T0 + 9000 }, T0 + 4001);
    expect(await getArticle('a')).toMatchObject({ missingImages: [], nextAttemptAt: null, imageAttempts: 3 });
    expect(await articlesMissingImages()).toEqual([]);
  });

  it('refuses pictures for an entry that is not ready', async () => {
    await saveArticle(item('a'), T0);
    const before = await getArticle('a');
    await settleImages('a', { cachedUrls: [copy('/img?u=x.png')], bytes: 10, missing: [], nextAttemptAt: T0 }, T0 + 1);
    expect(await getArticle('a')).toEqual(before);
  });

  it('the reader is told of each outcome once', async () => {
    await readySaved('a');
    await failed('b');
    expect((await unnotifiedOutcomes()).map((r) => r.itemId).sort()).toEqual(['a', 'b']);
    await markNotified(['a', 'b', 'missing']);
    expect(await unnotifiedOutcomes()).toEqual([]);
    expect(await getArticle('missing')).toBeUndefined();
  });
});

describe('a batch: claimArticles and settleArticles, one transaction each', () => {
  it('claims the queued entries only, and settles each on its own outcome, a removed one staying removed', async () => {
    for (const id of ['a', 'b', 'c', 'gone', 'removed']) await saveArticle(item(id), T0);
    await claimArticle('b', T0);
    const claimed = await claimArticles(['a', 'b', 'c', 'gone', 'removed', 'never-saved'], T0 + 10);
    expect(claimed.map((r) => r.itemId)).toEqual(['a', 'c', 'gone', 'removed']);
    expect(claimed.every((r) => r.state === 'fetching' && r.attempts === 1 && r.lease?.owner === WORKER_INSTANCE)).toBe(
      true,
    );

    await removeArticle('removed');
    await cacheCopies(CACHES.saved, [...copiesOf('a'), ...copiesOf('removed')]);
    const settled = await settleArticles(
      [
        { itemId: 'a', settlement: ready('a', { missingImages: [copy('/img?u=a.png')], imagesDueAt: T0 + 20 }) },
        {
          itemId: 'c',
          settlement: {
            kind: 'retry',
            error: 'The server answered 502; trying again later.',
            nextAttemptAt: T0 + 60_000,
            countAttempt: true,
          },
        },
        { itemId: 'gone', settlement: { kind: 'fail', error: 'The publisher removed this page.' } },
        { itemId: 'removed', settlement: ready('removed') },
      ],
      T0 + 20,
    );
    expect(settled.map((r) => r?.state ?? null)).toEqual(['ready', 'queued', 'failed', null]);
    expect(await getArticle('a')).toMatchObject({
      state: 'ready',
      lease: null,
      missingImages: [copy('/img?u=a.png')],
      nextAttemptAt: T0 + 20,
    });
    expect(await getArticle('c')).toMatchObject({
      state: 'queued',
      attempts: 1,
      nextAttemptAt: T0 + 60_000,
      lease: null,
    });
    expect(await getArticle('gone')).toMatchObject({ state: 'failed', lastError: 'The publisher removed this page.' });
    expect(await getArticle('removed')).toBeUndefined();
    expect(cachedIn(CACHES.saved)).toEqual(copiesOf('a').sort());
    expect((await articlesMissingImages()).map((r) => r.itemId)).toEqual(['a']);
  });

  it('claims an id asked twice once, and announces the whole claim together', async () => {
    await saveArticle(item('a'), T0);
    told.length = 0;
    const claimed = await claimArticles(['a', 'a'], T0 + 10);
    expect(claimed.map((r) => [r.itemId, r.attempts])).toEqual([['a', 1]]);
    expect(await getArticle('a')).toMatchObject({ state: 'fetching', attempts: 1 });
    expect(told).toEqual([expect.objectContaining({ type: 'offline-entry' })]);
  });

  it('a page filed under an article settled in the same batch: the later settlement sees the filed entry', async () => {
    const pageUrl = 'https://news.example/story?id=9';
    const provisional = pageEntryId(pageUrl);
    await savePage({ pageUrl, title: 'Story' }, T0);
    await saveArticle(item('art-9'), T0 + 1);
    await claimArticles([provisional, 'art-9'], T0 + 10);
    const settled = await settleArticles(
      [
        {
          itemId: provisional,
          settlement: ready('art-9', { articleId: 'art-9', cachedUrls: [copy(readUrl('art-9'))] }),
        },
        { itemId: 'art-9', settlement: ready('art-9', { cachedUrls: [copy('/img?u=art-9.png')] }) },
      ],
      T0 + 20,
    );
    expect(settled.map((r) => r?.itemId)).toEqual(['art-9', 'art-9']);
    expect(await getArticle(provisional)).toBeUndefined();
    expect(await listArticles()).toHaveLength(1);
    // The second settlement started from the filed entry (the page's address kept), not the one read before it.
    expect(await getArticle('art-9')).toMatchObject({ state: 'ready', pageUrl, saved: true, createdAt: T0 });
  });
});

describe('keep: ready, prefetched → ready, saved', () => {
  it('makes it the reader’s, read, its copies in the kept cache, and tells the page', async () => {
    await readyPrefetched('p');
    told.length = 0;
    expect(await keepArticle('p', T0 + 10)).toMatchObject({ state: 'ready', saved: true, unread: false });
    expect(cachedIn(CACHES.saved)).toEqual([...copiesOf('p')].sort());
    expect(cachedIn(CACHES.prefetched)).toEqual([]);
    expect(await prefetchedArticles()).toEqual([]);
    expect(told).toContainEqual(
      expect.objectContaining({ type: 'offline-entry', entry: expect.objectContaining({ itemId: 'p', saved: true }) }),
    );
  });

  it('outlives what bounds the background refresh: trimming to none and making room leave it', async () => {
    await readyPrefetched('kept');
    await readyPrefetched('other');
    await keepArticle('kept', T0 + 10);
    await enforceOfflinePolicy({ keepNewest: 0, keepDays: 0, budgetMb: 50 });
    expect(await makeRoom(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect((await listArticles()).map((entry) => entry.itemId)).toEqual(['kept']);
    expect(cachedIn(CACHES.saved)).toEqual([...copiesOf('kept')].sort());
  });

  it('writes the record before moving the copies: a trim at that moment cannot take it', async () => {
    await readyPrefetched('p');
    const keeping = keepArticle('p', T0 + 10);
    await enforceOfflinePolicy({ keepNewest: 0, keepDays: 0, budgetMb: 50 });
    await keeping;
    expect(await getArticle('p')).toMatchObject({ state: 'ready', saved: true });
  });

  it('changes nothing for a kept article, and refuses what is not ready (that is saved, not kept)', async () => {
    await readySaved('a');
    const before = await getArticle('a');
    expect(await keepArticle('a', T0 + 99)).toMatchObject({ saved: true, readyAt: T0 + 1 });
    expect(await getArticle('a')).toEqual(before);
    await saveArticle(item('q'), T0);
    expect(await keepArticle('q', T0 + 10)).toBeNull();
    expect(await keepArticle('missing', T0 + 10)).toBeNull();
    expect(await getArticle('q')).toMatchObject({ state: 'queued', saved: true });
  });
});
