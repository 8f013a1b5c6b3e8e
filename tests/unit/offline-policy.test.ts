// The offline policy on a real IndexedDB: under each rule (read, the last X days, the newest N, the budget in MB),
// which prefetched article goes first, what /saved is told the policy holds and lets go next, and that the reader's
// own saves are never counted or dropped. Also the settings' bounds ("None" is 0) and the connection's reading.
import { executeQuotaErrorCallbacks } from 'workbox-core/_private/executeQuotaErrorCallbacks.js';
import { describe, expect, it, vi } from 'vitest';
import { connectionKind } from '../../contract/connection-kind.ts';
import { DEFAULT_SETTINGS } from '../../contract/messages.ts';
import { readUrl } from '../../contract/paths.ts';
import { activityLog } from '../../sw/activity-log.ts';
import { CACHES } from '../../sw/cache-names.ts';
import { fetchPictures } from '../../sw/fetch-for-offline.ts';
import { makeRoom } from '../../sw/make-room.ts';
import { addPrefetched, claimArticle, listArticles, saveArticle, settleArticle } from '../../sw/library.ts';
import { DAY_MS, decideOfflinePolicy, MB, type PolicyRules } from '../../sw/offline-policy.ts';
import { applyPolicyChange, enforceOfflinePolicy, offlinePolicyStatus } from '../../sw/prefetch-bounds.ts';
import { setRead } from '../../sw/read-state.ts';
import { openReaderDb, recall, remember } from '../../sw/reader-db.ts';
import { getSettings, updateSettings } from '../../sw/settings-store.ts';
import { ORIGIN } from './support/worker-globals.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * DAY_MS).toISOString();
const RULES: PolicyRules = { keepNewest: 10, keepDays: 0, budgetMb: 50 };

/** A prefetched article published `age` days ago, its page in the prefetched cache. */
async function prefetched(id: string, age: number, bytes = 100_000): Promise<void> {
  const page = `${ORIGIN}${readUrl(id)}`;
  await (await caches.open(CACHES.prefetched)).put(page, new Response(`page ${id}`));
  await addPrefetched(
    {
      itemId: id,
      title: `Article ${id}`,
      publishedAt: daysAgo(age),
      bytes,
      cachedUrls: [page],
      missingImages: [],
      imagesDueAt: null,
    },
    NOW - age * DAY_MS,
  );
}

/** One the reader saved themselves, old and large: the policy must not see it. */
async function savedByReader(id: string): Promise<void> {
  await saveArticle({ itemId: id, url: readUrl(id), title: `Saved ${id}` }, NOW - 30 * DAY_MS);
  await claimArticle(id, NOW - 30 * DAY_MS);
  await settleArticle(
    id,
    {
      kind: 'ready',
      title: `Saved ${id}`,
      publishedAt: daysAgo(30),
      bytes: 400 * MB,
      cachedUrls: [],
      missingImages: [],
      imagesDueAt: null,
    },
    NOW - 30 * DAY_MS,
  );
}

/** Prefetched articles by id and age in days, one after the other. */
async function prefetchedAged(ages: Record<string, number>): Promise<void> {
  for (const [id, age] of Object.entries(ages)) await prefetched(id, age);
}

const onDevice = async () => (await listArticles()).map((entry) => entry.itemId).sort();

describe('the offline policy decides', () => {
  const article = (id: string, age: number, extra: { bytes?: number; read?: boolean } = {}) => ({
    itemId: id,
    title: id,
    publishedAt: daysAgo(age),
    readyAt: NOW,
    bytes: extra.bytes ?? 1000,
    read: extra.read ?? false,
  });

  it.each([
    ['the newest N: the oldest beyond them', { ...RULES, keepNewest: 2 }, [], 'c', 'beyond-newest'],
    ['the last X days: the oldest past them', { ...RULES, keepDays: 3 }, [], 'c', 'too-old'],
    ['the budget: the oldest that does not fit', { ...RULES, budgetMb: 1 }, [], 'c', 'over-budget'],
    ['read: the read one, however new', RULES, ['a'], 'a', 'read'],
  ] as const)('under %s', (_rule, rules, read, first, reason) => {
    const articles = [
      article('a', 0, { read: read.includes('a' as never) }),
      article('b', 2, { bytes: 600_000 }),
      article('c', 5, { bytes: 600_000 }),
    ];
    const { drop } = decideOfflinePolicy(articles, rules, NOW);
    expect(drop[0]).toMatchObject({ article: { itemId: first }, reason });
  });

  it.each([
    [
      'keeps a run of the newest within the budget: once one is over, every older one is too',
      [article('a', 0, { bytes: 2 * MB }), article('b', 1, { bytes: 9 * MB }), article('c', 2)],
      { ...RULES, budgetMb: 10 },
      ['a'],
      [
        ['c', 'over-budget'],
        ['b', 'over-budget'],
      ],
    ],
    ['with None kept, keeps nothing', [article('a', 0)], { ...RULES, keepNewest: 0 }, [], [['a', 'beyond-newest']]],
    [
      'counts only unread articles among the newest N',
      [article('a', 0, { read: true }), article('b', 1), article('c', 2)],
      { ...RULES, keepNewest: 2 },
      ['b', 'c'],
      [['a', 'read']],
    ],
  ])('%s', (_case, articles, rules, kept, dropped) => {
    const { keep, drop } = decideOfflinePolicy(articles, rules, NOW);
    expect(keep.map((a) => a.itemId)).toEqual(kept);
    expect(drop.map((d) => [d.article.itemId, d.reason])).toEqual(dropped);
  });
});

describe('the offline policy on this device', () => {
  it('drops what it lets go, records and copies, and never the reader’s own saves', async () => {
    await savedByReader('mine');
    await prefetchedAged({ new: 0, mid: 2, old: 6 });
    await setRead(['new'], true, NOW);

    expect(await enforceOfflinePolicy({ keepNewest: 10, keepDays: 5, budgetMb: 5 }, NOW)).toBe(2);
    expect(await onDevice()).toEqual(['mid', 'mine']);
    const cache = await caches.open(CACHES.prefetched);
    expect(await cache.match(`${ORIGIN}${readUrl('old')}`)).toBeUndefined();
    expect(await cache.match(`${ORIGIN}${readUrl('mid')}`)).toBeDefined();
  });

  it.each([
    [
      'the newest N',
      RULES,
      [],
      { held: 2, heldBytes: 3 * MB, dueAtNextRefresh: 0, next: { itemId: 'old', reason: 'beyond-newest', at: null } },
    ],
    [
      'the last X days',
      { ...RULES, keepDays: 7 },
      [],
      { next: { itemId: 'old', title: 'Article old', reason: 'too-old', at: NOW + 3 * DAY_MS } },
    ],
    ['read', RULES, ['new'], { dueAtNextRefresh: 1, next: { itemId: 'new', reason: 'read' } }],
    ['the budget', { ...RULES, budgetMb: 1 }, ['new'], { next: { itemId: 'old', reason: 'over-budget' } }],
  ])('tells /saved what it holds and the next to go, with why, under %s', async (_rule, rules, read, status) => {
    await savedByReader('mine');
    await prefetched('new', 0, 1 * MB);
    await prefetched('old', 4, 2 * MB);
    await setRead(read, true, NOW);
    expect(await offlinePolicyStatus(rules, NOW)).toMatchObject(status);
  });

  it('holds a changed policy at once, and forgets the digest’s ETag so a looser one can download more', async () => {
    await prefetched('new', 0);
    await prefetched('old', 1);
    await remember('digestEtag', '"v1"');
    const before = await getSettings();
    const after = await updateSettings({ keepNewest: 1 });
    await applyPolicyChange(before, after);
    expect(await onDevice()).toEqual(['new']);
    expect(await recall('digestEtag')).toBeUndefined();

    await remember('digestEtag', '"v2"');
    await applyPolicyChange(after, await updateSettings({ notifyNewArticles: true }));
    expect(await recall('digestEtag')).toBe('"v2"');
  });
});

describe('storage running out', () => {
  it('takes prefetched articles in the policy’s order: what it drops next first, then the oldest it holds', async () => {
    await savedByReader('mine');
    await prefetchedAged({ a: 0, b: 1, c: 2, d: 3 });
    // Read, however new: the policy lets it go at the next refresh, before the unread ones it keeps.
    await setRead(['a'], true, NOW);
    await updateSettings({ keepNewest: 2 });

    expect(await makeRoom(150_000, new Set(), NOW)).toEqual([
      { itemId: 'd', title: 'Article d', reason: 'beyond-newest' },
      { itemId: 'a', title: 'Article a', reason: 'read' },
    ]);
    expect(await onDevice()).toEqual(['b', 'c', 'mine']);

    // Then the oldest held, sparing the article being written; never the reader's own.
    expect(await makeRoom(Number.MAX_SAFE_INTEGER, new Set(['b']), NOW)).toEqual([
      { itemId: 'c', title: 'Article c', reason: 'oldest-held' },
    ]);
    expect(await onDevice()).toEqual(['b', 'mine']);
  });

  it('says what it dropped and why in the activity log, and nothing when it dropped nothing', async () => {
    await prefetched('a', 0);
    await prefetched('b', 1);
    await makeRoom(1, new Set(), NOW);
    await makeRoom(1, new Set(['a']), NOW);
    expect(await activityLog()).toEqual([
      expect.objectContaining({
        kind: 'make-room',
        trigger: 'storage-full',
        at: NOW,
        dropped: [{ itemId: 'b', title: 'Article b', reason: 'oldest-held' }],
      }),
    ]);
  });
});

describe('a prefetched article’s pictures not fitting', () => {
  it('make room from the others, never from the article itself', async () => {
    await prefetched('old', 3);
    await prefetched('new', 0);
    const cache = await caches.open(CACHES.prefetched);
    const put = cache.put.bind(cache);
    // Full until something is dropped: the first write fails, the one after making room fits.
    let full = true;
    cache.put = async (request, response) => {
      if (full) {
        full = false;
        throw new DOMException('Quota exceeded', 'QuotaExceededError');
      }
      return put(request, response);
    };
    vi.stubGlobal('fetch', async () => new Response(new Uint8Array(10), { headers: { 'Content-Type': 'image/png' } }));
    try {
      // Read, it is the first the policy lets go; but its pictures are being written, so the other one goes.
      await setRead(['new'], true, NOW);
      const outcome = await fetchPictures([{ itemId: 'new', urls: ['/img?u=new'], cacheName: CACHES.prefetched }]);
      expect(outcome.get('new')?.cachedUrls).toEqual([`${ORIGIN}/img?u=new`]);
      expect(await onDevice()).toEqual(['new']);
      expect((await activityLog())[0]?.dropped).toEqual([
        { itemId: 'old', title: 'Article old', reason: 'oldest-held' },
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('workbox running out of storage', () => {
  it('drops every prefetched article, in the policy’s order, and says so; never the reader’s own', async () => {
    await savedByReader('mine');
    await prefetched('new', 0);
    await prefetched('old', 3);
    await executeQuotaErrorCallbacks();
    expect(await onDevice()).toEqual(['mine']);
    expect((await activityLog())[0]?.dropped).toEqual([
      { itemId: 'old', title: 'Article old', reason: 'oldest-held' },
      { itemId: 'new', title: 'Article new', reason: 'oldest-held' },
    ]);
  });
});

describe('settings', () => {
  it('store "None" as 0, a days rule, a budget and "unmetered only", within bounds', async () => {
    expect(await updateSettings({ keepNewest: 0 })).toMatchObject({ keepNewest: 0 });
    expect(await updateSettings({ keepDays: 7, budgetMb: 100, unmeteredOnly: true })).toMatchObject({
      keepNewest: 0,
      keepDays: 7,
      budgetMb: 100,
      unmeteredOnly: true,
    });
    expect(await updateSettings({ keepNewest: -3, keepDays: 1e6, budgetMb: 0 })).toMatchObject({
      keepNewest: 0,
      keepDays: 90,
      budgetMb: 5,
    });
  });

  it('stored by an older version read "None" (stored as 1 then) as 0, once: a 1 chosen since stays 1', async () => {
    const version1 = { ...DEFAULT_SETTINGS, keepNewest: 1, keepDays: 7 };
    await (await openReaderDb()).put('settings', version1, 'reader');
    expect(await getSettings()).toMatchObject({ keepNewest: 0, keepDays: 7 });
    expect(await (await openReaderDb()).get('settings', 'reader')).toMatchObject({ keepNewest: 0, version: 2 });

    expect(await updateSettings({ keepNewest: 1 })).toMatchObject({ keepNewest: 1 });
    expect(await getSettings()).toMatchObject({ keepNewest: 1, keepDays: 7 });
  });

  it('stored by an older version keep every other choice as it was', async () => {
    await (await openReaderDb()).put('settings', { ...DEFAULT_SETTINGS, keepNewest: 20, budgetMb: 200 }, 'reader');
    expect(await getSettings()).toMatchObject({ keepNewest: 20, budgetMb: 200 });
  });

  it('default to the newest 10 on any connection, within 50 MB', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ keepNewest: 10, keepDays: 0, budgetMb: 50, unmeteredOnly: false });
  });
});

describe('the connection', () => {
  it.each([
    [undefined, 'unknown'],
    [{ effectiveType: '4g', saveData: false }, 'unknown'],
    [{ effectiveType: '4g', saveData: true }, 'metered'],
    [{ type: 'cellular', effectiveType: '4g' }, 'metered'],
    [{ type: 'wifi' }, 'unmetered'],
    [{ type: 'ethernet' }, 'unmetered'],
    [{ type: 'unknown' }, 'unknown'],
  ])('%j is %s', (hints, kind) => {
    expect(connectionKind(hints).kind).toBe(kind);
  });
});
