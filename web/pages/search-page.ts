// The search page online, with JavaScript and a service worker. The edge's results stay as they came and nothing
// waits for the device: each that opens offline on this device is marked, in the one set of words
// (web/offline/offline-words.ts, worded by offline-marks.ts), and the matches only this device holds (pages saved by
// their address, articles the site no longer keeps) follow in a section of their own, on the first page of results.
// If the device cannot answer, the edge's results stand alone and nothing on the page says otherwise.
// The device's own page (offline, sw/device-search-page.ts) has no `[data-edge-results]`: it is left alone.
import type { SearchResults } from '../../contract/http.ts';
import type { DeviceSearchHit, SnippetPart } from '../../contract/messages.ts';
import { readUrl } from '../../contract/paths.ts';
import { el, errorText } from '../dom.ts';
import { searchDevice } from '../sw-bridge.ts';
import { deviceSourceTitle, EDGE_CHECK_MAX, edgeCheckUrl, onlyOnDevice } from './device-hits.ts';
import { formatLocal, formatWhen } from './format.ts';
import { markOpenOffline } from './open-offline-marks.ts';

/** As many as the edge's page shows. */
const DEVICE_HITS_SHOWN = 20;

function snippet(parts: SnippetPart[]): Array<Node | string> {
  return parts.map((part) => (part.marked ? el('mark', {}, part.text) : part.text));
}

function when(iso: string | null): HTMLTimeElement | null {
  const at = Date.parse(iso ?? '');
  if (!iso || Number.isNaN(at)) return null;
  return el('time', { datetime: iso, title: formatLocal(at) }, formatWhen(at));
}

function hitCard(hit: DeviceSearchHit): HTMLLIElement {
  return el(
    'li',
    { class: 'item search-hit', 'data-item-id': hit.itemId },
    el('h3', { class: 'item-title' }, el('a', { href: readUrl(hit.itemId) }, hit.title || 'Untitled')),
    el(
      'p',
      { class: 'item-meta' },
      el('span', { class: 'item-source' }, hit.source),
      when(hit.publishedAt),
      el('span', { class: 'offline-mark', 'data-offline-mark': true }),
    ),
    el('p', { class: 'item-summary search-snippet' }, ...snippet(hit.snippet)),
  );
}

function deviceSection(hits: DeviceSearchHit[]): HTMLElement {
  return el(
    'section',
    { class: 'device-hits', 'aria-labelledby': 'device-hits-title', 'data-device-hits': true },
    el('h2', { id: 'device-hits-title' }, 'Found only on this device'),
    el(
      'p',
      { class: 'help' },
      'These articles on this device match, and the site’s search does not have them: pages saved by their address, or articles the site no longer keeps.',
    ),
    el('ol', { class: 'items', 'aria-label': 'Results only on this device' }, ...hits.map(hitCard)),
  );
}

/** The device's matches that the edge's search does not return, after the edge's results. How many were shown. */
async function addDeviceHits(results: HTMLElement): Promise<number> {
  const params = new URL(location.href).searchParams;
  const query = params.get('q');
  // Later pages of the edge's results: the device's matches were offered on the first.
  if (query === null || params.has('before')) return 0;
  const options = document.querySelectorAll<HTMLOptionElement>('select[name="source"] option[value]:not([value=""])');
  const titles = new Map([...options].map((option) => [option.value, option.text.trim()]));
  const sourceTitle = deviceSourceTitle(query, params.get('source'), titles);
  if (sourceTitle === undefined) return 0;
  const found = await searchDevice({
    query,
    sourceTitle,
    exclude: [...results.querySelectorAll<HTMLElement>('li[data-item-id]')].map((li) => li.dataset.itemId ?? ''),
    limit: EDGE_CHECK_MAX,
  });
  let edgeFinds = new Set<string>();
  // The edge has more pages: some of these may be on them, so ask it which.
  const check = results.hasAttribute('data-more') ? edgeCheckUrl(query, found.hits) : null;
  if (check) {
    const response = await fetch(check, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`The site could not compare results (${response.status}).`);
    const { items } = (await response.json()) as SearchResults;
    edgeFinds = new Set(items.map((item) => item.id));
  }
  const hits = onlyOnDevice(found.hits, edgeFinds, DEVICE_HITS_SHOWN);
  if (hits.length === 0) return 0;
  const section = deviceSection(hits);
  results.after(section);
  // Set once in the page, so offline-marks.ts hears it and words each mark.
  for (const li of section.querySelectorAll<HTMLElement>('li[data-item-id]')) li.dataset.onDevice = '';
  // Then those the reader kept say so; without the worker's word they stay "offline for now".
  void markOpenOffline(section).catch(() => undefined);
  return hits.length;
}

export async function enhanceSearchPage(): Promise<void> {
  const results = document.querySelector<HTMLElement>('[data-edge-results]');
  if (!results) return;
  const [marked, added] = await Promise.allSettled([markOpenOffline(results), addDeviceHits(results)]);
  for (const outcome of [marked, added])
    if (outcome.status === 'rejected')
      console.warn('Offline Reader: the search on this device did not answer', errorText(outcome.reason));
  // For whoever drives the page (a test, the performance timeline): the device's part is done, whatever it found.
  performance.mark('device-hits-shown');
  document.body.dataset.deviceHitsShown = added.status === 'fulfilled' ? String(added.value) : 'failed';
}
