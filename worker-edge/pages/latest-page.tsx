// GET /: the latest items from every source (or one), newest first, a page at a time, with honest empty states.
import type { FeedView, ItemSummary } from '../../contract/http.ts';
import { ItemCard } from './item-card.tsx';
import { JsNote } from './js-note.tsx';
import { ReaderDocument } from './reader-document.tsx';

export interface LatestPageProps {
  feeds: FeedView[];
  items: ItemSummary[];
  /** The source shown alone, when filtered. */
  feed: FeedView | null;
  /** Cursor for older items, or null at the end. */
  next: string | null;
  /** Whether this is a later page (so "Newest" leads back to the first). */
  paged: boolean;
}

function SourceFilter(props: { feeds: FeedView[]; selected: number | null }) {
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
      <button type="submit">Show</button>
    </form>
  );
}

function EmptyLatest(props: { feeds: FeedView[]; feed: FeedView | null; paged: boolean }) {
  if (props.paged) {
    return (
      <section class="empty-state">
        <h2>No older articles</h2>
        <p>That is everything we keep from {props.feed ? props.feed.title : 'your sources'}; older items drop out as new ones arrive.</p>
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
  const shown = props.feed ? [props.feed] : props.feeds;
  return (
    <section class="empty-state">
      <h2>{props.feed ? `Nothing from ${props.feed.title} yet` : 'No articles yet'}</h2>
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
  if (pending > 0) return 'Your sources are being fetched for the first time; articles appear here within a minute. Reload to see them.';
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
function ReadTools(props: { feed: FeedView | null }) {
  return (
    <div class="read-tools" data-read-tools data-feed-id={props.feed ? String(props.feed.id) : undefined}>
      <JsNote>Unread marks, “Mark all as read”, the unread-only view and the keyboard keys keep their state on this device and need JavaScript.</JsNote>
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

function Paging(props: { feed: FeedView | null; next: string | null; paged: boolean }) {
  if (!props.next && !props.paged) return null;
  const feedParam = props.feed ? `feed=${props.feed.id}` : '';
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

export function LatestPage(props: LatestPageProps) {
  const titles = new Map(props.feeds.map((f) => [f.id, f.title]));
  const heading = props.feed ? props.feed.title : 'Latest';
  return (
    <ReaderDocument title={heading} current="latest" page="latest">
      <div class="page-head">
        <h1>{heading}</h1>
        {props.feeds.length > 0 && <SourceFilter feeds={props.feeds} selected={props.feed?.id ?? null} />}
      </div>
      {props.items.length === 0 ? (
        <EmptyLatest feeds={props.feeds} feed={props.feed} paged={props.paged} />
      ) : (
        <ReadTools feed={props.feed} />
      )}
      {props.items.length > 0 && (
        <ol class="items">
          {props.items.map((item) => (
            <ItemCard item={item} feedTitle={titles.get(item.feedId) ?? 'Unknown source'} />
          ))}
        </ol>
      )}
      <Paging feed={props.feed} next={props.next} paged={props.paged} />
    </ReaderDocument>
  );
}
