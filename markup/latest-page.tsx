// GET /: the latest items from every source (or one, or one folder's), newest first, a page at a time, with honest
// empty states. The edge renders LatestPage; the service worker renders DeviceLatestPage, the same list from what
// the device holds, when the site cannot be reached.
import {
  type DigestFeed,
  type FeedView,
  type ItemSummary,
  NO_FOLDER_FILTER,
  NO_FOLDER_LABEL,
} from '../contract/http.ts';
import type { OnDevice } from '../contract/messages.ts';
import { folderPageUrl } from '../contract/paths.ts';
import { ItemCard } from './item-card.tsx';
import { formatDateTime } from './page-dates.ts';
import { JsNote } from './js-note.tsx';
import { ReaderDocument } from './reader-document.tsx';

export interface LatestPageProps {
  feeds: FeedView[];
  items: ItemSummary[];
  /** The source shown alone, when filtered. */
  feed: FeedView | null;
  /** The folder whose sources are shown, when filtered (`?folder=`); NO_FOLDER_FILTER for the sources in none. */
  folder: string | null;
  /** Cursor for older items, or null at the end. */
  next: string | null;
  /** Whether this is a later page (so "Newest" leads back to the first). */
  paged: boolean;
}

/** Whether a feed is shown under a folder filter (NO_FOLDER_FILTER: the feeds in none). */
export const inFolder = (feed: { folder: string | null }, folder: string) =>
  folder === NO_FOLDER_FILTER ? feed.folder === null : feed.folder === folder;

/** A folder filter as the reader reads it: the folder's name, or "No folder" (a folder may be called that too). */
const folderTitle = (folder: string) => (folder === NO_FOLDER_FILTER ? NO_FOLDER_LABEL : folder);

function FolderFilter(props: { feeds: DigestFeed[]; selected: string | null }) {
  const folders = [...new Set(props.feeds.flatMap((f) => (f.folder === null ? [] : [f.folder])))].sort((a, b) =>
    a.localeCompare(b, 'en', { sensitivity: 'base' }),
  );
  if (folders.length === 0) return null;
  // Listed last, as on /sources, when some sources are in no folder.
  if (props.feeds.some((f) => f.folder === null)) folders.push(NO_FOLDER_FILTER);
  return (
    <>
      <label for="folder-filter">Folder</label>
      <select id="folder-filter" name="folder">
        <option value="">All folders</option>
        {folders.map((folder) => (
          <option value={folder} selected={folder === props.selected}>
            {folderTitle(folder)}
          </option>
        ))}
      </select>
    </>
  );
}

function SourceFilter(props: { feeds: DigestFeed[]; selected: number | null; folder: string | null }) {
  return (
    <form method="get" action="/" class="source-filter">
      <label for="source-filter">Source</label>
      <select id="source-filter" name="feed">
        <option value="">All sources</option>
        {props.feeds.map((feed) => (
          <option value={String(feed.id)} selected={feed.id === props.selected}>
            {feed.title}
          </option>
        ))}
      </select>
      <FolderFilter feeds={props.feeds} selected={props.folder} />
      <button type="submit">Show</button>
    </form>
  );
}

function EmptyLatest(props: { feeds: FeedView[]; feed: FeedView | null; folder: string | null; paged: boolean }) {
  const name = props.feed?.title ?? (props.folder === NO_FOLDER_FILTER ? 'your sources in no folder' : props.folder);
  if (props.paged) {
    return (
      <section class="empty-state">
        <h2>No older articles</h2>
        <p>That is everything we keep from {name ?? 'your sources'}; older items drop out as new ones arrive.</p>
      </section>
    );
  }
  if (props.feeds.length === 0) {
    return (
      <section class="empty-state">
        <h2>No sources yet: add one</h2>
        <p>
          This reader shows articles from the news sites and blogs you follow. <a href="/sources">Add a source</a> by
          its address or import a list (OPML) from another reader.
        </p>
      </section>
    );
  }
  const shown = props.feed
    ? [props.feed]
    : props.folder !== null
      ? props.feeds.filter((f) => inFolder(f, props.folder ?? ''))
      : props.feeds;
  return (
    <section class="empty-state">
      <h2>{name ? `Nothing from ${name} yet` : 'No articles yet'}</h2>
      <p>
        {emptyReason(shown)} <a href="/sources">See how your sources are doing</a>.
      </p>
    </section>
  );
}

/** Why there is nothing to show, in the reader's words: never "published nothing" when we could not reach them. */
function emptyReason(feeds: FeedView[]): string {
  const pending = feeds.filter((f) => f.status === 'pending').length;
  const unreachable = feeds.filter((f) => f.status === 'error' || f.status === 'gone');
  if (pending > 0)
    return 'Your sources are being fetched for the first time; articles appear here within a minute. Reload to see them.';
  if (unreachable.length === feeds.length) {
    const what = feeds.length === 1 ? 'this source' : `any of your ${feeds.length} sources`;
    const why = unreachable[0]?.lastError ? ` (${unreachable[0].lastError.replace(/[.\s]+$/, '')})` : '';
    return `We could not reach ${what}${why}. We keep trying on our own, less often the longer it fails.`;
  }
  if (unreachable.length > 0) {
    return `Your sources have published nothing we could read, and ${unreachable.length} of them could not be reached; we keep trying.`;
  }
  return 'Your sources have published nothing we could read.';
}

/**
 * Read state lives on the reader's device (the server keeps none), so these controls are the page script's: hidden
 * until it shows them, and the note says so without JavaScript.
 */
function ReadTools(props: { feed: DigestFeed | null }) {
  return (
    <div class="read-tools" data-read-tools data-feed-id={props.feed ? String(props.feed.id) : undefined}>
      <JsNote>
        Unread marks, “Mark all as read”, the unread-only view and the keyboard keys keep their state on this device and
        need JavaScript.
      </JsNote>
      <button type="button" class="quiet-button" id="mark-all-read" hidden>
        {props.feed ? `Mark all from ${props.feed.title} as read` : 'Mark all as read'}
      </button>
      <button type="button" class="quiet-button" id="unread-only" aria-pressed="false" hidden>
        Unread only
      </button>
      <p id="read-status" class="form-status" role="status"></p>
    </div>
  );
}

function Paging(props: { feed: DigestFeed | null; folder: string | null; next: string | null; paged: boolean }) {
  if (!props.next && !props.paged) return null;
  const feedParam = [
    props.feed ? `feed=${props.feed.id}` : '',
    props.folder !== null ? folderPageUrl(props.folder).slice(2) : '',
  ]
    .filter(Boolean)
    .join('&');
  const join = (...parts: string[]) => {
    const query = parts.filter(Boolean).join('&');
    return query ? `/?${query}` : '/';
  };
  return (
    <nav class="paging" aria-label="More articles">
      {props.paged && <a href={join(feedParam)}>Newest</a>}
      {props.next && (
        <a href={join(feedParam, `before=${encodeURIComponent(props.next)}`)} rel="next">
          Older articles
        </a>
      )}
    </nav>
  );
}

/** The heading and the filters: the same on the edge's page and the device's copy. */
function LatestHead(props: { feeds: DigestFeed[]; feed: DigestFeed | null; folder: string | null }) {
  const heading = props.feed?.title ?? (props.folder === null ? 'Latest' : folderTitle(props.folder));
  return (
    <div class="page-head">
      <h1>{heading}</h1>
      {props.feeds.length > 0 && (
        <SourceFilter feeds={props.feeds} selected={props.feed?.id ?? null} folder={props.folder} />
      )}
    </div>
  );
}

/** `onDevice`, on the device's copy only: which items open offline (the others offer to be fetched later). */
function ItemList(props: { feeds: DigestFeed[]; items: ItemSummary[]; onDevice?: ReadonlyMap<string, OnDevice> }) {
  const titles = new Map(props.feeds.map((f) => [f.id, f.title]));
  return (
    <ol class="items">
      {props.items.map((item) => (
        <ItemCard
          item={item}
          feedTitle={titles.get(item.feedId) ?? 'Unknown source'}
          onDevice={props.onDevice && (props.onDevice.get(item.id) ?? false)}
        />
      ))}
    </ol>
  );
}

export function LatestPage(props: LatestPageProps) {
  const heading = props.feed?.title ?? (props.folder === null ? 'Latest' : folderTitle(props.folder));
  return (
    <ReaderDocument title={heading} current="latest" page="latest">
      <LatestHead feeds={props.feeds} feed={props.feed} folder={props.folder} />
      {props.items.length === 0 ? (
        <EmptyLatest feeds={props.feeds} feed={props.feed} folder={props.folder} paged={props.paged} />
      ) : (
        <ReadTools feed={props.feed} />
      )}
      {props.items.length > 0 && <ItemList feeds={props.feeds} items={props.items} />}
      <Paging feed={props.feed} folder={props.folder} next={props.next} paged={props.paged} />
    </ReaderDocument>
  );
}

/** Says whose copy this is and how old; `refreshedAt` null: the device has no copy of the list yet. */
export function DeviceCopyNote(props: { refreshedAt: number | null }) {
  if (props.refreshedAt === null) {
    return (
      <p class="notice" data-device-copy>
        The site cannot be reached, and this device has no copy of the list yet: it keeps one once it has been online
        with background refresh on. <a href="/saved">Your saved articles</a> open offline.
      </p>
    );
  }
  const iso = new Date(props.refreshedAt).toISOString();
  return (
    <p class="notice" data-device-copy>
      The site cannot be reached, so this is the list as this device last had it, refreshed{' '}
      <time datetime={iso} data-relative>
        {formatDateTime(iso)}
      </time>
      .
    </p>
  );
}

export interface DeviceLatestPageProps {
  feeds: DigestFeed[];
  /** One page of the device's list, newest first, already narrowed to the source or folder asked for. */
  items: ItemSummary[];
  feed: DigestFeed | null;
  folder: string | null;
  /** Items whose article opens offline: kept, prefetched, or read before and still in the cache. */
  onDevice: ReadonlyMap<string, OnDevice>;
  /** When the device last had the list confirmed by the site (epoch ms), or null when it has none. */
  refreshedAt: number | null;
  /** Cursor for the device's older items (the edge's spelling, contract/list-cursor.ts), or null at the end. */
  next: string | null;
  /** A later page was asked for (so "Newest" leads back to the first). */
  paged: boolean;
}

function readableNote(readable: number, shown: number): string {
  if (readable === shown) return 'Every article here opens offline.';
  const later = "tap “Get it when I'm back online” on any you want, and it is fetched once you are.";
  if (readable === 0) return `None of these articles is on this device yet: ${later}`;
  return `${readable} of these ${shown} articles open offline (marked “Saved for offline” or “Offline for now”); for the others, ${later}`;
}

/** How many of the items shown open offline: on the device's copy, and on a cached copy the service worker marks. */
export function DeviceReadableNote(props: { readable: number; shown: number }) {
  return <p data-device-readable>{readableNote(props.readable, props.shown)}</p>;
}

/** The device's copy of Latest, which the service worker serves when the site cannot be reached. */
export function DeviceLatestPage(props: DeviceLatestPageProps) {
  const heading = props.feed?.title ?? (props.folder === null ? 'Latest' : folderTitle(props.folder));
  const items = props.items;
  const name = props.feed?.title ?? (props.folder === NO_FOLDER_FILTER ? 'your sources in no folder' : props.folder);
  const readable = items.filter((item) => props.onDevice.has(item.id)).length;
  return (
    <ReaderDocument title={heading} current="latest" page="latest">
      <LatestHead feeds={props.feeds} feed={props.feed} folder={props.folder} />
      <DeviceCopyNote refreshedAt={props.refreshedAt} />
      {items.length === 0 ? (
        props.refreshedAt !== null && (
          <section class="empty-state">
            <h2>
              {props.paged
                ? 'No older articles on this device'
                : `Nothing from ${name ?? 'your sources'} on this device`}
            </h2>
            <p>
              {props.paged
                ? 'This device keeps the newest articles only; older ones show again when you are back online.'
                : 'The newest articles this device kept are from other sources.'}{' '}
              <a href="/">Latest on this device</a>
            </p>
          </section>
        )
      ) : (
        <>
          <DeviceReadableNote readable={readable} shown={items.length} />
          <ReadTools feed={props.feed} />
          <ItemList feeds={props.feeds} items={items} onDevice={props.onDevice} />
        </>
      )}
      <Paging feed={props.feed} folder={props.folder} next={props.next} paged={props.paged} />
    </ReaderDocument>
  );
}
