// Items of the sample site whose links are article pages (not a publication's front page), from the reader's API.
import type { ItemSummary, ItemsPage } from '../../../contract/http.ts';

export async function articleItems(site: string): Promise<ItemSummary[]> {
  const items: ItemSummary[] = [];
  let next: string | null = null;
  do {
    const page = (await (
      await fetch(`${site}/api/items?limit=50${next ? `&before=${encodeURIComponent(next)}` : ''}`)
    ).json()) as ItemsPage;
    items.push(...page.items);
    next = page.next;
  } while (next);
  return items.filter((item) => item.url?.endsWith('.html') || /\/notes\/[^/]+\/$/.test(item.url ?? ''));
}

/** The fixture origin's path for an item's page: what POST /__script and GET /__hits key on. */
export function originPath(item: ItemSummary): string {
  const url = new URL(item.url ?? '');
  return url.pathname + url.search;
}
