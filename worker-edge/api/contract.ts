// The HTTP contract between the edge, the service worker and the page: typed once, imported by all three.
// Times are ISO 8601 strings in UTC; ids of items are opaque strings, ids of feeds are numbers.

export type FeedStatus = 'ok' | 'pending' | 'error' | 'gone';

export interface FeedView {
  id: number;
  url: string;
  title: string;
  siteUrl: string | null;
  status: FeedStatus;
  lastError: string | null;
  lastFetchedAt: string | null;
  nextFetchAt: string | null;
  itemCount: number;
}

export interface FeedsResponse {
  feeds: FeedView[];
}

export interface FeedCreated {
  feed: FeedView;
}

export interface ItemSummary {
  id: string;
  feedId: number;
  title: string;
  url: string | null;
  author: string | null;
  publishedAt: string | null;
  summary: string;
  imageUrl: string | null;
}

export interface ItemsPage {
  items: ItemSummary[];
  /** Cursor for the next page (pass as `before`), or null at the end. */
  next: string | null;
}

export interface ItemDetail extends ItemSummary {
  /** The feed's own content for the item, sanitised. */
  contentHtml: string;
}

export interface RefreshResult {
  refreshed: number;
  notModified: number;
  failed: number;
}

export interface OpmlImportResult {
  added: number;
  existing: number;
  invalid: number;
}

export type ErrorCode =
  | 'bad_request'
  | 'invalid_url'
  | 'blocked_address'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_a_feed'
  | 'upstream'
  | 'gone'
  | 'internal';

export interface ApiError {
  error: { code: ErrorCode; message: string };
}
