// The one list of what the page and the service worker say to each other, and the data they exchange.
// Both sides import this file; nothing else defines a message. Requests go page → service worker over a
// MessageChannel and get exactly one reply; events go service worker → every window of the site.

/** Where an article the reader asked for stands. */
export type OfflineState = 'queued' | 'fetching' | 'ready' | 'failed';

/** Where an article that opens offline stands: kept by the reader (never dropped), or here for now. */
export type OnDevice = 'kept' | 'for-now';

/** An article kept (or being fetched) for reading offline, as the page sees it. */
export interface OfflineEntry {
  itemId: string;
  /** The page to open: `/read/<itemId>`. */
  url: string;
  title: string;
  state: OfflineState;
  /** Fetch attempts so far (a reader's retry starts again from 0). */
  attempts: number;
  /** When a queued entry is tried next (epoch ms), or null when it is not waiting. */
  nextAttemptAt: number | null;
  /** Why the last attempt failed, in words for the reader ("The publisher removed this page."). */
  lastError: string | null;
  createdAt: number;
  readyAt: number | null;
  /** When the article was published (ISO 8601), once fetched. */
  publishedAt: string | null;
  /** Bytes cached for it (article, page and images), once ready. */
  bytes: number | null;
  /** true: the reader saved it (kept until removed); false: prefetched by the background refresh (bounded). */
  saved: boolean;
  /** A prefetched article the reader has not opened yet: these make up the app badge. */
  unread: boolean;
  /**
   * A page saved by its address (shared to the app), when it has one. Until the edge has read it, the entry's
   * `itemId` is provisional (`pageEntryId(pageUrl)`); once ready it is the article's own id.
   */
  pageUrl?: string;
}

/** An article whose page is on this device, whatever put it there. */
export interface ReadableArticle {
  itemId: string;
  /** The page to open: `/read/<itemId>`. */
  url: string;
  title: string;
}

/** A piece of a search hit's snippet: the words that matched are `marked`. */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

/** An article on this device that matches a search, as the page shows it. */
export interface DeviceSearchHit {
  itemId: string;
  title: string;
  /** Its source's name, as its kept page shows it (else the site's name or address). */
  source: string;
  publishedAt: string | null;
  snippet: SnippetPart[];
}

/** The search on the device: the best hits left after `exclude`, and how many articles it looked through. */
export interface DeviceSearchResults {
  hits: DeviceSearchHit[];
  /** How many of this device's articles match, those excluded left out (the hits are the best of these). */
  matched: number;
  searched: number;
}

/** What the reader chose in settings; every field has a default, so a fresh device works before anyone looks. */
export interface ReaderSettings {
  /** Notify when articles asked for while offline are ready (or could not be fetched). */
  notifyWhenReady: boolean;
  /** Notify after a background refresh that brought new articles. */
  notifyNewArticles: boolean;
  /**
   * Refresh with the reader closed (periodic sync), where the browser allows it. Elsewhere the page refreshes while
   * it is open, by the same offline policy.
   */
  backgroundRefresh: boolean;
  /** The shortest time between background refreshes; browsers treat it as a floor, not a promise. */
  refreshIntervalHours: number;
  /** The offline policy: how many of the newest unread articles to keep downloaded; 0 downloads none. */
  keepNewest: number;
  /** The offline policy: only articles published in the last this many days; 0 for any age. */
  keepDays: number;
  /** The offline policy: what the kept articles may take on this device, in MB (the reader's own saves aside). */
  budgetMb: number;
  /** The offline policy: download only where the browser says the connection is unmetered. */
  unmeteredOnly: boolean;
}

export const DEFAULT_SETTINGS: ReaderSettings = {
  notifyWhenReady: true,
  notifyNewArticles: false,
  backgroundRefresh: true,
  refreshIntervalHours: 12,
  keepNewest: 10,
  keepDays: 0,
  budgetMb: 50,
  unmeteredOnly: false,
};

/** A source's notifications on this device: at most this many a day each, one per background refresh. */
export const SOURCE_NOTIFICATIONS_PER_DAY = 3;

/** The sources this device notifies about (a device preference: the reader's choice on /sources, kept here). */
export interface SourceNotifications {
  feedIds: number[];
  perDay: number;
}

/** Why the offline policy lets a prefetched article go: read, older than its days, beyond the newest N, over budget. */
export type PolicyDropReason = 'read' | 'too-old' | 'beyond-newest' | 'over-budget';

/** Why storage running out took a prefetched article: the policy's reason, or else it was the oldest it held. */
export type RoomDropReason = PolicyDropReason | 'oldest-held';

/** What the offline policy holds on this device now, and the article it lets go next (with why). */
export interface OfflinePolicyStatus {
  held: number;
  heldBytes: number;
  /**
   * The next to go: one the policy drops at the next refresh (read, too old, over budget), or else the oldest held,
   * which goes when newer articles arrive ('beyond-newest') or, under a days rule, at `at`.
   */
  next: { itemId: string; title: string; reason: PolicyDropReason; at: number | null } | null;
  /** How many the next refresh drops (the `next` among them, when its reason is not the oldest's turn). */
  dueAtNextRefresh: number;
}

/** What started a run of the outbox or of the digest refresh. */
export type RunTrigger =
  | 'sync'
  | 'periodicsync'
  | 'worker-start'
  | 'page-load'
  | 'online'
  | 'visible'
  | 'timer'
  | 'reader'
  /** A write for offline reading did not fit: prefetched articles were dropped to make room. */
  | 'storage-full';

/** One run of background work on this device, newest first in the log. */
export interface ActivityEntry {
  id: number;
  at: number;
  kind: 'fetch-articles' | 'refresh-digest' | 'make-room';
  trigger: RunTrigger;
  /** Set for browser sync events: the browser's final attempt for this registration. */
  lastChance: boolean;
  durationMs: number;
  fetched: Array<{ itemId: string; title: string; bytes: number; ms: number }>;
  failed: Array<{ itemId: string; title: string; error: string; willRetry: boolean }>;
  /** Reader actions sent (or given up on) in this run. */
  actions: Array<{ label: string; ok: boolean; error: string | null }>;
  /** Entries still waiting after the run. */
  remaining: number;
  /** Digest refreshes: the server answered 304 (nothing new). */
  notModified: boolean;
  /** Response bytes this run brought over the network (bodies only). */
  bytes: number;
  /** Making room: the prefetched articles dropped, in the order they went. Absent in entries of other kinds. */
  dropped?: Array<{ itemId: string; title: string; reason: RoomDropReason }>;
}

export type ActionState = 'queued' | 'sending' | 'failed';

/** A reader action that needs the server (e.g. subscribing to a feed), kept until sent. */
export interface QueuedAction {
  id: string;
  method: 'POST' | 'PATCH' | 'DELETE';
  /** A same-origin path, e.g. `/api/feeds`. */
  path: string;
  body?: unknown;
  /**
   * Sent with the admin token. The token is never stored or announced with the action: the service worker asks an
   * open window of the site for it when it sends (sw/admin-token.ts), so "Forget" on /sources leaves no copy behind.
   */
  admin: boolean;
  /** What the reader did, in their words: "Subscribe to Harbour Courier". */
  label: string;
  state: ActionState;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
}

export type NewAction = Pick<QueuedAction, 'method' | 'path' | 'body' | 'admin' | 'label'>;

export interface DrainResult {
  /** Entries and actions still waiting for a later attempt. */
  remaining: number;
  ready: number;
  failed: number;
}

export interface DigestRefreshResult {
  /**
   * 'skipped': a refresh ran moments ago, the reader turned background refresh off or keeps no articles, or the
   * policy asks for an unmetered connection and the browser says this one is metered.
   */
  outcome: 'updated' | 'not-modified' | 'skipped' | 'failed';
  /** Articles newly downloaded. */
  cached: number;
  unread: number;
}

/** Every request the page may send, with what it carries and what the reply holds. */
export interface Requests {
  'save-article': { request: { itemId: string; url: string; title: string }; reply: OfflineEntry };
  'save-page': { request: { pageUrl: string; title: string }; reply: OfflineEntry };
  'remove-article': { request: { itemId: string }; reply: null };
  'retry-article': { request: { itemId: string }; reply: OfflineEntry | null };
  'list-offline': { request: null; reply: OfflineEntry[] };
  /** Every article that opens offline now (kept, prefetched, or read before and still cached): the offline page's list. */
  'list-readable': { request: null; reply: ReadableArticle[] };
  /** An item's title from the device's copy of the latest list (null when the device has not seen it). */
  'title-on-device': { request: { itemId: string }; reply: { title: string | null } };
  'drain-outbox': { request: { trigger: RunTrigger }; reply: DrainResult };
  'get-settings': { request: null; reply: ReaderSettings };
  'update-settings': { request: Partial<ReaderSettings>; reply: ReaderSettings };
  'activity-log': { request: null; reply: ActivityEntry[] };
  'clear-offline-data': { request: null; reply: null };
  /** The reader opened this article: it is read, and no longer counts in the app badge. */
  'mark-read': { request: { itemId: string }; reply: { unread: number } };
  /** The reader marked items read or unread (a key, "Mark all as read"); the reply is the app badge's count. */
  'set-read': { request: { itemIds: string[]; read: boolean }; reply: { unread: number } };
  /** Which of these items are read on this device. */
  'read-marks': { request: { itemIds: string[] }; reply: { read: string[] } };
  'queue-action': { request: NewAction; reply: QueuedAction };
  'list-actions': { request: null; reply: QueuedAction[] };
  /** The reader's "try again" for an action: from the first attempt, now. */
  'retry-action': { request: { id: string }; reply: QueuedAction | null };
  'remove-action': { request: { id: string }; reply: null };
  /** The reader forgot the admin token: anything the service worker still holds of it goes too. */
  'forget-admin-token': { request: null; reply: null };
  'refresh-digest': { request: { trigger: RunTrigger }; reply: DigestRefreshResult };
  'offline-policy-status': { request: null; reply: OfflinePolicyStatus };
  'skip-waiting': { request: null; reply: null };
  'source-notifications': { request: null; reply: SourceNotifications };
  /** "Notify me of new articles" from one source, on or off; `title` is what the notification will call it. */
  'set-source-notify': { request: { feedId: number; title: string; notify: boolean }; reply: SourceNotifications };
  /**
   * The search box's text run over the articles this device holds, leaving out `exclude` (the hits the page already
   * shows); `sourceTitle` names the source the page's form chose, which the device knows by name only.
   */
  'search-device': {
    request: { query: string; sourceTitle: string | null; exclude: string[]; limit: number };
    reply: DeviceSearchResults;
  };
  /** Which of these items open offline on this device now (sw/articles-on-device.ts); `kept`: those the reader kept. */
  'open-offline': { request: { itemIds: string[] }; reply: { itemIds: string[]; kept: string[] } };
}

export type RequestType = keyof Requests;

/** A request as it travels: the reply comes back on the MessagePort sent with it. */
export type RequestMessage = { [K in RequestType]: { type: K; payload: Requests[K]['request'] } }[RequestType];

export type ReplyMessage<K extends RequestType = RequestType> =
  | { ok: true; value: Requests[K]['reply'] }
  | { ok: false; error: string };

/** What the service worker tells every window, unasked. */
export type EventMessage =
  | { type: 'offline-entry'; entry: OfflineEntry }
  | { type: 'offline-entry-removed'; itemId: string }
  | { type: 'action-changed'; action: QueuedAction }
  | { type: 'action-removed'; id: string }
  | { type: 'activity'; entry: ActivityEntry }
  | { type: 'settings'; settings: ReaderSettings }
  /** A notification was tapped and this window could not be navigated by the worker itself. */
  | { type: 'navigate'; url: string }
  /**
   * News a background refresh brought, which the reader asked to hear of, while a window of the site was on screen:
   * told there instead of in the system tray. `source` names the one source it is from, or is null for the newest
   * articles kept for offline; `url` is the list that shows them.
   */
  | { type: 'new-articles'; url: string; titles: string[]; source: string | null };

/** News told on the page on screen instead of in the system tray. */
export type NewArticles = Extract<EventMessage, { type: 'new-articles' }>;

/** Every request type, as an object so that the compiler refuses one missing: the worker ignores what is not here. */
const REQUEST_TYPE_NAMES: { [K in RequestType]: true } = {
  'save-article': true,
  'save-page': true,
  'remove-article': true,
  'retry-article': true,
  'list-offline': true,
  'list-readable': true,
  'drain-outbox': true,
  'get-settings': true,
  'update-settings': true,
  'activity-log': true,
  'clear-offline-data': true,
  'mark-read': true,
  'set-read': true,
  'read-marks': true,
  'queue-action': true,
  'list-actions': true,
  'retry-action': true,
  'remove-action': true,
  'forget-admin-token': true,
  'refresh-digest': true,
  'offline-policy-status': true,
  'skip-waiting': true,
  'source-notifications': true,
  'set-source-notify': true,
  'title-on-device': true,
  'search-device': true,
  'open-offline': true,
};
const REQUEST_TYPES: ReadonlySet<string> = new Set(Object.keys(REQUEST_TYPE_NAMES));

export function isRequestMessage(data: unknown): data is RequestMessage {
  return typeof data === 'object' && data !== null && REQUEST_TYPES.has((data as { type?: unknown }).type as string);
}

export function isEventMessage(data: unknown): data is EventMessage {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  return (
    type === 'offline-entry' ||
    type === 'offline-entry-removed' ||
    type === 'action-changed' ||
    type === 'action-removed' ||
    type === 'activity' ||
    type === 'settings' ||
    type === 'navigate' ||
    type === 'new-articles'
  );
}

/**
 * The one question the service worker asks a window (with a MessagePort for the answer): the admin token, read
 * where the page keeps it, at the moment an action is sent. The answer is `{ token: string | null }`.
 */
export const ADMIN_TOKEN_QUESTION = 'admin-token-question';

export interface AdminTokenAnswer {
  token: string | null;
}

export function isAdminTokenQuestion(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === ADMIN_TOKEN_QUESTION;
}

/** The provisional id of a page saved by its address, until the edge has read it and given it the article's id. */
export const pageEntryId = (pageUrl: string) => `page:${pageUrl}`;
