// The one lease queue both stores use, with two worker instances competing for the same entries: one takes each, a
// stopped instance's leases come back at once, a live instance's own only when they run out.
import { describe, expect, it } from 'vitest';
import { claimAction, queueAction, queuedActions, reclaimActionLeases } from '../../sw/action-queue.ts';
import { isReclaimable, LEASE_MS, leaseQueue, released, WORKER_INSTANCE } from '../../sw/lease-queue.ts';
import { getArticle, saveArticle } from '../../sw/library.ts';
import { openReaderDb } from '../../sw/reader-db.ts';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const articlesOf = (instance: string) => leaseQueue('articles', { busy: 'fetching', instance });
const actionsOf = (instance: string) => leaseQueue('actions', { busy: 'sending', instance });
const save = (id: string) => saveArticle({ itemId: id, url: `/read/${id}`, title: id }, T0);

describe('isReclaimable', () => {
  it.each([
    [null, 'me', T0, true],
    [{ owner: 'other', until: T0 + LEASE_MS }, 'me', T0, true],
    [{ owner: 'me', until: T0 + 1 }, 'me', T0, false],
    [{ owner: 'me', until: T0 }, 'me', T0, true],
    [{ owner: 'me', until: T0 - 1 }, 'me', T0, true],
  ])('%j held, asked by %s at %i: %s', (lease, instance, now, expected) => {
    expect(isReclaimable(lease, instance, now)).toBe(expected);
  });

  it('released lets go of the lease and nothing else', () => {
    const record = { state: 'fetching', attempts: 2, lease: { owner: 'me', until: T0 } };
    expect(released(record)).toEqual({ state: 'fetching', attempts: 2, lease: null });
    expect(record.lease).toEqual({ owner: 'me', until: T0 });
  });
});

describe('two instances, one queue', () => {
  it('each entry is taken by exactly one of them, however they interleave', async () => {
    const [a, b] = [articlesOf('a'), articlesOf('b')];
    const ids = ['1', '2', '3', '4', '5', '6'];
    for (const id of ids) await save(id);
    const taken = await Promise.all(ids.flatMap((id) => [a.take(id, T0), b.take(id, T0)]));
    for (const [index, id] of ids.entries()) {
      const [byA, byB] = [taken[2 * index], taken[2 * index + 1]];
      expect([byA, byB].filter(Boolean), id).toHaveLength(1);
      const winner = byA ? 'a' : 'b';
      expect(await getArticle(id)).toMatchObject({
        state: 'fetching',
        attempts: 1,
        lease: { owner: winner, until: T0 + LEASE_MS },
      });
    }
    expect(await a.waiting()).toEqual([]);
  });

  it('the same holds for actions', async () => {
    const [a, b] = [actionsOf('a'), actionsOf('b')];
    const action = await queueAction(
      { method: 'POST', path: '/api/feeds', body: { url: 'https://x.example/feed' }, admin: true, label: 'Subscribe' },
      T0,
    );
    const [byA, byB] = await Promise.all([a.take(action.id, T0), b.take(action.id, T0)]);
    expect([byA, byB].filter(Boolean)).toHaveLength(1);
    expect((byA ?? byB)?.state).toBe('sending');
    expect(await queuedActions()).toEqual([]);
  });

  it('a taken entry is not taken again until it comes back', async () => {
    const [a, b] = [articlesOf('a'), articlesOf('b')];
    await save('1');
    expect(await a.take('1', T0)).not.toBeNull();
    expect(await a.take('1', T0 + 1)).toBeNull();
    expect(await b.take('1', T0 + LEASE_MS * 10)).toBeNull();
    expect(await a.take('gone', T0)).toBeNull();
  });

  it('only queued entries wait, due or not', async () => {
    const a = articlesOf('a');
    await save('1');
    await save('2');
    await a.take('1', T0);
    expect((await a.waiting()).map((record) => record.itemId)).toEqual(['2']);
  });
});

describe('reclaiming', () => {
  it('a live instance keeps its own lease until it runs out, then takes it back, the attempt still counted', async () => {
    const a = articlesOf('a');
    await save('1');
    await a.take('1', T0);
    expect(await a.reclaim(T0 + LEASE_MS - 1)).toEqual([]);
    expect(await getArticle('1')).toMatchObject({ state: 'fetching' });
    const back = await a.reclaim(T0 + LEASE_MS);
    expect(back).toMatchObject([
      { itemId: '1', state: 'queued', lease: null, attempts: 1, nextAttemptAt: T0 + LEASE_MS, updatedAt: T0 },
    ]);
    expect(await getArticle('1')).toMatchObject({ state: 'queued', lease: null, attempts: 1 });
  });

  it('another instance takes back a stopped one’s lease at once, and its next take counts a second attempt', async () => {
    const [stopped, next] = [articlesOf('stopped'), articlesOf('next')];
    await save('1');
    await stopped.take('1', T0);
    expect((await next.reclaim(T0 + 1)).map((record) => record.itemId)).toEqual(['1']);
    expect(await next.take('1', T0 + 2)).toMatchObject({
      attempts: 2,
      lease: { owner: 'next', until: T0 + 2 + LEASE_MS },
    });
  });

  it('an entry left busy with no lease at all goes back too', async () => {
    await save('1');
    const saved = await getArticle('1');
    if (!saved) throw new Error('the entry was not saved');
    await (await openReaderDb()).put('articles', { ...saved, state: 'fetching', lease: null });
    expect((await articlesOf('a').reclaim(T0)).map((record) => record.itemId)).toEqual(['1']);
  });

  it('touches only the busy state of its own store', async () => {
    const [articles, actions] = [articlesOf('a'), actionsOf('a')];
    await save('1');
    const action = await queueAction({ method: 'DELETE', path: '/api/feeds/9', admin: true, label: 'Unsubscribe' }, T0);
    await articles.take('1', T0);
    await actions.take(action.id, T0);
    expect(await actions.reclaim(T0 + LEASE_MS)).toMatchObject([{ id: action.id, state: 'queued' }]);
    expect(await getArticle('1')).toMatchObject({ state: 'fetching' });
  });

  it('the action queue reclaims through the same rule for this worker', async () => {
    const stopped = actionsOf('stopped');
    const mine = await queueAction({ method: 'POST', path: '/api/feeds', admin: false, label: 'Mine' }, T0);
    const theirs = await queueAction({ method: 'POST', path: '/api/feeds', admin: false, label: 'Theirs' }, T0);
    expect(await claimAction(mine.id, T0)).toMatchObject({ lease: { owner: WORKER_INSTANCE } });
    await stopped.take(theirs.id, T0);
    await reclaimActionLeases(T0 + 1);
    expect((await queuedActions()).map((record) => record.label)).toEqual(['Theirs']);
  });
});
