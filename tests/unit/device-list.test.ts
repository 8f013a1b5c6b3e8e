// The device's list of Latest: each digest's items on top of the older ones it pushed out (sources no longer
// followed and items the edge removed leave it), paged as the edge pages, with the edge's cursors.
import { describe, expect, it } from 'vitest';
import type { Digest, ItemSummary } from '../../contract/http.ts';
import { decodeListCursor, encodeListCursor, LATEST_PAGE_ITEMS } from '../../contract/list-cursor.ts';
import { DEVICE_LIST_ITEMS, deviceDigest, keepDigestList, mergedItems } from '../../sw/device-digest.ts';
import { pageOfList } from '../../sw/device-list-paging.ts';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const HOUR = 60 * 60 * 1000;

/** Item n is n hours older than T0; ids are the edge's 16 hex digits. */
function item(n: number, feedId = 1): ItemSummary {
  return {
    id: n.toString(16).padStart(16, '0'),
    feedId,
    title: `Item ${n}`,
    url: null,
    author: null,
    publishedAt: new Date(T0 - n * HOUR).toISOString(),
    summary: '',
    imageUrl: null,
  };
}

const range = (from: number, to: number, feedId = 1) =>
  Array.from({ length: to - from }, (_, i) => item(from + i, feedId));

function digest(items: ItemSummary[], feedIds = [1, 2]): Digest {
  return {
    items: items.map((one) => ({ ...one, article: null })),
    feeds: feedIds.map((id) => ({ id, title: `Feed ${id}`, folder: null })),
  };
}

describe('the device keeps what each digest pushed out', () => {
  it('puts the older items of the list before below the new digest', async () => {
    await keepDigestList(digest(range(10, 30)), T0);
    await keepDigestList(digest(range(0, 20)), T0 + HOUR);
    const list = await deviceDigest();
    expect(list?.items.map((one) => one.title)).toEqual(range(0, 30).map((one) => one.title));
    expect(list?.items.every((one) => !('article' in one))).toBe(true);
  });

  it('drops an item the edge no longer names within the digest’s span, and the sources no longer followed', () => {
    const earlier = [...range(5, 9), item(9, 2), ...range(10, 14)];
    const merged = mergedItems(digest([item(0), item(1), item(4)], [1]), earlier);
    // 2 and 3 are newer than the digest's oldest (4) and not in it: removed at the edge. 9 is from source 2.
    expect(merged.map((one) => one.title)).toEqual([
      'Item 0',
      'Item 1',
      'Item 4',
      ...range(5, 9).map((o) => o.title),
      ...range(10, 14).map((o) => o.title),
    ]);
    expect(mergedItems(digest([item(0), item(1)], [1]), [item(2), item(3)]).map((one) => one.title)).toEqual([
      'Item 0',
      'Item 1',
      'Item 2',
      'Item 3',
    ]);
  });

  it('keeps at most DEVICE_LIST_ITEMS', () => {
    expect(mergedItems(digest(range(0, 20)), range(20, 400))).toHaveLength(DEVICE_LIST_ITEMS);
  });
});

describe('pageOfList', () => {
  const list = range(0, 45);

  it('pages as the edge does, with the edge’s cursor for the last item shown', () => {
    const first = pageOfList(list, null);
    expect(first.items).toEqual(list.slice(0, LATEST_PAGE_ITEMS));
    const last = list[LATEST_PAGE_ITEMS - 1]!;
    expect(first.next).toBe(encodeListCursor({ sortAt: Date.parse(last.publishedAt!), id: last.id }));
    const second = pageOfList(list, first.next);
    expect(second.items).toEqual(list.slice(20, 40));
    const third = pageOfList(list, second.next);
    expect(third.items).toEqual(list.slice(40));
    expect(third.next).toBeNull();
  });

  it('goes on from a cursor whose item it does not hold, by its place in the order', () => {
    const between = encodeListCursor({ sortAt: T0 - 7.5 * HOUR, id: 'ffffffffffffffff' });
    expect(pageOfList(list, between).items[0]).toEqual(item(8));
    expect(pageOfList(list, encodeListCursor({ sortAt: 0, id: 'aaaaaaaaaaaaaaaa' })).items).toEqual([]);
  });

  it('starts from the newest for a cursor that is not ours', () => {
    expect(decodeListCursor('not-a-cursor')).toBeNull();
    expect(pageOfList(list, 'not-a-cursor').items[0]).toEqual(item(0));
  });

  it('gives an undated item its newer neighbour’s place', () => {
    const undated = { ...item(1), publishedAt: null };
    const page = pageOfList([item(0), undated, ...range(2, 21)], null);
    expect(decodeListCursor(page.next!)).toEqual({ sortAt: Date.parse(item(19).publishedAt!), id: item(19).id });
    const short = [item(0), undated, item(2)];
    expect(pageOfList(short, encodeListCursor({ sortAt: T0, id: undated.id })).items).toEqual([item(2)]);
  });
});
