// Where a page of Latest starts: the last item the page before showed, as `(sortAt, id)`, the list's order (sortAt
// is when the item was published, in epoch ms, or when the edge first saw it). One spelling for the edge, which
// pages through D1 with it, and for the service worker, which pages through the device's list with it offline, so
// an "Older articles" link works whichever of them answers it.

/** Items on one page of Latest, online and offline. */
export const LATEST_PAGE_ITEMS = 20;

export interface ListPosition {
  sortAt: number;
  id: string;
}

export function encodeListCursor(position: ListPosition): string {
  return btoa(`${position.sortAt}:${position.id}`).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** null for a cursor that is not ours (hand-edited, or from an older version). */
export function decodeListCursor(cursor: string): ListPosition | null {
  try {
    const text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const match = /^(-?\d+):([0-9a-f]{16})$/.exec(text);
    return match ? { sortAt: Number(match[1]), id: match[2] as string } : null;
  } catch {
    return null;
  }
}
