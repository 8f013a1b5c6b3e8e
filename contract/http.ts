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
  /** The folder the feed is filed in (a nested one as its path, "News / World"); null: "No folder". */
  folder: string | null;
}

/** Folder names are at most this many characters, trimmed, with no control characters. */
export const FOLDER_NAME_MAX = 100;
/** What the reader sees for feeds in no folder: a label only, never a folder's value (a folder may have this name). */
export const NO_FOLDER_LABEL = 'No folder';
/**
 * The `folder` filter (`/?folder=`, `GET /api/items?folder=`) for the feeds in no folder: blank, which no folder's
 * name can be (names are trimmed and never empty), yet not empty, which is every folder (the filter form's "All").
 */
export const NO_FOLDER_FILTER = ' ';
/** How a nested folder's path is written as one name, and split again for OPML export. */
export const FOLDER_PATH_SEPARATOR = ' / ';

/** PATCH /api/feeds/:id (admin): files the feed in a folder; null takes it out of any. Answered `200 FeedUpdated`. */
export interface FeedPatch {
  folder: string | null;
}

export interface FeedUpdated {
  feed: FeedView;
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

/** One search result: the item and where it matched, as HTML (escaped text, the matched words in `<mark>`). */
export interface SearchHit extends ItemSummary {
  snippetHtml: string;
}

/** GET /api/search: the best matches first (bm25; the newest first among equals). */
export interface SearchResults {
  items: SearchHit[];
  /** Cursor for the next page (pass as `before` with the same `q`), or null at the end. */
  next: string | null;
}

export interface ItemDetail extends ItemSummary {
  /** The feed's own content for the item, sanitised. */
  contentHtml: string;
}

/** Where an article's content came from: the page itself, or the feed's own copy when the page gave too little. */
export type ArticleSource = 'page' | 'feed';

/** A readable article, extracted at the edge and sanitised: links absolute, images through the /img proxy. */
export interface ArticleView {
  /** The item's id; for a page asked for by URL, an id made from that URL. */
  id: string;
  /** The original page, after redirects: the "read the original" link. */
  url: string | null;
  title: string;
  byline: string | null;
  siteName: string | null;
  publishedAt: string | null;
  contentHtml: string;
  wordCount: number;
  /** The same-origin image URLs (`/img?u=…`) the content uses, in order: what to cache for reading offline. */
  images: string[];
  source: ArticleSource;
}

/** One item of the digest, with its readable article when the edge has extracted it (null until then). */
export interface DigestItem extends ItemSummary {
  article: ArticleView | null;
}

/** A source as the device's copy of Latest names it: enough for each item's source, the filters and the folders. */
export type DigestFeed = Pick<FeedView, 'id' | 'title' | 'folder'>;

/**
 * GET /api/digest: the newest items with their articles, in one response, for `periodicsync`; with the sources, so
 * the service worker can show Latest offline as the edge does.
 */
export interface Digest {
  items: DigestItem[];
  feeds: DigestFeed[];
}

/** The most articles one batch request may ask for (ids and addresses together); more is a 400. */
export const ARTICLE_BATCH_MAX = 30;

/**
 * POST /api/articles/batch: the outbox's due articles in one round trip. `ids` are items' (or kept pages') ids, as
 * GET /api/articles/:id takes them; `urls` are pages saved by their address, as GET /api/articles?url= takes them.
 */
export interface ArticleBatchRequest {
  ids: string[];
  urls: string[];
}

/**
 * One article's outcome inside a batch, keyed by what was asked (`id` or `url`). Ready: the article, its ETag and
 * its page as GET /read/:id renders it (the same HTML, kept for reading offline). Otherwise the status and error
 * the single-article call would have answered, with its Retry-After in seconds: one article failing never fails
 * the batch.
 */
export type ArticleBatchResult = ({ id: string } | { url: string }) &
  (
    | { ok: true; status: 200; article: ArticleView; etag: string; pageHtml: string }
    | { ok: false; status: number; error: ApiError['error']; retryAfterSeconds: number | null }
  );

/**
 * Sent one result to a line (`{"results":[` / a result and its comma, each on its own line / `]}`), still one JSON
 * document: a client may keep each article as its line arrives, while the rest are on the link.
 */
export interface ArticleBatchResponse {
  results: ArticleBatchResult[];
}

/** POST /api/refresh (202): the due feeds were put on the refresh queue; consumers fetch them within minutes. */
export interface RefreshQueued {
  queued: number;
  /** More were due than one invocation enqueues: a follow-up message enqueues the rest. */
  continues: boolean;
}

export interface OpmlImportResult {
  added: number;
  existing: number;
  invalid: number;
  /** Of the existing feeds, how many had no folder and were filed in the file's (a feed's folder is never changed). */
  filed: number;
}

/** GET /api/items: `feed` (an id) and `folder` (a folder's name) narrow the list; given both, both apply. */
export interface ItemsQuery {
  limit?: number;
  before?: string;
  feed?: number;
  folder?: string;
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
  | 'not_readable'
  | 'too_large'
  | 'upstream'
  | 'gone'
  | 'rate_limited'
  /** A batch answered as much as one invocation may: ask again for the rest (Retry-After says when). */
  | 'deferred'
  | 'internal';

export interface ApiError {
  error: { code: ErrorCode; message: string };
}
