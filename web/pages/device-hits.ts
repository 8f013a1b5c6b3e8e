// The pure part of the search page's second list (web/pages/search-page.ts): which source the device should search
// (it knows sources by name, the form by number), how to ask the edge which of the device's hits it finds too, and
// which hits are left to show.
import type { DeviceSearchHit } from '../../contract/messages.ts';
import { SEARCH_PATH } from '../../contract/paths.ts';
import { parseSearchText } from '../../contract/search-grammar.ts';

/** The most the edge's `among` takes (worker-edge/api/search-routes.ts). */
export const EDGE_CHECK_MAX = 50;
/** Ids the edge gives items; anything else (a page not yet read by the edge) it cannot hold. */
const EDGE_ITEM_ID = /^[0-9a-f]{16}$/;

/**
 * The name of the source to search on the device: the one `source:` names, or the form's choice (a feed's number,
 * named by `titles`, the form's list). null: every source. undefined: a source this page cannot name, so the device
 * has nothing to add (the edge, which knows every number, answered for it).
 */
export function deviceSourceTitle(
  query: string,
  formSource: string | null,
  titles: ReadonlyMap<string, string>,
): string | null | undefined {
  const { source } = parseSearchText(query);
  if (source?.kind === 'title') return null;
  const id = source?.kind === 'id' ? String(source.id) : formSource || null;
  if (id === null) return null;
  return titles.get(id);
}

/** GET /api/search for the same words, among these hits: those it returns, the edge finds too. */
export function edgeCheckUrl(query: string, hits: DeviceSearchHit[]): string | null {
  const ids = hits.map((hit) => hit.itemId).filter((id) => EDGE_ITEM_ID.test(id));
  if (ids.length === 0) return null;
  const among = ids.slice(0, EDGE_CHECK_MAX).join(',');
  return `${SEARCH_PATH}?q=${encodeURIComponent(query)}&among=${among}&limit=${EDGE_CHECK_MAX}`;
}

/** The device's hits the edge does not find, the best first, at most `max`. */
export function onlyOnDevice(hits: DeviceSearchHit[], edgeFinds: ReadonlySet<string>, max: number): DeviceSearchHit[] {
  return hits.filter((hit) => !edgeFinds.has(hit.itemId)).slice(0, max);
}
