// How an item is recognised when it is seen again (FreshRSS's rule): by guid, falling back to the link
// when the feed's guids are missing or repeated, and to a hash of its text when both are missing.
import type { NormalisedItem } from '../model/feed.ts';

export interface KeyedItem {
  item: NormalisedItem;
  /** The guid, or null when this document's guids cannot be trusted for this item. */
  guid: string | null;
  /** The link, or null when several items of the document share it (e.g. all point at the home page). */
  url: string | null;
  /** What the stable id is made from. */
  key: string;
}

function countBy(values: Array<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

export function keyItems(items: NormalisedItem[]): KeyedItem[] {
  const guidCounts = countBy(items.map((i) => i.guid));
  const urlCounts = countBy(items.map((i) => i.url));
  const seen = new Set<string>();
  const keyed: KeyedItem[] = [];
  for (const item of items) {
    const guid = item.guid && guidCounts.get(item.guid) === 1 ? item.guid : null;
    const url = item.url && urlCounts.get(item.url) === 1 ? item.url : null;
    const key = guid
      ? `guid:${guid}`
      : url
        ? `url:${url}`
        : `text:${item.title}\n${item.publishedAt ?? ''}\n${item.summary}`;
    // Two identical entries in one document are one item.
    if (seen.has(key)) continue;
    seen.add(key);
    keyed.push({ item, guid, url, key });
  }
  return keyed;
}
