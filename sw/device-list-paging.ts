// One page of the device's list (sw/device-digest.ts) from a cursor in the edge's spelling (contract/list-cursor.ts):
// an "Older articles" link the edge gave out answers offline from the device, and one the device gives out answers
// online from the edge. The list is in the edge's order; an item's place in it is (published, id) as the edge's is,
// and an item with no date takes its newer neighbour's, which at worst shows a few items again online.
import type { ItemSummary } from '../contract/http.ts';
import { decodeListCursor, encodeListCursor, LATEST_PAGE_ITEMS, type ListPosition } from '../contract/list-cursor.ts';

function positions(items: ItemSummary[], now: number): ListPosition[] {
  let sortAt = now;
  return items.map((item) => {
    const published = item.publishedAt ? Date.parse(item.publishedAt) : Number.NaN;
    if (!Number.isNaN(published)) sortAt = published;
    return { sortAt, id: item.id };
  });
}

const isBefore = (a: ListPosition, b: ListPosition) => a.sortAt < b.sortAt || (a.sortAt === b.sortAt && a.id < b.id);

/** The page after `before` (from the newest when it is absent or not ours), and the cursor for the one after. */
export function pageOfList(
  items: ItemSummary[],
  before: string | null,
  now = Date.now(),
): { items: ItemSummary[]; next: string | null } {
  const at = positions(items, now);
  const cursor = before ? decodeListCursor(before) : null;
  let start = 0;
  if (cursor) {
    const shown = items.findIndex((item) => item.id === cursor.id);
    start = shown >= 0 ? shown + 1 : at.findIndex((position) => isBefore(position, cursor));
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + LATEST_PAGE_ITEMS);
  const last = at[start + page.length - 1];
  return { items: page, next: start + page.length < items.length && last ? encodeListCursor(last) : null };
}
