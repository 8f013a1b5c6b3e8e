// Latest (`/`, `/?feed=`, `/?folder=`) when the site cannot be reached: the copy of that page the pages cache holds,
// if it is at least as new as the device's list, or else the list drawn from the device (the digest the background
// refresh keeps, a page at a time) with the edge's own template (markup/latest-page.tsx) and the edge's own headers
// (its CSP), so the installed app opens to the news offline, never to the error page. Either copy is marked with
// what opens offline, so the reader sees the same list whichever answers.
import type { WorkboxPlugin } from 'workbox-core/types.js';
import { type DigestFeed, NO_FOLDER_FILTER } from '../contract/http.ts';
import { decodeListCursor } from '../contract/list-cursor.ts';
import { DeviceCopyNote, DeviceLatestPage, DeviceReadableNote, inFolder } from '../markup/latest-page.tsx';
import { readableHere } from './articles-on-device.ts';
import { deviceDigest } from './device-digest.ts';
import { pageOfList } from './device-list-paging.ts';
import { markItemsOnDevice } from './device-marks.ts';
import { offlinePage } from './precache.ts';

/** When the service worker put a page in the cache: the page is as new as that. */
const CACHED_AT = 'X-Reader-Cached-At';

export const isHomePath = (url: URL) => url.pathname === '/';

function cachedAt(response: Response): number {
  const stamped = Number(response.headers.get(CACHED_AT));
  return Number.isFinite(stamped) && stamped > 0 ? stamped : Date.parse(response.headers.get('Date') ?? '') || 0;
}

async function html(element: ReturnType<typeof DeviceLatestPage>): Promise<string> {
  return (await element).toString();
}

const hasCursor = (url: URL) => decodeListCursor(url.searchParams.get('before') ?? '') !== null;

/** The edge's headers for a page (its CSP among them), from the one page every install holds: /offline. */
async function edgePageHeaders(): Promise<Headers> {
  const shell = await offlinePage();
  if (!shell) throw new Error('The app shell is not on this device.');
  const headers = new Headers(shell.headers);
  headers.set('Content-Type', 'text/html; charset=UTF-8');
  headers.set('Cache-Control', 'no-store');
  headers.delete('Content-Length');
  return headers;
}

/**
 * The cached copy, marked with what opens offline and saying whose copy it is: the notes go right under the page's
 * heading and filters, where the device's copy has them.
 */
async function noted(copy: Response): Promise<Response> {
  const marked = await markItemsOnDevice(await copy.text(), await readableHere());
  const page = marked.html;
  const note =
    (await html(DeviceCopyNote({ refreshedAt: cachedAt(copy) || null }))) +
    (marked.shown > 0 ? await html(DeviceReadableNote({ readable: marked.readable, shown: marked.shown })) : '');
  const head = page.indexOf('<div class="page-head">');
  const afterHead = head < 0 ? -1 : page.indexOf('</div>', head) + '</div>'.length;
  const at = afterHead > 0 ? afterHead : page.search(/<main\b[^>]*>/) + (page.match(/<main\b[^>]*>/)?.[0].length ?? 0);
  const headers = new Headers(copy.headers);
  headers.delete('Content-Length');
  headers.delete(CACHED_AT);
  return new Response(page.slice(0, at) + note + page.slice(at), { status: copy.status, headers });
}

const sameFolder = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** The list from the device, narrowed as the address asks, as the edge would render it. */
async function fromDevice(url: URL): Promise<Response> {
  const digest = await deviceDigest();
  const feeds = digest?.feeds ?? [];
  const feedParam = url.searchParams.get('feed');
  const feedId = feedParam && /^[1-9][0-9]{0,15}$/.test(feedParam) ? Number(feedParam) : null;
  const feed: DigestFeed | null =
    feedId === null ? null : (feeds.find((f) => f.id === feedId) ?? { id: feedId, title: 'This source', folder: null });
  const folderParam = url.searchParams.get('folder');
  const folder =
    folderParam === NO_FOLDER_FILTER
      ? NO_FOLDER_FILTER
      : !folderParam?.trim()
        ? null
        : (feeds.find((f) => f.folder !== null && sameFolder(f.folder, folderParam))?.folder ?? folderParam.trim());
  const shownFeeds = new Set(feeds.filter((f) => folder !== null && inFolder(f, folder)).map((f) => f.id));
  const before = url.searchParams.get('before');
  const listed = (digest?.items ?? []).filter(
    (item) => (feed === null || item.feedId === feed.id) && (folder === null || shownFeeds.has(item.feedId)),
  );
  const { items, next } = pageOfList(listed, before);
  const page = await html(
    DeviceLatestPage({
      feeds,
      items,
      feed,
      folder,
      onDevice: await readableHere(),
      refreshedAt: digest?.refreshedAt ?? null,
      next,
      paged: hasCursor(url),
    }),
  );
  return new Response(`${page}`, { status: 200, headers: await edgePageHeaders() });
}

/**
 * On the pages strategy for Latest: every copy it caches is stamped with when, and when the network fails the
 * newer of that copy and the device's list answers. An older page of the list (`?before=`) answers from its copy
 * when there is one (the device's list may not reach that far), else from the device's list.
 */
export const deviceHome: WorkboxPlugin = {
  cacheWillUpdate: async ({ response }) => {
    if (!response.ok) return null;
    const headers = new Headers(response.headers);
    headers.set(CACHED_AT, String(Date.now()));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  },
  cachedResponseWillBeUsed: async ({ cachedResponse, request }) => {
    const url = new URL(request.url);
    const digest = await deviceDigest();
    const copyIsNewer = cachedResponse && (!digest || cachedAt(cachedResponse) >= digest.receivedAt);
    if (cachedResponse && (copyIsNewer || url.searchParams.has('before'))) return noted(cachedResponse);
    return fromDevice(url);
  },
};
